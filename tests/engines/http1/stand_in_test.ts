/**
 * The http1 engine's rehearsal (ADR 23): a client whose connections all go to a stand-in on
 * 127.0.0.1, whatever the request's origin. The request's own target (a real listener here)
 * must see no connection at all; the stand-in answers keep-alive GET, POST with a body and HEAD
 * in order on one connection; TLS requests are not rehearsed.
 */

import { equal, ok } from "node:assert/strict";
import { createOutcome, resetOutcome } from "../../../engines/http/types.ts";
import { createHttp1Engine } from "../../../engines/http1/mod.ts";
import { startStandIn } from "../../../engines/http1/stand_in.ts";

const engine = createHttp1Engine();

/** A listener that counts the connections it accepts (it never answers). */
function countingListener() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const loop = (async () => {
    for await (const c of listener) {
      accepted++;
      c.close();
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    accepted: () => accepted,
    async close() {
      listener.close();
      await loop;
    },
  };
}

Deno.test("a rehearsal client sends the run's requests to the stand-in, never to the target", async () => {
  const target = countingListener();
  const base = `http://127.0.0.1:${target.port}`;
  const get = engine.prepare({ method: "GET", url: `${base}/a` });
  const post = engine.prepare({ method: "POST", url: `${base}/b`, body: "x".repeat(40_000) });
  const head = engine.prepare({ method: "HEAD", url: `${base}/c` });
  const r = engine.rehearsal!([get, post, head], { maxConnections: 1 });
  ok(r !== null);
  try {
    const out = createOutcome();
    // One connection, keep-alive: a mis-framed answer would break the next exchange.
    for (let i = 0; i < 30; i++) {
      const req = [get, post, head][i % 3];
      resetOutcome(out, performance.now());
      await r.client.send(req, out);
      equal(out.error, null, `${req.method}: ${out.errorMessage}`);
      equal(out.status, 200);
    }
    equal(r.answered(), 30);
    // Pre-connecting goes to the stand-in too.
    equal(await r.client.warm!(get, 1), 1);
  } finally {
    await r.end();
  }
  equal(target.accepted(), 0, "the target saw no connection");
  await target.close();
});

Deno.test("TLS requests are not rehearsed", () => {
  const tls = engine.prepare({ method: "GET", url: "https://127.0.0.1:1/" });
  const plain = engine.prepare({ method: "GET", url: "http://127.0.0.1:1/" });
  equal(engine.rehearsal!([plain, tls], {}), null);
  equal(engine.rehearsal!([], {}), null);
});

Deno.test("the stand-in answers a head split across reads and closes on an endless head", async () => {
  const s = startStandIn();
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
    const enc = new TextEncoder();
    await conn.write(enc.encode("GET / HTTP/1.1\r\nHo"));
    await new Promise((r) => setTimeout(r, 20));
    await conn.write(enc.encode("st: x\r\n\r\n"));
    const buf = new Uint8Array(1024);
    const n = await conn.read(buf);
    ok(new TextDecoder().decode(buf.subarray(0, n ?? 0)).startsWith("HTTP/1.1 200 OK\r\n"));
    // No head end within 64 KiB: not a request rampa sent; the stand-in hangs up.
    await conn.write(enc.encode("GET / HTTP/1.1\r\n" + "x".repeat(70_000)));
    let closed = false;
    for (let i = 0; i < 100 && !closed; i++) {
      closed = (await conn.read(buf).catch(() => null)) === null;
    }
    ok(closed);
    conn.close();
    equal(s.answered, 1);
  } finally {
    await s.close();
  }
});
