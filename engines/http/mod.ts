/**
 * HTTP engines and the pieces they share.
 *
 * The fetch engine (`--engine fetch`) is the compatible fallback: anything Deno's `fetch`
 * can talk to, it can load-test (HTTP/1.1, HTTP/2 negotiated by ALPN, TLS against the system
 * roots, gzip/br bodies). What it cannot do is see inside a request: only `waiting` (send until
 * response head, which includes connect and TLS on a new connection) and `receiving` (body
 * read) are measured; the other phases stay NaN.
 *
 * ```ts
 * import { createFetchEngine } from "./mod.ts";
 * import { createOutcome, resetOutcome } from "./types.ts";
 *
 * const engine = createFetchEngine();
 * const request = engine.prepare({ method: "GET", url: "http://127.0.0.1:8080/" });
 * const client = engine.createClient({ maxConnections: 64 });
 * const out = createOutcome();
 * resetOutcome(out, performance.now());
 * await client.send(request, out); // never rejects: failures land in out.error
 * client.close();
 * ```
 *
 * Things to know when wiring it in:
 * - `insecure` cannot be applied per client: Deno has no such client option. Certificate
 *   checks are skipped only when the process runs with `--unsafely-ignore-certificate-errors`;
 *   TLS errors of an insecure client say so (see {@link INSECURE_HINT}).
 * - Proxy variables from the environment apply to every host; the engine adds the loopback
 *   names to `NO_PROXY` before creating a client (see {@link exemptLoopbackFromProxy}).
 * - The engine itself does not follow redirects (each send is one exchange with its own
 *   status); `ctx.http` and ad-hoc runs follow them hop by hop (redirect.ts), each hop its own
 *   outcome, the same way on every engine. See docs/http.md.
 * - `maxConnections` caps in-flight requests per client, FIFO; the wait for a slot happens
 *   before `started` and is not part of the request's timeout.
 * - Byte counts are HTTP/1.1-form estimates: fetch reports neither what it wrote nor the raw
 *   response head (exact for HTTP/1.1 as measured, smaller in reality over HTTP/2).
 *
 * @module
 */

export {
  createFetchEngine,
  exemptLoopbackFromProxy,
  FETCH_OBSERVES,
  type FetchEngineOptions,
  LOOPBACK_HOSTS,
} from "./fetch_engine.ts";
export { FetchClient, INSECURE_HINT } from "./fetch_client.ts";
export {
  DEFAULT_TIMEOUT_MS,
  estimateRequestBytes,
  FetchRequestState,
  fetchStateOf,
  prepareFetchRequest,
} from "./fetch_request.ts";
export { type ClassifiedError, classifyFetchError, shortMessage } from "./classify_error.ts";
export { ConnectionSlots } from "./connection_slots.ts";
export * from "./types.ts";
export { HTTP_METRICS } from "./metrics.ts";
export { type EndpointTags, HttpRecorder, type HttpRecorderOptions } from "./recorder.ts";
export {
  type BatchRequest,
  createHttpApi,
  type HttpApi,
  type HttpBody,
  type HttpRequestOptions,
  HttpResponse,
  type HttpTimings,
  setExpectedStatuses,
} from "./api.ts";
export {
  compileExpected,
  DEFAULT_EXPECTED,
  DEFAULT_EXPECTED_STATUSES,
  type ExpectedStatus,
  type StatusMatcher,
} from "./expected.ts";
export { DEFAULT_MAX_REDIRECTS } from "./redirect.ts";
export { encodeBody, type FormValue } from "./body.ts";
export { createRequestScenario, MAX_REDIRECT_HOPS, UNREACHABLE_AFTER } from "./request_scenario.ts";
export { HTTP_ENGINES, httpEngine, httpProtocol } from "./protocol.ts";
