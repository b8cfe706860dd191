import { deepEqual, equal, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { createWsApi } from "../../engines/ws/api.ts";
import { createSseApi } from "../../engines/sse/api.ts";
import { testVu } from "../engines/_vu.ts";

Deno.env.set("NO_PROXY", "127.0.0.1,localhost,::1");

Deno.test("the target's /ws/echo, /ws/close, /ws/broadcast and /sse routes answer as documented", async () => {
  const target = startTarget({ quiet: true });
  const base = target.url.replace("http:", "ws:");
  const t = testVu();
  const ws = createWsApi(() => t.vu);
  try {
    const e = await ws.connect(base + "/ws/echo");
    e.send("hi");
    equal(await e.receive({ timeout: 2000 }), "hi");
    await e.close();

    const c = await ws.connect(base + "/ws/close?after=2");
    c.send("1");
    c.send("2");
    equal(await c.receive({ timeout: 2000 }), "1");
    equal(await c.receive({ timeout: 2000 }), "2");
    deepEqual(await c.closed, { code: 1000, reason: "closed after 2 messages" });

    const b = await ws.connect(base + "/ws/broadcast?hz=100");
    for (let i = 1; i <= 3; i++) {
      const m = JSON.parse(String(await b.receive({ timeout: 2000 })));
      equal(m.n, i);
    }
    await b.close();

    const es = createSseApi(() => t.vu).connect(target.url + "/sse?hz=200&n=4");
    const ids: string[] = [];
    for await (const ev of es) ids.push(ev.id);
    deepEqual(ids, ["1", "2", "3", "4"]);
    equal(t.sum("ws_sessions", { status: "101" }), 3);
    ok(target.stats().byPath["/ws/echo"] === 1);
  } finally {
    await target.close();
  }
});

Deno.test("a stall window holds the target's WebSocket handshake too", async () => {
  const target = startTarget({ quiet: true, stall: { forMs: 400, everyMs: 500 } });
  const t = testVu();
  try {
    // Any instant is in the window 80% of the time; wait for one that is.
    await new Promise((r) => setTimeout(r, 150));
    const t0 = performance.now();
    const s = await createWsApi(() => t.vu).connect(
      target.url.replace("http:", "ws:") + "/ws/echo",
    );
    equal(s.error, null);
    ok(performance.now() - t0 >= 50, "held by the stall");
    await s.close();
  } finally {
    await target.close();
  }
});
