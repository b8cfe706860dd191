import { deepEqual, equal, ok } from "node:assert/strict";
import { MetricRegistry } from "../../../core/metrics/registry.ts";
import { EvidenceLog } from "../../../core/run/evidence.ts";
import { WsRecorder } from "../../../engines/ws/recorder.ts";
import { openSession, type SessionOptions } from "../../../engines/ws/session.ts";
import { denoServer, refusedUrl, silentServer, wsPackageServer } from "./_servers.ts";
import { TEST_SERVER_TLS } from "../http1/_tls_fixtures.ts";

function setup() {
  const registry = new MetricRegistry();
  const evidence = new EvidenceLog();
  const recorder = new WsRecorder(registry, evidence, { scenario: "t" });
  /** Sum of a metric's counts (counters: values) over series whose tags match `where`. */
  const totals = new Map<
    string,
    { value: number; count: number; tags: Record<string, string> }[]
  >();
  const drain = () => {
    for (const s of registry.drain().series.values()) {
      const list = totals.get(s.metric) ?? [];
      list.push({ value: s.value, count: s.count, tags: { ...s.tags } });
      totals.set(s.metric, list);
    }
  };
  const sum = (
    metric: string,
    where: Record<string, string> = {},
    field: "value" | "count" = "value",
  ) =>
    (totals.get(metric) ?? []).filter((s) =>
      Object.entries(where).every(([k, v]) => s.tags[k] === v)
    ).reduce((a, s) => a + s[field], 0);
  const open = (url: string, o: Partial<SessionOptions> = {}) =>
    openSession({ url, recorder, series: recorder.series("t"), timeoutMs: 2000, ...o });
  return { registry, evidence, drain, sum, open };
}

for (
  const [label, start] of [["ws package", wsPackageServer], [
    "Deno.upgradeWebSocket",
    denoServer,
  ]] as const
) {
  Deno.test(`5 sessions of 3 echoes against the ${label} server count exactly`, async () => {
    const server = await start();
    const t = setup();
    try {
      for (let i = 0; i < 5; i++) {
        const s = await t.open(server.url + "/echo");
        equal(s.error, null, s.errorMessage);
        for (let k = 0; k < 3; k++) {
          s.send(`m${k}`);
          equal(await s.receive({ timeout: 2000 }), `m${k}`);
        }
        s.send(new Uint8Array([1, 2, 3]));
        deepEqual(await s.receive({ timeout: 2000 }), new Uint8Array([1, 2, 3]));
        ok((await s.ping({ timeout: 2000 })) >= 0, "ping round trip");
        deepEqual(await s.close(), { code: 1000, reason: "" });
      }
      t.drain();
      equal(t.sum("ws_sessions", { status: "101" }), 5);
      equal(t.sum("ws_sessions"), 5);
      equal(t.sum("ws_session_failed"), 0, "no failed session");
      equal(t.sum("ws_msgs_sent"), 20);
      equal(t.sum("ws_msgs_received"), 20);
      equal(t.sum("ws_msg_rtt", {}, "count"), 20);
      equal(t.sum("ws_ping", {}, "count"), 5);
      equal(t.sum("ws_connecting", { status: "101" }, "count"), 5);
      equal(t.sum("ws_session_duration", {}, "count"), 5);
      equal(t.sum("data_sent"), 5 * (3 * 2 + 3));
      equal(t.sum("data_received"), 5 * (3 * 2 + 3));
    } finally {
      await server.close();
    }
  });
}

Deno.test("headers, subprotocols and permessage-deflate reach the server as asked", async () => {
  const server = denoServer();
  const t = setup();
  try {
    const s = await t.open(server.url, {
      headers: { "x-token": "abc" },
      protocols: ["chat.v2"],
    });
    equal(s.protocol, "chat.v2");
    await s.close();
    const c = await t.open(server.url, { compression: true });
    await c.close();
    equal(server.handshakes[0].get("x-token"), "abc");
    equal(server.handshakes[0].get("sec-websocket-extensions"), null, "no deflate by default");
    ok(server.handshakes[1].get("sec-websocket-extensions")?.includes("permessage-deflate"));
  } finally {
    await server.close();
  }
});

Deno.test("a refused port is a refused session with status 0, not a rejection", async () => {
  const t = setup();
  const s = await t.open(refusedUrl());
  equal(s.error, "refused", s.errorMessage);
  equal(s.status, 0);
  equal(s.send("x"), false);
  equal(await s.receive({ timeout: 10 }), null);
  t.drain();
  equal(t.sum("ws_sessions", { status: "0", error: "refused" }), 1);
  equal(t.sum("ws_session_failed"), 1);
  ok(t.evidence.hasErrorExample("refused"));
});

Deno.test("a 403 handshake is a handshake error tagged with the status", async () => {
  const server = await wsPackageServer();
  const t = setup();
  try {
    const s = await t.open(server.url + "/forbidden");
    equal(s.error, "handshake", s.errorMessage);
    equal(s.status, 403);
    t.drain();
    equal(t.sum("ws_sessions", { status: "403", error: "handshake" }), 1);
    equal(t.sum("ws_connecting", { status: "403" }, "count"), 1);
  } finally {
    await server.close();
  }
});

Deno.test("a server dropping the connection mid-session is a reset; closing with 1011 a protocol error", async () => {
  const server = await wsPackageServer();
  const t = setup();
  try {
    const a = await t.open(server.url);
    a.send("bye");
    equal(await a.receive({ timeout: 2000 }), null, "no message: the session ended");
    equal((await a.closed).code, 1006);
    equal(a.error, "reset");
    const b = await t.open(server.url);
    b.send("fail");
    deepEqual(await b.closed, { code: 1011, reason: "server failed" });
    equal(b.error, "protocol");
    t.drain();
    equal(t.sum("ws_sessions", { status: "101", error: "reset" }), 1);
    equal(t.sum("ws_sessions", { status: "101", error: "protocol" }), 1);
  } finally {
    await server.close();
  }
});

Deno.test("a server that never answers the handshake times out within the timeout", async () => {
  const server = silentServer();
  const t = setup();
  try {
    const t0 = performance.now();
    const s = await t.open(server.url, { timeoutMs: 300 });
    const took = performance.now() - t0;
    equal(s.error, "timeout", s.errorMessage);
    ok(took >= 290 && took < 1500, `took ${took} ms`);
    t.drain();
    equal(t.sum("ws_sessions", { status: "0", error: "timeout" }), 1);
  } finally {
    await server.close();
  }
});

Deno.test("a receive nobody answers returns null after its timeout and marks the session", async () => {
  const server = await wsPackageServer();
  const t = setup();
  try {
    const s = await t.open(server.url);
    equal(await s.receive({ timeout: 100 }), null);
    equal(s.error, "timeout");
    await s.close();
    t.drain();
    equal(t.sum("ws_sessions", { error: "timeout" }), 1);
  } finally {
    await server.close();
  }
});

Deno.test("onMessage receives pushed messages, including ones queued before it was set", async () => {
  const server = await wsPackageServer();
  const t = setup();
  try {
    const s = await t.open(server.url);
    s.send("a");
    s.send("b");
    await new Promise((r) => setTimeout(r, 100));
    const got: string[] = [];
    const third = new Promise<void>((done) =>
      s.onMessage((m) => {
        got.push(String(m));
        if (got.length === 3) done();
      })
    );
    s.send("c");
    await third;
    deepEqual(got, ["a", "b", "c"]);
    await s.close();
  } finally {
    await server.close();
  }
});

Deno.test("wss:// to an untrusted certificate is a tls error unless insecure", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {}, ...TEST_SERVER_TLS },
    (req) => {
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.onmessage = (e) => socket.send(e.data);
      return response;
    },
  );
  const t = setup();
  const url = `wss://127.0.0.1:${server.addr.port}/`;
  try {
    const strict = await t.open(url);
    equal(strict.error, "tls", strict.errorMessage);
    const lax = await t.open(url, { insecure: true });
    equal(lax.error, null, lax.errorMessage);
    lax.send("over tls");
    equal(await lax.receive({ timeout: 2000 }), "over tls");
    await lax.close();
  } finally {
    await server.shutdown();
  }
});
