/**
 * The fetch engine's client: one `Deno.HttpClient` (its own connection pool) per client, a
 * cap on in-flight requests, a per-request timeout, and an Outcome for every request, failed
 * or not.
 *
 * What fetch lets us see: the time until the response head arrived and the time to read the
 * body. Connect and TLS happen inside fetch and cannot be separated, so `waiting` includes them
 * when a new connection was needed; `dns`, `connecting`, `tls`, `sending` stay NaN.
 *
 * @module
 */

import type { ClientOptions, EngineClient, Outcome, PreparedRequest } from "./types.ts";
import { type ClassifiedError, classifyFetchError } from "./classify_error.ts";
import { ConnectionSlots } from "./connection_slots.ts";
import { fetchStateOf } from "./fetch_request.ts";

/** Appended to TLS errors of an `insecure` client: Deno has no per-client switch for it. */
export const INSECURE_HINT =
  " (--insecure cannot be applied per client by the fetch engine: run Deno with " +
  "--unsafely-ignore-certificate-errors)";

/** An {@link EngineClient} sending with `fetch` through its own `Deno.HttpClient`. */
export class FetchClient implements EngineClient {
  readonly #http: Deno.HttpClient;
  readonly #slots: ConnectionSlots | null;
  readonly #insecure: boolean;
  /** Abort callbacks of the requests in flight, so close() can end them. */
  readonly #inFlight = new Set<() => void>();
  #closed = false;

  /**
   * Creates the client. `maxConnections` sizes the idle pool and caps in-flight requests (fetch
   * itself opens one connection per concurrent HTTP/1.1 request, without limit; over HTTP/2 the
   * cap is stricter than needed). `insecure` cannot be honoured per client, see
   * {@link INSECURE_HINT}.
   */
  constructor(options: ClientOptions = {}) {
    const max = options.maxConnections;
    const capped = max !== undefined && Number.isFinite(max) && max > 0;
    this.#http = Deno.createHttpClient({
      // A load tester must be able to send a Host header of its choosing (virtual hosts).
      allowHost: true,
      ...(capped ? { poolMaxIdlePerHost: Math.floor(max) } : {}),
    });
    this.#slots = capped ? new ConnectionSlots(max) : null;
    this.#insecure = options.insecure ?? false;
  }

  /** Sends the request and fills `out`; never rejects. */
  async send(request: PreparedRequest, out: Outcome, signal?: AbortSignal): Promise<void> {
    try {
      if (this.#closed) return failBeforeSend(out, "client closed");
      if (this.#slots === null) return await this.#exchange(request, out, signal);
      let granted = this.#slots.acquire(signal);
      if (granted !== true) granted = await granted;
      if (!granted) {
        return failBeforeSend(out, this.#closed ? "client closed" : "aborted before sending");
      }
      try {
        await this.#exchange(request, out, signal);
      } finally {
        this.#slots.release();
      }
    } catch (err) {
      // Only a bug gets here (exchange catches request failures); still keep the promise.
      out.ended = performance.now();
      out.error = "other";
      out.errorMessage = classifyFetchError(err).message;
    }
  }

  /** Aborts requests in flight (they end as "aborted"), refuses new ones, frees connections. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#slots?.close();
    for (const abort of [...this.#inFlight]) abort();
    this.#http.close();
  }

  /** One request/response exchange: fetch, read the whole body, fill `out`. */
  async #exchange(req: PreparedRequest, out: Outcome, signal?: AbortSignal): Promise<void> {
    const state = fetchStateOf(req);
    const ctrl = new AbortController();
    // Why the request was stopped, decided by who stopped it first: the error fetch throws
    // then is only the signal's reason, which says nothing reliable about the cause.
    let stop: "timeout" | "aborted" | null = null;
    const onAbort = (): void => {
      stop ??= "aborted";
      ctrl.abort();
    };
    // A plain timer rather than AbortSignal.timeout: it is cleared when the request ends,
    // whereas a timeout signal's timer stays armed for the full timeoutMs after every request.
    const timer = setTimeout(() => {
      stop ??= "timeout";
      ctrl.abort();
    }, req.timeoutMs);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    this.#inFlight.add(onAbort);

    let headersAt = NaN;
    let headBytes = 0;
    let bodyBytes = 0;
    out.started = performance.now();
    try {
      const res = await fetch(state.href, {
        method: state.method,
        headers: state.headers,
        body: state.body,
        client: this.#http,
        signal: ctrl.signal,
        // One outcome per exchange: following redirects would hide their cost and status.
        redirect: "manual",
      });
      headersAt = performance.now();
      out.status = res.status;
      out.waiting = headersAt - out.started;
      out.bytesSent = state.bytesSent;
      headBytes = responseHeadBytes(res);
      // Always read the body to its end: an unread body keeps its connection from reuse.
      if (req.keepResponse) {
        const body = new Uint8Array(await res.arrayBuffer());
        bodyBytes = body.byteLength;
        out.headers = res.headers;
        out.body = body;
        out.decoded = fetchDecoded(state.headers, res.headers);
      } else if (res.body !== null) {
        // A redirect's headers are reported even when the response is not kept (Location).
        if (res.status >= 300 && res.status < 400) out.headers = res.headers;
        const reader = res.body.getReader();
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          bodyBytes += chunk.value.byteLength;
        }
      }
      out.ended = performance.now();
      out.receiving = out.ended - headersAt;
      out.bytesReceived = headBytes + wireBodyBytes(res.headers, bodyBytes);
    } catch (err) {
      out.ended = performance.now();
      const failure: ClassifiedError = stop === "timeout"
        ? { kind: "timeout", message: `no complete response within ${req.timeoutMs} ms` }
        : stop === "aborted"
        ? { kind: "aborted", message: "request aborted" }
        : classifyFetchError(err);
      out.error = failure.kind;
      out.errorMessage = failure.kind === "tls" && this.#insecure
        ? failure.message + INSECURE_HINT
        : failure.message;
      out.bytesReceived = headBytes + bodyBytes;
      // Before a response head we cannot know what was written; count the request only when
      // a server evidently had it (it answered badly, hung up on it, or kept it until timeout).
      if (Number.isNaN(headersAt) && REACHED_SERVER.has(failure.kind)) {
        out.bytesSent = state.bytesSent;
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      this.#inFlight.delete(onAbort);
    }
  }
}

const REACHED_SERVER = new Set(["reset", "malformed", "timeout"]);

/**
 * Whether fetch already undid the response's Content-Encoding. Measured on Deno 2.9.6: it
 * decodes a single gzip or br coding unless the request's Accept-Encoding leaves that coding
 * out (e.g. `identity`), and never deflate; the header stays on the response either way.
 */
function fetchDecoded(sent: Headers, got: Headers): boolean {
  const coding = got.get("content-encoding")?.trim().toLowerCase();
  if (coding !== "gzip" && coding !== "br") return false;
  const accept = sent.get("accept-encoding");
  return accept === null || accept.toLowerCase().includes(coding);
}

/** Marks a request that never reached fetch (client closed, or aborted while queued). */
function failBeforeSend(out: Outcome, message: string): void {
  out.started = performance.now();
  out.ended = out.started;
  out.error = "aborted";
  out.errorMessage = message;
}

/**
 * Estimated size of the response head in HTTP/1.1 form (status line, headers as fetch exposes
 * them, blank line). fetch hides the raw head; over HTTP/2 the real size is smaller (HPACK).
 */
function responseHeadBytes(res: Response): number {
  // "HTTP/1.1 200 " + reason + CRLF, and the blank line at the end of the head.
  let n = 13 + res.statusText.length + 2 + 2;
  for (const [k, v] of res.headers) n += k.length + 2 + v.length + 2;
  return n;
}

/**
 * Body bytes as they crossed the wire. fetch transparently decompresses gzip/br bodies, so
 * when the response was encoded and declares its length, that length is the wire size; an
 * encoded chunked body can only be counted decoded (an overestimate).
 */
function wireBodyBytes(headers: Headers, decoded: number): number {
  const encoding = headers.get("content-encoding");
  if (encoding === null || encoding === "identity") return decoded;
  const declared = Number(headers.get("content-length"));
  return Number.isInteger(declared) && declared >= 0 && headers.has("content-length")
    ? declared
    : decoded;
}
