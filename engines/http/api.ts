/**
 * The HTTP client scenarios use: `http.get/post/put/patch/del/head/request`. Each call sends
 * one request through the VU's engine client, records it like any rampa request (tagged by
 * scenario, group, name, method, status), applies the VU's cookie jar, and resolves to an
 * {@link HttpResponse}. Transport failures resolve too (status 0, `error` set): load tests
 * must see failures as data.
 *
 * @module
 */
import type { CookieJar } from "tough-cookie";
import type { ErrorKind, Tags } from "../../core/types.ts";
import type { VuState } from "../../core/protocol/types.ts";
import { HttpRecorder } from "./recorder.ts";
import { createOutcome, type Engine, type EngineClient } from "./types.ts";

/** Per-request options. */
export interface HttpRequestOptions {
  headers?: Record<string, string>;
  /** Metric `name` tag; set it for URLs with ids (`/items/{id}`) to keep metrics bounded. */
  name?: string;
  /** Extra low-cardinality tags for this request's metrics. */
  tags?: Tags;
  /** Per-request timeout in ms (default 60 s). */
  timeout?: number;
}

/** A body: text, bytes, or any other value sent as JSON. */
export type HttpBody = string | Uint8Array | Record<string, unknown> | unknown[] | null;

/** Phase timings of one request, ms (NaN where the engine cannot observe a phase). */
export interface HttpTimings {
  duration: number;
  blocked: number;
  connecting: number;
  tls: number;
  sending: number;
  waiting: number;
  receiving: number;
}

const decoder = new TextDecoder();

/** A response (or a transport failure, with status 0 and `error` set). */
export class HttpResponse {
  /** Creates a response record; built by the client, not by users. */
  constructor(
    readonly method: string,
    readonly url: string,
    /** The request's metric `name` tag (checks on this response are tagged with it too). */
    readonly name: string,
    readonly status: number,
    readonly headers: Headers,
    readonly body: Uint8Array,
    readonly timings: HttpTimings,
    readonly error: ErrorKind | null,
    readonly errorMessage: string,
  ) {}

  /** True for a 2xx status. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The body as UTF-8 text. */
  text(): string {
    return decoder.decode(this.body);
  }

  /** The body parsed as JSON (throws on invalid JSON, like fetch). */
  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
}

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
}

const EMPTY = new Uint8Array(0);

/** What the HTTP protocol keeps per VU: its connections and its cookie jar. */
export interface HttpVuSlot {
  client: EngineClient | null;
  /** Made on the VU's first request (null again after a per-iteration reset). */
  jar: CookieJar | null;
}

/**
 * A new cookie jar. tough-cookie loads through the CommonJS layer (~40 ms, measured): only
 * scenario requests pay it, on first use, never an ad-hoc run's start-up.
 */
async function newJar(): Promise<CookieJar> {
  const { CookieJar } = await import("tough-cookie");
  return new CookieJar();
}

/** What the HTTP protocol keeps per thread: the engine and one recorder per scenario. */
export interface HttpThreadState {
  readonly engine: Engine;
  readonly recorders: Map<string, HttpRecorder>;
}

/** The protocol's name, the key of its slots. */
export const HTTP = "http";

/** The VU's HTTP slot, created on first use. */
export function httpSlot(vu: VuState): HttpVuSlot {
  let s = vu.slots.get(HTTP) as HttpVuSlot | undefined;
  if (!s) vu.slots.set(HTTP, s = { client: null, jar: null });
  return s;
}

/** The thread's HTTP state; `engine` makes the engine the run chose, once per thread. */
export function httpThread(vu: VuState, engine: (name: string) => Engine): HttpThreadState {
  const rt = vu.runtime;
  let t = rt.state.get(HTTP) as HttpThreadState | undefined;
  if (!t) rt.state.set(HTTP, t = { engine: engine(rt.options.engine), recorders: new Map() });
  return t;
}

/** The recorder of the VU's scenario (scenario requests record lag per iteration, not here). */
function recorderOf(vu: VuState, t: HttpThreadState): HttpRecorder {
  let rec = t.recorders.get(vu.scenario);
  if (!rec) {
    rec = new HttpRecorder(vu.runtime.registry, vu.runtime.evidence, vu.tags, false);
    t.recorders.set(vu.scenario, rec);
  }
  return rec;
}

/** Sends one request for `vu`. */
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
  let payload: string | Uint8Array | null = null;
  if (body !== undefined && body !== null) {
    if (typeof body === "string" || body instanceof Uint8Array) payload = body;
    else {
      payload = JSON.stringify(body);
      if (!headers.some(([k]) => k.toLowerCase() === "content-type")) {
        headers.push(["Content-Type", "application/json"]);
      }
    }
  }
  const jar = slot.jar ??= await newJar();
  const cookie = jar.getCookieStringSync(url);
  if (cookie) headers.push(["Cookie", cookie]);
  const u = URL.parse(url);
  let name = options.name ?? (u ? u.origin + u.pathname : url);
  const req = thread.engine.prepare({
    method: method.toUpperCase(),
    url,
    headers,
    body: payload,
    timeoutMs: options.timeout,
    name,
    keepResponse: true,
  });
  const rec = recorderOf(vu, thread);
  if (rec.endpointCount >= rt.options.maxEndpoints && options.name === undefined) name = "(other)";
  const endpoint = rec.endpoint({ name, method: req.method, group: vu.group, extra: options.tags });
  slot.client ??= thread.engine.createClient({ insecure: rt.options.insecure, maxConnections: 6 });
  const out = createOutcome();
  out.scheduled = out.started = performance.now();
  await slot.client.send(req, out, vu.interrupt);
  rec.record(endpoint, out);
  const resHeaders = out.headers ?? new Headers();
  for (const c of resHeaders.getSetCookie()) {
    try {
      jar.setCookieSync(c, url);
    } catch {
      // A cookie the jar rejects (bad domain) is ignored, as browsers do.
    }
  }
  return new HttpResponse(
    req.method,
    url,
    name,
    out.status,
    resHeaders,
    out.body ?? EMPTY,
    {
      duration: out.ended - out.scheduled,
      blocked: out.blocked,
      connecting: out.connecting,
      tls: out.tls,
      sending: out.sending,
      waiting: out.waiting,
      receiving: out.receiving,
    },
    out.error,
    out.errorMessage,
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
  };
}
