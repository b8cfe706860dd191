/**
 * Fuzz tests of the hand-written http1 parser. Real responses captured from Deno.serve and
 * nginx must parse the same however they are split across reads (at every byte boundary, byte
 * by byte, in random pieces), and seeded random mutations of them must end as a response, a
 * "malformed" verdict or a truncation, never an exception or a parser that stops advancing.
 */

import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { ResponseParser } from "../../../engines/http1/parser.ts";
import { hasNginx, startNginx } from "../../../tools/testing/nginx.ts";

interface Verdict {
  status: number;
  body: number[];
  keepAlive: boolean;
  error: string;
  complete: boolean;
  used: number;
}

/** Parses `bytes` fed in the given pieces (cut points), then signals EOF. */
function parse(bytes: Uint8Array, cuts: number[], head = false): Verdict {
  const p = new ResponseParser();
  p.reset(head, true);
  let used = 0, from = 0;
  for (const to of [...cuts, bytes.length]) {
    if (to <= from) continue;
    const piece = bytes.slice(from, to); // a fresh buffer per read, as a socket gives
    if (!p.done && p.error === "") {
      const u = p.execute(piece, 0, piece.length);
      ok(u >= 0 && u <= piece.length);
      // The parser either takes the whole piece or stops because it finished or failed.
      ok(u === piece.length || p.done || p.error !== "", "parser stopped without a verdict");
      used += u;
    }
    from = to;
  }
  const complete = p.error === "" && (p.done || p.eof());
  return {
    status: complete ? p.head.status : 0,
    body: complete ? [...p.body!] : [],
    keepAlive: p.keepAlive,
    error: p.error,
    complete,
    used,
  };
}

/** A small deterministic PRNG (mulberry32): failures reproduce from the seed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sends one request with `Connection: close` and returns every byte of the response. */
async function capture(
  port: number,
  path: string,
  extra = "",
  method = "GET",
): Promise<Uint8Array> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const req = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`;
  await conn.write(new TextEncoder().encode(req));
  const parts: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
    parts.push(buf.slice(0, n));
  }
  conn.close();
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

interface Sample {
  label: string;
  bytes: Uint8Array;
  head: boolean;
}

async function denoSamples(): Promise<Sample[]> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/empty") return new Response(null, { status: 204 });
    if (path === "/stream") {
      const enc = new TextEncoder();
      return new Response(
        new ReadableStream({
          start(c) {
            for (const s of ["alpha ", "beta ", "x".repeat(3000)]) c.enqueue(enc.encode(s));
            c.close();
          },
        }),
      );
    }
    return new Response("hello from deno\n", { headers: { "x-many": "a, b, c" } });
  });
  const port = server.addr.port;
  try {
    return [
      { label: "deno /", bytes: await capture(port, "/"), head: false },
      { label: "deno HEAD /", bytes: await capture(port, "/", "", "HEAD"), head: true },
      { label: "deno /stream", bytes: await capture(port, "/stream"), head: false },
      { label: "deno /empty", bytes: await capture(port, "/empty"), head: false },
    ];
  } finally {
    await server.shutdown();
  }
}

async function nginxSamples(): Promise<Sample[]> {
  if (!hasNginx()) {
    console.log("nginx not installed (/usr/sbin/nginx): fuzzing Deno.serve responses only");
    return [];
  }
  const nginx = await startNginx();
  try {
    const p = nginx.port;
    return [
      { label: "nginx /", bytes: await capture(p, "/"), head: false },
      {
        label: "nginx /gzip",
        bytes: await capture(p, "/gzip", "Accept-Encoding: gzip\r\n"),
        head: false,
      },
      { label: "nginx /empty", bytes: await capture(p, "/empty"), head: false },
      { label: "nginx static", bytes: await capture(p, "/static/hello.txt"), head: false },
      { label: "nginx 404", bytes: await capture(p, "/missing"), head: false },
      {
        label: "nginx HEAD static",
        bytes: await capture(p, "/static/hello.txt", "", "HEAD"),
        head: true,
      },
    ];
  } finally {
    await nginx.stop();
  }
}

Deno.test("fuzz: real responses parse the same split at every byte boundary", async () => {
  const samples = [...await denoSamples(), ...await nginxSamples()];
  ok(samples.length >= 4);
  const rand = prng(1);
  for (const s of samples) {
    const whole = parse(s.bytes, [], s.head);
    equal(whole.complete, true, `${s.label} should parse whole`);
    ok(whole.status >= 200, s.label);
    for (let k = 1; k < s.bytes.length; k++) {
      deepStrictEqual(parse(s.bytes, [k], s.head), whole, `${s.label} split at ${k}`);
    }
    const everyByte = Array.from({ length: s.bytes.length }, (_, i) => i + 1);
    deepStrictEqual(parse(s.bytes, everyByte, s.head), whole, `${s.label} byte by byte`);
    for (let r = 0; r < 50; r++) {
      const cuts = Array.from({ length: 4 }, () => Math.floor(rand() * s.bytes.length)).sort(
        (a, b) => a - b,
      );
      deepStrictEqual(parse(s.bytes, cuts, s.head), whole, `${s.label} cuts ${cuts}`);
    }
  }
});

Deno.test("fuzz: mutated and truncated responses never crash or stall the parser", async () => {
  const samples = await denoSamples();
  const rand = prng(42);
  const junk = [0, 9, 10, 13, 32, 45, 48, 58, 59, 70, 102, 127, 255];
  const seen = { complete: 0, malformed: 0, truncated: 0 };
  for (let iter = 0; iter < 3000; iter++) {
    const base = samples[iter % samples.length].bytes;
    const bytes = [...base];
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * bytes.length);
      const op = rand();
      const b = rand() < 0.5 ? junk[Math.floor(rand() * junk.length)] : Math.floor(rand() * 256);
      if (op < 0.4) bytes[at] = b;
      else if (op < 0.7) bytes.splice(at, 0, b);
      else if (op < 0.9) bytes.splice(at, 1);
      else bytes.length = at;
    }
    const input = new Uint8Array(bytes);
    const cuts = [Math.floor(rand() * input.length), Math.floor(rand() * input.length)]
      .sort((a, b) => a - b);
    const v = parse(input, cuts);
    if (v.error !== "") {
      seen.malformed++;
      equal(v.keepAlive, false, "a malformed response must not leave the connection reusable");
    } else if (v.complete) seen.complete++;
    else seen.truncated++;
  }
  // The mutations must reach every verdict, or this test is not exercising the parser.
  ok(seen.complete > 0 && seen.malformed > 0 && seen.truncated > 0, JSON.stringify(seen));
});
