/**
 * The HTTP client scenarios use: `http.get/post/put/patch/del/head/request/batch`. Each call
 * sends one request through the VU's engine client, follows redirects (each hop recorded as a
 * request of its own, as k6 does), records it like any rampa request (tagged by scenario,
 * group, name, method, status, expected_response, proto), applies the VU's cookie jar, and
 * resolves to an {@link HttpResponse} whose body is decoded (gzip, deflate, br) on first read.
 * Transport failures resolve too (status 0, `error` set): load tests must see failures as data.
 *
 * ```ts
 * import { http } from "rampa";
 *
 * http.setExpectedStatuses({ min: 200, max: 299 }, 404); // a 404 is an answer here
 * export default async function () {
 *   const [a, b] = await http.batch(["http://127.0.0.1:8080/a", ["POST", "http://127.0.0.1:8080/b",
 *     new URLSearchParams({ q: "1" })]]);
 *   a.json(); // decoded even when the server sent gzip
 * }
 * ```
 *
 * @module
 */
import type { CookieJar } from "tough-cookie";
import type { Tags } from "../../core/types.ts";
import type { ProtocolOptions, VuState } from "../../core/protocol/types.ts";
import { encodeBody, type HttpBody } from "./body.ts";
import { isEncoded, loadDecoder } from "./decode.ts";
import { compileExpected, type ExpectedStatus, type StatusMatcher } from "./expected.ts";
import { HttpRecorder } from "./recorder.ts";
import { DEFAULT_MAX_REDIRECTS, type Hop, nextHop, redirectTarget } from "./redirect.ts";
import { HttpResponse, type HttpTimings } from "./response.ts";
import { createOutcome, type Engine, type EngineClient } from "./types.ts";
import { wrapClient } from "./client_wrap.ts";

/** Per-request options. */
export interface HttpRequestOptions {
  headers?: Record<string, string>;
  /** Metric `name` tag; set it for URLs with ids (`/items/{id}`) to keep metrics bounded. */
  name?: string;
  /** Extra low-cardinality tags for this request's metrics (every hop of it). */
  tags?: Tags;
  /** Per-request timeout in ms, each redirect hop on its own (default 60 s). */
  timeout?: number;
  /**
   * Redirects to follow; each hop is recorded as its own request, the last response returned.
   * 0 returns the first 3xx as is. @default the run's `--max-redirects`, else 10
   */
  maxRedirects?: number;
  /**
   * Statuses that count as success for this request (`http_req_failed`, `expected_response`).
   * @default what `http.setExpectedStatuses()` set, else the run's, else 200–399
   */
  expectedStatuses?: readonly ExpectedStatus[];
  /**
   * What to keep of the response body: "text" and "binary" keep the bytes (`r.body`,
   * `r.text()`, `r.json()`), "none" drops them once the response is complete, for requests
   * whose body nobody reads. @default "text"
   */
  responseType?: "text" | "binary" | "none";
}

export type { HttpBody };
export { HttpResponse, type HttpTimings };

/**
 * One request of {@link HttpApi.batch}: a URL (GET), a `[method, url, body?, options?]` tuple,
 * or an object (`params` is accepted as k6's name for `options`).
 */
export type BatchRequest =
  | string
  | readonly [method: string, url: string, body?: HttpBody, options?: HttpRequestOptions]
  | {
    readonly method?: string;
    readonly url: string;
    readonly body?: HttpBody;
    readonly options?: HttpRequestOptions;
    readonly params?: HttpRequestOptions;
  };

/** The client API a scenario sees. */
export interface HttpApi {
  request(
    method: string,
    url: string,
    body?: HttpBody,
    options?: HttpRequestOptions,
  ): Promise<HttpResponse>;
  get(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  head(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  post(url: string, body?: HttpBody, options?: HttpRequestOptions): Promise<HttpResponse>;
  put(url: string, body?: HttpBody, options?: HttpRequestOptions): Promise<HttpResponse>;
  patch(url: string, body?: HttpBody, options?: HttpRequestOptions): Promise<HttpResponse>;
  del(url: string, body?: HttpBody, options?: HttpRequestOptions): Promise<HttpResponse>;
  /**
   * Sends every request at once (within the VU's connection cap, 6 per origin over HTTP/1.1)
   * and resolves to their responses in the order given.
   */
  batch(requests: readonly BatchRequest[]): Promise<HttpResponse[]>;
  /**
   * Sets the statuses counted as success for every later request of this thread that has no
   * `expectedStatuses` of its own (k6's `setResponseCallback(expectedStatuses(...))`). Call it
   * from the scenario module's top level, which every load thread runs. No argument restores
   * the run's rule.
   */
  setExpectedStatuses(...statuses: ExpectedStatus[]): void;
}

const EMPTY = new Uint8Array(0);

/** What the HTTP protocol keeps per VU: its connections and its cookie jar. */
export interface HttpVuSlot {
  client: EngineClient | null;
  /** Made on the VU's first request (null again after a per-iteration reset). */
  jar: CookieJar | null;
}

let jarClass: (typeof import("tough-cookie"))["CookieJar"] | null = null;

/**
 * The VU's cookie jar, made on first use. tough-cookie loads through the CommonJS layer
 * (~40 ms, measured): only scenario requests pay it, on first use, never an ad-hoc run's
 * start-up. Concurrent first requests (a batch) must share one jar: re-checked after the await.
 */
async function jarOf(slot: HttpVuSlot): Promise<CookieJar> {
  if (slot.jar !== null) return slot.jar;
  jarClass ??= (await import("tough-cookie")).CookieJar;
  return slot.jar ??= new jarClass();
}

/** What the HTTP protocol keeps per thread: the engine, the run's rules, the recorders. */
export interface HttpThreadState {
  readonly engine: Engine;
  readonly recorders: Map<string, HttpRecorder>;
  /** The run's expected statuses (null: the default, 200–399). */
  readonly expected: StatusMatcher | null;
  /** The run's redirect limit. */
  readonly maxRedirects: number;
}

/** The protocol's name, the key of its slots. */
export const HTTP = "http";

/** The VU's HTTP slot, created on first use. */
export function httpSlot(vu: VuState): HttpVuSlot {
  let s = vu.slots.get(HTTP) as HttpVuSlot | undefined;
  if (!s) vu.slots.set(HTTP, s = { client: null, jar: null });
  return s;
}

/** The run's expected-status rule, or null for the default (compiled once per thread). */
export function runExpected(o: ProtocolOptions): StatusMatcher | null {
  return o.expectedStatuses ? compileExpected(o.expectedStatuses) : null;
}

/** The thread's HTTP state; `engine` makes the engine the run chose, once per thread. */
export function httpThread(vu: VuState, engine: (name: string) => Engine): HttpThreadState {
  const rt = vu.runtime;
  let t = rt.state.get(HTTP) as HttpThreadState | undefined;
  if (!t) {
    t = {
      engine: engine(rt.options.engine),
      recorders: new Map(),
      expected: runExpected(rt.options),
      maxRedirects: rt.options.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    };
    rt.state.set(HTTP, t);
  }
  return t;
}

/** The recorder of the VU's scenario (scenario requests record lag per iteration, not here). */
function recorderOf(vu: VuState, t: HttpThreadState): HttpRecorder {
  let rec = t.recorders.get(vu.scenario);
  if (!rec) {
    rec = new HttpRecorder(vu.runtime.registry, vu.runtime.evidence, vu.tags, false, {
      proto: t.engine.proto,
      expected: t.expected ?? undefined,
    });
    t.recorders.set(vu.scenario, rec);
  }
  return rec;
}

/** Set by {@link HttpApi.setExpectedStatuses}: this thread's rule, over the run's. */
let threadExpected: StatusMatcher | null = null;
/** Per-request lists compiled once (scenarios pass the same constant array each time). */
const compiled = new WeakMap<readonly ExpectedStatus[], StatusMatcher>();

function matcherOf(list: readonly ExpectedStatus[]): StatusMatcher {
  let m = compiled.get(list);
  if (m === undefined) compiled.set(list, m = compileExpected(list));
  return m;
}

/** Sets (or, with no argument, clears) this thread's expected statuses. */
export function setExpectedStatuses(...statuses: ExpectedStatus[]): void {
  threadExpected = statuses.length ? compileExpected(statuses) : null;
}

/**
 * Sends one request for `vu`, following redirects: every hop is sent, recorded (own `name`,
 * status 3xx) and its cookies stored before the next; the last response is returned.
 */
export async function sendRequest(
  engineOf: (name: string) => Engine,
  vu: VuState,
  method: string,
  url: string,
  body: HttpBody | undefined,
  options: HttpRequestOptions = {},
): Promise<HttpResponse> {
  const rt = vu.runtime;
  const thread = httpThread(vu, engineOf);
  const slot = httpSlot(vu);
  const headers: [string, string][] = Object.entries(options.headers ?? {});
  const encoded = await encodeBody(body);
  if (
    encoded.contentType !== null && !headers.some(([k]) => k.toLowerCase() === "content-type")
  ) headers.push(["Content-Type", encoded.contentType]);
  const jar = await jarOf(slot);
  const rec = recorderOf(vu, thread);
  const match = options.expectedStatuses ? matcherOf(options.expectedStatuses) : threadExpected;
  const max = options.maxRedirects ?? thread.maxRedirects;
  // Behind the thread's --rps cap and --http-debug printer when the run asks for them.
  const client = slot.client ??= wrapClient(
    thread.engine.createClient({
      insecure: rt.options.insecure,
      maxConnections: 6,
      connections: rt.options.connections,
    }),
    rt,
  );
  let hop: Hop = { method: method.toUpperCase(), url, headers, payload: encoded.payload };
  /** Prepares a hop (cookies from the jar as they are now) and resolves its endpoint. */
  const prepareHop = (h: Hop, n: number) => {
    const sent = h.headers.slice();
    const cookie = jar.getCookieStringSync(h.url);
    if (cookie) sent.push(["Cookie", cookie]);
    const u = URL.parse(h.url);
    const own = n === 0 ? options.name : undefined;
    let name = own ?? (u ? u.origin + u.pathname : h.url);
    const req = thread.engine.prepare({
      method: h.method,
      url: h.url,
      headers: sent,
      body: h.payload,
      timeoutMs: options.timeout,
      name,
      keepResponse: true,
    });
    if (rec.endpointCount >= rt.options.maxEndpoints && own === undefined) name = "(other)";
    const endpoint = rec.endpoint({
      name,
      method: req.method,
      group: vu.group,
      extra: options.tags,
    });
    return { req, name, endpoint };
  };
  // The first hop's URL is the user's: an invalid one throws a ConfigError, as before.
  let cur = prepareHop(hop, 0);
  for (let n = 0;; n++) {
    const { req, name, endpoint } = cur;
    const out = createOutcome();
    out.scheduled = out.started = performance.now();
    await client.send(req, out, vu.interrupt);
    const resHeaders = out.headers ?? new Headers();
    for (const c of resHeaders.getSetCookie()) {
      try {
        jar.setCookieSync(c, hop.url);
      } catch {
        // A cookie the jar rejects (bad domain) is ignored, as browsers do.
      }
    }
    const to = max > 0 && out.error === null
      ? redirectTarget(out.status, resHeaders.get("location"), hop.url)
      : null;
    let next: typeof cur | null = null;
    if (to !== null && n >= max) {
      // A loop (or a chain longer than allowed) must not pass for a plain 3xx answer.
      out.error = "other";
      out.errorMessage = `Stopped after ${max} redirects at ${name}: ` +
        "raise maxRedirects (--max-redirects) or fix the redirect loop";
    } else if (to !== null) {
      const h = nextHop(hop, out.status, to);
      try {
        next = prepareHop(h, n + 1);
        hop = h;
      } catch (err) {
        out.error = "other";
        out.errorMessage = `Cannot follow the redirect to ${to.href}: ${(err as Error).message}`;
      }
    }
    rec.record(endpoint, out, NaN, match !== null ? match(out.status) : undefined);
    if (next !== null) {
      cur = next;
      continue;
    }
    const kept = options.responseType === "none" ? EMPTY : out.body ?? EMPTY;
    // Loaded only once a thread sees an encoded body; decoding itself waits for the first read.
    const decoder = !out.decoded && kept.byteLength > 0 &&
        isEncoded(resHeaders.get("content-encoding"))
      ? await loadDecoder()
      : null;
    const timings: HttpTimings = {
      duration: out.ended - out.scheduled,
      blocked: out.blocked,
      connecting: out.connecting,
      tls: out.tls,
      sending: out.sending,
      waiting: out.waiting,
      receiving: out.receiving,
    };
    return new HttpResponse(
      req.method,
      hop.url,
      name,
      out.status,
      resHeaders,
      kept,
      timings,
      out.error,
      out.errorMessage,
      decoder,
    );
  }
}

/** Normalises one {@link BatchRequest}; throws a TypeError for anything else. */
function batchItem(
  r: BatchRequest,
): [string, string, HttpBody | undefined, HttpRequestOptions | undefined] {
  if (typeof r === "string") return ["GET", r, undefined, undefined];
  if (Array.isArray(r)) {
    const [m, url, body, o] = r as readonly [string, string, HttpBody?, HttpRequestOptions?];
    if (typeof m === "string" && typeof url === "string") return [m, url, body, o];
  } else if (
    r !== null && typeof r === "object" && typeof (r as { url?: unknown }).url === "string"
  ) {
    const o = r as Exclude<BatchRequest, string | readonly unknown[]>;
    return [o.method ?? "GET", o.url, o.body, o.options ?? o.params];
  }
  throw new TypeError(
    `Invalid batch request ${JSON.stringify(r)}: expected a URL, [method, url, body?, options?] ` +
      "or { method, url, body?, options? }",
  );
}

/**
 * The HTTP API bound to a VU lookup (the context's own VU, or the current one); `engineOf`
 * makes the engine named by the run's options.
 */
export function createHttpApi(vu: () => VuState, engineOf: (name: string) => Engine): HttpApi {
  const send = (
    v: VuState,
    m: string,
    url: string,
    body: HttpBody | undefined,
    o: HttpRequestOptions | undefined,
  ) => sendRequest(engineOf, v, m, url, body, o);
  const req = (m: string) => (url: string, body?: HttpBody, o?: HttpRequestOptions) =>
    send(vu(), m, url, body, o);
  return {
    request: (method, url, body, o) => send(vu(), method, url, body, o),
    get: (url, o) => send(vu(), "GET", url, undefined, o),
    head: (url, o) => send(vu(), "HEAD", url, undefined, o),
    post: req("POST"),
    put: req("PUT"),
    patch: req("PATCH"),
    del: req("DELETE"),
    batch: async (requests) => {
      const v = vu();
      // Validated up front, so a bad item fails the call before any request is sent.
      const items = requests.map(batchItem);
      return await Promise.all(items.map(([m, url, body, o]) => send(v, m, url, body, o)));
    },
    setExpectedStatuses,
  };
}
