/**
 * The lean HTTP/1.1 engine (`--engine http1`): keep-alive connections over `Deno.connect`,
 * requests pre-encoded once, an incremental byte-level response parser, every phase timed.
 *
 * @example
 * ```ts
 * import { createHttp1Engine } from "./engines/http1/mod.ts";
 * import { createOutcome } from "./core/types.ts";
 *
 * const engine = createHttp1Engine();
 * const req = engine.prepare({ method: "GET", url: "http://127.0.0.1:8080/" });
 * const client = engine.createClient({ maxConnections: 4 });
 * const out = createOutcome();
 * await client.send(req, out);
 * console.log(out.status, out.waiting);
 * client.close();
 * ```
 *
 * @module
 */

export { createHttp1Engine } from "./engine.ts";
export {
  Http1Client,
  type Http1ClientOptions,
  MAX_DIALS_IN_FLIGHT,
  SWEEP_INTERVAL_MS,
  TOP_UP_PER_SWEEP,
} from "./client.ts";
export { DEFAULT_TIMEOUT_MS, type Http1State, prepareHttp1, USER_AGENT } from "./request.ts";
export { MAX_HEAD_BYTES, ResponseParser } from "./parser.ts";
