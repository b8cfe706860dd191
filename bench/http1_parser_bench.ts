/**
 * Micro-benchmarks of the http1 engine's response parser (`deno bench bench/`): the nginx
 * response of our performance issue (13-byte body), a chunked one, each with and without
 * keeping the response, and a head split across two reads. The parser's cost per request must
 * stay a small fraction of the ~10 µs a loopback request costs the generator in total.
 *
 * Evaluation when choosing it (2 shared cores, Deno 2.9.6): on the nginx response this parser
 * took ~0.4 µs, http-parser-js 2.2 µs, llhttp-wasm 7.3 µs (both decode every header to
 * strings); on the chunked one ~0.3 µs vs 2.1 µs and 2.6 µs.
 *
 * @module
 */

import { ResponseParser } from "../engines/http1/parser.ts";

const encoder = new TextEncoder();

const NGINX = encoder.encode(
  "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Thu, 27 Nov 2025 12:00:00 GMT\r\n" +
    "Content-Type: text/plain\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\n" +
    "hello, world\n",
);

const CHUNKED = encoder.encode(
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n",
);

const BIG = (() => {
  const body = "x".repeat(16 * 1024);
  return encoder.encode(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
})();

const parser = new ResponseParser();

function run(bytes: Uint8Array, keep: boolean, split = 0): void {
  parser.reset(false, keep);
  if (split > 0) {
    parser.execute(bytes, 0, split);
    parser.execute(bytes, split, bytes.length);
  } else parser.execute(bytes, 0, bytes.length);
  if (!parser.done) throw new Error("response not complete");
}

Deno.bench("nginx 13-byte body", { group: "nginx", baseline: true }, () => run(NGINX, false));
Deno.bench("nginx 13-byte body, kept", { group: "nginx" }, () => run(NGINX, true));
Deno.bench("nginx head split across reads", { group: "nginx" }, () => run(NGINX, false, 40));
Deno.bench("chunked", { group: "chunked", baseline: true }, () => run(CHUNKED, false));
Deno.bench("chunked, kept", { group: "chunked" }, () => run(CHUNKED, true));
Deno.bench("16 KiB Content-Length body", { group: "big", baseline: true }, () => run(BIG, false));
Deno.bench("16 KiB Content-Length body, kept", { group: "big" }, () => run(BIG, true));
