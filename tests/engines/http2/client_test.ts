/**
 * The http2 client against servers that misbehave on purpose: a node:http2 server written here
 * (hanging streams, refused streams, a small stream limit), a port nobody listens on, and a
 * TCP listener that never speaks HTTP/2. Every test is bounded by short request timeouts.
 */

import { deepStrictEqual, equal, ok } from "node:assert/strict";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { createOutcome } from "../../../engines/http/types.ts";
import { Http2Client } from "../../../engines/http2/client.ts";
import { freePort } from "../../../tools/testing/nginx.ts";
import { engine, sendAll, tally } from "./_fixtures.ts";

interface TestServer {
  url: string;
  /** Streams received, by path. */
  seen: Map<string, number>;
  /** Most streams open at once. */
  peak: () => number;
  close(): Promise<void>;
}

/**
 * An h2c server: `/hang` never answers, `/kill` drops the whole connection after 20 ms, `/refuse-once` refuses the first stream with
 * REFUSED_STREAM, `/slow?ms=N` answers after N ms, anything else answers "ok" at once.
 */
async function startServer(settings: http2.Settings = {}): Promise<TestServer> {
  const server = http2.createServer({ settings });
  const seen = new Map<string, number>();
  const sessions = new Set<http2.ServerHttp2Session>();
  let open = 0, peak = 0;
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  server.on("stream", (stream, headers) => {
    const url = new URL(String(headers[":path"]), "http://x");
    const n = (seen.get(url.pathname) ?? 0) + 1;
    seen.set(url.pathname, n);
    open++;
    peak = Math.max(peak, open);
    stream.on("close", () => open--);
    stream.on("error", () => {});
    if (url.pathname === "/hang") return;
    if (url.pathname === "/kill") return void setTimeout(() => stream.session?.destroy(), 20);
    if (url.pathname === "/refuse-once" && n === 1) {
      return stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    }
    const answer = () => {
      if (stream.destroyed) return;
      (stream as http2.ServerHttp2Stream).respond({ ":status": 200 });
      stream.end("ok");
    };
    const ms = Number(url.searchParams.get("ms") ?? 0);
    if (ms > 0) setTimeout(answer, ms);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    peak: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

Deno.test("a stream the server never answers times out; the connection stays usable", async () => {
  const srv = await startServer();
  const client = new Http2Client({});
  try {
    const t0 = performance.now();
    const [hung, fine] = await Promise.all([
      sendAll(client, `${srv.url}/hang`, 3, { timeoutMs: 300 }),
      sendAll(client, `${srv.url}/`, 5, { timeoutMs: 300 }),
    ]);
    const took = performance.now() - t0;
    deepStrictEqual(hung.map((o) => [o.error, o.status]), Array(3).fill(["timeout", 0]));
    ok(took >= 300 && took < 600, `timed out after ${took.toFixed(0)} ms`);
    ok(hung.every((o) => o.ended - o.started >= 300));
    deepStrictEqual(fine.map((o) => o.status), Array(5).fill(200));
    const [after] = await sendAll(client, `${srv.url}/`, 1);
    deepStrictEqual([after.status, after.connecting], [200, 0]);
    equal(client.stats().sessionsOpened, 1);
  } finally {
    client.close();
    await srv.close();
  }
});

Deno.test("a refused port fails every send as refused, fast, with the dial's phases", async () => {
  const client = engine.createClient({});
  const t0 = performance.now();
  const outs = await sendAll(client, `http://127.0.0.1:${freePort()}/`, 25, { timeoutMs: 2000 });
  client.close();
  ok(performance.now() - t0 < 1000);
  deepStrictEqual(tally(outs.map((o) => `${o.error} ${o.status}`)), new Map([["refused 0", 25]]));
  ok(outs[0].errorMessage.includes("ECONNREFUSED"), outs[0].errorMessage);
  ok(outs[0].connecting >= 0 && outs[0].dns === 0, "the dialer reports its connect attempt");
});

Deno.test("a listener that never speaks HTTP/2 times out instead of hanging", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  (async () => {
    for await (const c of listener) held.push(c);
  })();
  const client = engine.createClient({});
  try {
    const url = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`;
    const outs = await sendAll(client, url, 4, { timeoutMs: 250 });
    deepStrictEqual(outs.map((o) => o.error), Array(4).fill("timeout"));
    ok(outs.every((o) => o.ended - o.started < 600));
  } finally {
    client.close();
    listener.close();
    for (const c of held) c.close();
  }
});

Deno.test("a stream refused unprocessed (REFUSED_STREAM) is sent again and succeeds", async () => {
  const srv = await startServer();
  const client = new Http2Client({});
  try {
    const [o] = await sendAll(client, `${srv.url}/refuse-once`, 1);
    deepStrictEqual([o.error, o.status], [null, 200]);
    equal(srv.seen.get("/refuse-once"), 2);
    equal(client.stats().retried, 1);
  } finally {
    client.close();
    await srv.close();
  }
});

Deno.test("a server limit of 3 streams is respected for 30 slow concurrent sends", async () => {
  const srv = await startServer({ maxConcurrentStreams: 3 });
  const client = new Http2Client({});
  try {
    const outs = await sendAll(client, `${srv.url}/slow?ms=20`, 30, { timeoutMs: 5000 });
    deepStrictEqual(outs.map((o) => o.status), Array(30).fill(200));
    equal(srv.peak(), 3);
    equal(client.stats().peakStreams, 3);
    // 10 waves of 20 ms: the last sends waited ~180 ms for a stream slot, and it shows.
    const maxBlocked = Math.max(...outs.map((o) => o.blocked));
    ok(maxBlocked >= 150, `blocked up to ${maxBlocked.toFixed(0)} ms`);
    ok(outs.every((o) => o.waiting < 150), "the wait is in blocked, not in waiting");
  } finally {
    client.close();
    await srv.close();
  }
});

Deno.test("an aborted signal ends in-flight and queued sends as aborted; close() ends the rest", async () => {
  const srv = await startServer({ maxConcurrentStreams: 2 });
  const client = engine.createClient({});
  try {
    const req = engine.prepare({ method: "GET", url: `${srv.url}/hang`, timeoutMs: 10_000 });
    const ctrl = new AbortController();
    const outs = Array.from({ length: 4 }, () => createOutcome());
    const done = outs.map((o) => client.send(req, o, ctrl.signal));
    setTimeout(() => ctrl.abort(), 100);
    await Promise.all(done);
    deepStrictEqual(outs.map((o) => o.error), Array(4).fill("aborted"));
    const late = createOutcome();
    const pending = client.send(req, late);
    setTimeout(() => client.close(), 50);
    await pending;
    equal(late.error, "aborted");
  } finally {
    client.close();
    await srv.close();
  }
});

Deno.test("warm() opens the connections up front and counts only those that opened", async () => {
  const srv = await startServer();
  const client = new Http2Client({ connections: 2, maxConnections: 64 });
  try {
    equal(client.connectionsPerOrigin, 2);
    const req = engine.prepare({ method: "GET", url: `${srv.url}/` });
    equal(await client.warm(req, 256), 2);
    const outs = await sendAll(client, `${srv.url}/`, 10);
    ok(outs.every((o) => o.status === 200 && o.connecting === 0));
    const dead = engine.prepare({ method: "GET", url: `http://127.0.0.1:${freePort()}/` });
    equal(await client.warm(dead, 2), 0);
  } finally {
    client.close();
    await srv.close();
  }
});

Deno.test("a connection dropped under streams fails them as reset; the next send redials", async () => {
  const srv = await startServer();
  const client = new Http2Client({});
  try {
    const [killed, hung] = await Promise.all([
      sendAll(client, `${srv.url}/kill`, 1, { timeoutMs: 2000 }),
      sendAll(client, `${srv.url}/hang`, 2, { timeoutMs: 2000 }),
    ]);
    deepStrictEqual(
      [...killed, ...hung].map((o) => [o.error, o.status]),
      Array(3).fill(["reset", 0]),
    );
    ok(hung.every((o) => o.ended - o.started < 1000), "failed when the connection went");
    const [next] = await sendAll(client, `${srv.url}/`, 1);
    equal(next.status, 200);
    ok(next.connecting > 0, "a new connection was dialed");
    equal(client.stats().sessionsOpened, 2);
  } finally {
    client.close();
    await srv.close();
  }
});
