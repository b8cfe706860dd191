/**
 * The http2 engine against a real nginx (Debian's nginx-light 1.22) speaking HTTP/2 on TLS
 * (h2 by ALPN, a self-signed certificate made for the test) and on a plain port (h2c with
 * prior knowledge). nginx's access log (`$connection $server_protocol …`) is the witness:
 * every request arrived as HTTP/2.0, and on how many connections. Skipped with a message when
 * nginx is not installed.
 */

import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { Http2Client } from "../../../engines/http2/client.ts";
import { startNginx } from "../../../tools/testing/nginx.ts";
import { engine, haveNginx, sendAll, tally, testCert, withH2Nginx } from "./_fixtures.ts";

const ignore = !haveNginx;
if (ignore) console.log("SKIP http2 nginx tests: /usr/sbin/nginx not installed (nginx-light)");

Deno.test({
  name: "h2 over TLS: 300 concurrent requests are 300 HTTP/2.0 log lines on one connection",
  ignore,
  fn: () =>
    withH2Nginx({}, async (n) => {
      const client = engine.createClient({ insecure: true });
      const outs = await sendAll(client, `https://127.0.0.1:${n.tlsPort}/`, 300);
      client.close();
      deepStrictEqual(
        tally(outs.map((o) => `${o.error} ${o.status} ${o.body?.length}`)),
        new Map([["null 200 13", 300]]),
      );
      const log = await n.accessLog();
      equal(log.length, 300);
      deepStrictEqual(tally(log.map((e) => e.protocol)), new Map([["HTTP/2.0", 300]]));
      equal(new Set(log.map((e) => e.connection)).size, 1);
    }),
});

Deno.test({
  name: "h2c with prior knowledge: exact counts and statuses 200, 204, 404, HEAD and POST",
  ignore,
  fn: () =>
    withH2Nginx({}, async (n) => {
      const client = engine.createClient({});
      const base = `http://127.0.0.1:${n.port}`;
      const [ok200, empty, missing, head] = await Promise.all([
        sendAll(client, `${base}/`, 40),
        sendAll(client, `${base}/empty`, 7),
        sendAll(client, `${base}/nope`, 5),
        sendAll(client, `${base}/static/hello.txt`, 3, { method: "HEAD" }),
      ]);
      // nginx answers a POST to a `return` location like a GET: the body went out as DATA.
      const post = await sendAll(client, `${base}/`, 2, { method: "POST", body: "x".repeat(5000) });
      const after = await sendAll(client, `${base}/`, 1);
      client.close();
      deepStrictEqual(ok200.map((o) => o.status), Array(40).fill(200));
      deepStrictEqual(empty.map((o) => [o.status, o.body!.length]), Array(7).fill([204, 0]));
      deepStrictEqual(missing.map((o) => [o.status, o.error]), Array(5).fill([404, null]));
      deepStrictEqual(head.map((o) => [o.status, o.body!.length]), Array(3).fill([200, 0]));
      equal(head[0].headers!.get("content-length"), "13");
      deepStrictEqual(post.map((o) => o.status), [200, 200]);
      // Written bytes are counted as they leave, by the next response head at the latest.
      const sent = [...post, ...after].reduce((n, o) => n + o.bytesSent, 0);
      ok(sent >= 10_000, `${sent} bytes sent`);
      const log = await n.accessLog();
      deepStrictEqual(
        tally(log.map((e) => `${e.protocol} ${e.status} ${e.method} ${e.uri}`)),
        new Map([
          ["HTTP/2.0 204 GET /empty", 7],
          ["HTTP/2.0 404 GET /nope", 5],
          ["HTTP/2.0 200 HEAD /static/hello.txt", 3],
          ["HTTP/2.0 200 POST /", 2],
          ["HTTP/2.0 200 GET /", 41],
        ]),
      );
      equal(new Set(log.map((e) => e.connection)).size, 1, "one connection for all");
    }),
});

Deno.test({
  name: "connections: 3 spreads 90 concurrent streams over exactly 3 connections",
  ignore,
  fn: () =>
    withH2Nginx({}, async (n) => {
      const client = new Http2Client({ connections: 3 });
      const url = `http://127.0.0.1:${n.port}/`;
      equal(await client.warm(engine.prepare({ method: "GET", url }), 8), 3);
      const outs = await sendAll(client, url, 90);
      client.close();
      ok(outs.every((o) => o.status === 200));
      // Warmed: no send paid for a connect.
      ok(outs.every((o) => o.connecting === 0 && o.tls === 0 && o.dns === 0));
      const perConn = tally((await n.accessLog()).map((e) => e.connection));
      equal(perConn.size, 3);
      ok([...perConn.values()].every((c) => c >= 20), `balanced: ${[...perConn.values()]}`);
    }),
});

Deno.test({
  name: "MAX_CONCURRENT_STREAMS 4: 40 concurrent sends queue, never exceed 4 streams, none refused",
  ignore,
  fn: () =>
    withH2Nginx({ http2MaxConcurrentStreams: 4 }, async (n) => {
      const client = new Http2Client({});
      const outs = await sendAll(client, `http://127.0.0.1:${n.port}/`, 40);
      const stats = client.stats();
      client.close();
      deepStrictEqual(outs.map((o) => [o.error, o.status]), Array(40).fill([null, 200]));
      equal(stats.peakStreams, 4);
      equal(stats.retried, 0, "no stream was refused");
      ok(stats.queued >= 36, `queued ${stats.queued}`);
      // The queueing is measured: later sends waited for a stream slot.
      const blocked = outs.map((o) => o.blocked).sort((a, b) => a - b);
      ok(blocked[39] > blocked[0], `blocked ${blocked[0]}..${blocked[39]} ms`);
      const log = await n.accessLog();
      equal(log.length, 40);
      equal(new Set(log.map((e) => e.connection)).size, 1);
    }),
});

Deno.test({
  name: "GOAWAY after keepalive_requests: 70 sends all succeed, on fresh connections",
  ignore,
  fn: () =>
    withH2Nginx({ keepaliveRequests: 10 }, async (n) => {
      const client = new Http2Client({ insecure: true });
      const url = `https://127.0.0.1:${n.tlsPort}/`;
      const outs = [];
      for (let i = 0; i < 5; i++) outs.push(...await sendAll(client, url, 10));
      // And 20 at once across a GOAWAY: the unprocessed ones are retried elsewhere.
      outs.push(...await sendAll(client, url, 20));
      client.close();
      deepStrictEqual(
        tally(outs.map((o) => `${o.error} ${o.status}`)),
        new Map([["null 200", 70]]),
      );
      const log = await n.accessLog();
      equal(log.length, 70);
      const conns = tally(log.map((e) => e.connection));
      ok([...conns.values()].every((c) => c <= 10), "nginx kept its limit");
      ok(conns.size >= 7, `${conns.size} connections`);
      equal(outs.filter((o) => o.connecting > 0).length, conns.size, "one dialer per connection");
    }),
});

Deno.test({
  name: "phases: the first send pays connect and TLS, later ones report 0; bytes are counted",
  ignore,
  fn: () =>
    withH2Nginx({}, async (n) => {
      const client = engine.createClient({ insecure: true });
      const url = `https://127.0.0.1:${n.tlsPort}/`;
      const [first] = await sendAll(client, url, 1);
      const [second] = await sendAll(client, url, 1);
      client.close();
      deepStrictEqual([first.status, first.dns], [200, 0]);
      ok(first.connecting > 0 && first.tls > 0 && first.blocked >= 0, JSON.stringify(first));
      ok(first.sending >= 0 && first.waiting > 0 && first.receiving >= 0);
      const total = first.blocked + first.connecting + first.tls + first.sending +
        first.waiting + first.receiving;
      ok(Math.abs(first.ended - first.started - total) < 1, "phases add up to the duration");
      deepStrictEqual([second.dns, second.connecting, second.tls], [0, 0, 0]);
      ok(second.blocked < 1 && second.waiting > 0);
      // The first also carries the connection preface and SETTINGS; HPACK shrinks the second.
      ok(first.bytesReceived > 13 && second.bytesReceived > 13, JSON.stringify(second));
      ok(second.bytesSent < first.bytesSent && second.bytesSent > 0);
    }),
});

Deno.test({
  name: "TLS: a self-signed certificate fails as tls unless insecure; trusted with caCerts",
  ignore,
  fn: () =>
    withH2Nginx({}, async (n) => {
      const url = `https://localhost:${n.tlsPort}/`;
      const strict = engine.createClient({});
      const outs = await sendAll(strict, url, 3);
      strict.close();
      deepStrictEqual(outs.map((o) => [o.error, o.status]), Array(3).fill(["tls", 0]));
      ok(/self.signed/i.test(outs[0].errorMessage), outs[0].errorMessage);

      const trusting = new Http2Client({ caCerts: [(await testCert()).cert] });
      const [trusted] = await sendAll(trusting, url, 1);
      trusting.close();
      deepStrictEqual([trusted.error, trusted.status], [null, 200]);
      ok(trusted.dns >= 0 && trusted.tls > 0);

      const insecure = engine.createClient({ insecure: true });
      const [o] = await sendAll(insecure, url, 1);
      insecure.close();
      deepStrictEqual([o.error, o.status], [null, 200]);
    }),
});

Deno.test({
  name: "TLS to a server without h2 by ALPN fails as tls with a hint, not as a hang",
  ignore,
  fn: async () => {
    const n = await startNginx({ tls: await testCert() }); // HTTP/1.1 only
    try {
      const client = engine.createClient({ insecure: true });
      const outs = await sendAll(client, `https://127.0.0.1:${n.tlsPort}/`, 2, { timeoutMs: 5000 });
      client.close();
      deepStrictEqual(outs.map((o) => o.error), ["tls", "tls"]);
      ok(outs[0].errorMessage.includes("ALPN"), outs[0].errorMessage);
    } finally {
      await n.stop();
    }
  },
});

Deno.test({
  name: "h2c to an HTTP/1.1-only port fails as malformed within the timeout",
  ignore,
  fn: async () => {
    const n = await startNginx({}); // HTTP/1.1 only
    try {
      const client = engine.createClient({});
      const t0 = performance.now();
      const outs = await sendAll(client, `http://127.0.0.1:${n.port}/`, 3, { timeoutMs: 3000 });
      client.close();
      ok(performance.now() - t0 < 2500, "failed fast");
      ok(outs.every((o) => o.error === "malformed" && o.status === 0), JSON.stringify(outs[0]));
    } finally {
      await n.stop();
    }
  },
});

Deno.test({
  name: "a 2 MiB body, beyond the flow-control windows, arrives whole on 4 concurrent streams",
  ignore,
  fn: () =>
    withH2Nginx({}, async (n) => {
      const big = new Uint8Array(2 * 1024 * 1024).map((_, i) => i % 251);
      await Deno.writeFile(`${n.dir}/static/big.bin`, big);
      const client = engine.createClient({ insecure: true });
      const outs = await sendAll(client, `http://127.0.0.1:${n.port}/static/big.bin`, 4);
      client.close();
      for (const o of outs) {
        deepStrictEqual([o.error, o.status, o.body!.length], [null, 200, big.length]);
        equal(o.body![1_000_001], big[1_000_001]);
        // The first byte is the first DATA chunk, even though node:http2 reports the head late.
        ok(o.waiting < o.receiving, `waiting ${o.waiting} ms, receiving ${o.receiving} ms`);
      }
      const received = outs.reduce((s, o) => s + o.bytesReceived, 0);
      ok(received > 4 * big.length, `${received} bytes received`);
    }),
});
