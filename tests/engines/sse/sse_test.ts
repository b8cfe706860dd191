import { deepEqual, equal } from "node:assert/strict";
import { SseParser } from "../../../engines/sse/parser.ts";
import { createSseApi, type SseEvent } from "../../../engines/sse/api.ts";
import { testVu } from "../_vu.ts";

Deno.env.set("NO_PROXY", "127.0.0.1,localhost,::1");

Deno.test("the parser joins data lines, keeps the last id, skips comments, at any split", () => {
  const text = ": hi\r\nid: 7\nevent: tick\ndata: a\ndata: b\n\ndata: c\r\n\r\nretry: 50\n\n";
  for (let cut = 0; cut <= text.length; cut++) {
    const p = new SseParser();
    const got = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
    deepEqual(got, [
      { event: "tick", data: "a\nb", id: "7" },
      { event: "message", data: "c", id: "7" },
    ], `split at ${cut}`);
    equal(p.retryMs, 50);
  }
});

function sseServer(n: number) {
  const lastIds: (string | null)[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    lastIds.push(req.headers.get("last-event-id"));
    if (new URL(req.url).pathname === "/403") return new Response("no", { status: 403 });
    const enc = new TextEncoder();
    const body = new ReadableStream({
      start(c) {
        for (let i = 1; i <= n; i++) c.enqueue(enc.encode(`id: ${i}\ndata: e${i}\n\n`));
        c.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, lastIds, close: () => server.shutdown() };
}

Deno.test("a stream of 5 events against Deno.serve yields and counts all 5", async () => {
  const server = sseServer(5);
  const t = testVu();
  try {
    const es = createSseApi(() => t.vu).connect(server.url + "/events");
    const got: SseEvent[] = [];
    for await (const ev of es) got.push(ev);
    deepEqual(got.map((e) => e.data), ["e1", "e2", "e3", "e4", "e5"]);
    equal(es.error, null);
    equal(t.sum("sse_events_received"), 5);
    equal(t.sum("sse_streams", { status: "200" }), 1);
    equal(t.sum("sse_connecting", {}, "count"), 1);
    equal(t.sum("sse_time_to_first_event", {}, "count"), 1);
    deepEqual(server.lastIds, [null], "no Last-Event-ID reconnect by default");
  } finally {
    await server.close();
  }
});

Deno.test("reconnects, when asked for, send the last event id", async () => {
  const server = sseServer(2);
  const t = testVu();
  try {
    const es = createSseApi(() => t.vu).connect(server.url, { reconnects: 1 });
    let n = 0;
    for await (const _ of es) n++;
    equal(n, 4);
    deepEqual(server.lastIds, [null, "2"]);
  } finally {
    await server.close();
  }
});

Deno.test("a 403 and a refused port end the iterator with the error counted", async () => {
  const server = sseServer(1);
  const t = testVu();
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const refused = `http://127.0.0.1:${l.addr.port}/`;
  l.close();
  try {
    const api = createSseApi(() => t.vu);
    const a = api.connect(server.url + "/403");
    for await (const _ of a) throw new Error("no events expected");
    equal(a.error, "status");
    equal(a.status, 403);
    const b = api.connect(refused);
    for await (const _ of b) throw new Error("no events expected");
    equal(b.error, "refused");
    equal(t.sum("sse_streams", { status: "403", error: "status" }), 1);
    equal(t.sum("sse_streams", { status: "0", error: "refused" }), 1);
  } finally {
    await server.close();
  }
});
