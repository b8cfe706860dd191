/**
 * Public surface of rampa's embedded target server, used by `rampa serve`, the demo, tests
 * and benchmarks. Import from here rather than from the files behind it, so the routes and
 * internals can move without breaking callers.
 *
 * Routes (all but `/health` get the configured latency, jitter, errors and stalls):
 *
 * | Route                 | Answer                                                        |
 * | --------------------- | ------------------------------------------------------------- |
 * | `GET /`               | 200 `text/plain` "Hello, rampa!" (13 bytes)                   |
 * | `GET /api/items`      | 200 JSON list of 10 `{id, name, price}`                       |
 * | `GET /api/items/:id`  | 200 JSON item for 1..1000, else 404 JSON error                |
 * | `GET /status/:code`   | that status for 200..599 (empty body for 204/205/304), else 400 |
 * | `GET /delay/:ms`      | 200 after that many ms (at most 60 s)                         |
 * | `GET /bytes/:n`       | n bytes (at most 16 MiB) of `application/octet-stream`        |
 * | `* /echo`             | 200 JSON `{method, path, query, headers, body}`               |
 * | `POST /login`         | 200 `{token}` + `session` cookie, 400 on a bad JSON body      |
 * | `GET /me`             | 200 `{user}` with the bearer token or cookie, else 401        |
 * | `GET /health`         | 200 "ok", never delayed or failed                             |
 * | anything else         | 404                                                           |
 *
 * Statuses 100..199 are valid codes but answer 400: the Fetch API cannot send an
 * informational status as a final response.
 *
 * @example
 * ```ts
 * import { startTarget } from "./target/mod.ts";
 *
 * const target = startTarget({ latencyMs: 5, errorRate: 0.01, seed: 1, quiet: true });
 * const res = await fetch(`${target.url}/api/items`);
 * await res.body?.cancel();
 * console.log(target.stats()); // { requests: 1, errors: 0, byPath: { "/api/items": 1 } }
 * await target.close();
 * ```
 *
 * @module
 */
export {
  mulberry32,
  type StallOptions,
  startTarget,
  type TargetOptions,
  type TargetServer,
  type TargetStats,
} from "./server.ts";
export { MAX_BYTES, MAX_DELAY_MS, MAX_ITEM_ID } from "./routes.ts";
export { startTargetInWorker, type WorkerTarget } from "./in_worker.ts";
