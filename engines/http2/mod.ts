/**
 * The HTTP/2 engine (`--engine http2`): concurrent requests multiplexed as streams over a few
 * connections per origin (default one per client), TLS with ALPN `h2` for `https:` and h2c
 * with prior knowledge for `http:`, the server's `MAX_CONCURRENT_STREAMS` respected (sends
 * beyond it queue, and the wait is their `blocked` phase), every phase timed, `insecure`
 * honoured per client. Built on Deno's node:http2; see docs/http2.md and ADR 0017.
 *
 * @example
 * ```ts
 * import { createHttp2Engine } from "./engines/http2/mod.ts";
 * import { createOutcome } from "./engines/http/types.ts";
 *
 * const engine = createHttp2Engine();
 * const req = engine.prepare({ method: "GET", url: "http://127.0.0.1:8080/" }); // h2c
 * const client = engine.createClient({});
 * const outs = Array.from({ length: 50 }, () => createOutcome());
 * await Promise.all(outs.map((o) => client.send(req, o))); // 50 streams, one connection
 * client.close();
 * ```
 *
 * @module
 */

export { createHttp2Engine, HTTP2_PROTO, type Http2Engine } from "./engine.ts";
export {
  Http2Client,
  type Http2ClientOptions,
  type Http2ClientStats,
  MAX_RETRIES,
  SWEEP_MS,
} from "./client.ts";
export { DEFAULT_TIMEOUT_MS, type Http2State, http2StateOf, prepareHttp2 } from "./request.ts";
