/**
 * The HTTP protocol's engine contract: what a request is, the {@link Outcome} an engine fills
 * in, and the {@link Engine}/{@link EngineClient} pair every HTTP engine (http1, fetch)
 * implements. Request failures are data in the outcome, never thrown.
 *
 * All times are milliseconds on the monotonic `performance.now()` clock of the thread that
 * measured them.
 *
 * @module
 */
import type { ErrorKind } from "../../core/types.ts";

/**
 * The timing phases of one request. An engine states which ones it can observe; a phase it
 * cannot observe is `NaN` in an {@link Outcome} and is not recorded (never recorded as 0).
 */
export type Phase =
  | "blocked"
  | "dns"
  | "connecting"
  | "tls"
  | "sending"
  | "waiting"
  | "receiving";

/**
 * The result of one request, filled in by an engine. It is a mutable record so that the hot
 * path can reuse one per in-flight slot instead of allocating per request.
 */
export interface Outcome {
  /** When the request was due by the schedule (open loop) or when it began (closed loop). */
  scheduled: number;
  /** When the engine began to send it. */
  started: number;
  /**
   * Of the time between `scheduled` and `started`, how long the request was held back by the
   * run's `--rps` cap (ms; 0 without it). It stays in the latency, which counts from the
   * schedule, but is not scheduler lag: the generator was on time, the cap made it wait.
   */
  held?: number;
  /** When the last byte of the response arrived, or the failure was seen. */
  ended: number;
  /** Per-phase durations in ms; `NaN` where the engine could not observe the phase. */
  blocked: number;
  dns: number;
  connecting: number;
  tls: number;
  sending: number;
  waiting: number;
  receiving: number;
  /** HTTP status, or 0 when no response was received. */
  status: number;
  /** Failure below HTTP, or null. */
  error: ErrorKind | null;
  /** Human-readable detail for the error (first one of each kind reaches the summary). */
  errorMessage: string;
  bytesSent: number;
  bytesReceived: number;
  /**
   * Response headers, filled when the request asked to keep the response, and for a 3xx
   * response always (its Location is needed to follow it).
   */
  headers: Headers | null;
  /** Response body, only filled when the request asked to keep the response. */
  body: Uint8Array | null;
  /**
   * True when the engine already undid the response's `Content-Encoding` (fetch does so inside
   * its body read); false when `body` holds the bytes as they were sent, to be decoded lazily by
   * whoever reads them (http1, http2), after `ended`, so decoding never inflates a timed phase.
   */
  decoded: boolean;
}

/** Creates a blank outcome (all phases unobserved). */
export function createOutcome(): Outcome {
  return {
    scheduled: 0,
    started: 0,
    held: 0,
    ended: 0,
    blocked: NaN,
    dns: NaN,
    connecting: NaN,
    tls: NaN,
    sending: NaN,
    waiting: NaN,
    receiving: NaN,
    status: 0,
    error: null,
    errorMessage: "",
    bytesSent: 0,
    bytesReceived: 0,
    headers: null,
    body: null,
    decoded: false,
  };
}

/** Clears an outcome for reuse, setting its scheduled time. */
export function resetOutcome(o: Outcome, scheduled: number): void {
  o.scheduled = scheduled;
  o.started = scheduled;
  o.held = 0;
  o.ended = scheduled;
  o.blocked = NaN;
  o.dns = NaN;
  o.connecting = NaN;
  o.tls = NaN;
  o.sending = NaN;
  o.waiting = NaN;
  o.receiving = NaN;
  o.status = 0;
  o.error = null;
  o.errorMessage = "";
  o.bytesSent = 0;
  o.bytesReceived = 0;
  o.headers = null;
  o.body = null;
  o.decoded = false;
}

/** What a user asks to send; engines turn it into a {@link PreparedRequest} once. */
export interface RequestSpec {
  method: string;
  url: string;
  headers?: [string, string][];
  body?: Uint8Array | string | null;
  /** Per-request timeout in ms (whole request, connect to last byte). */
  timeoutMs?: number;
  /** Metric `name` tag; defaults to the URL without its query string. */
  name?: string;
  /** Keep headers and body in the outcome (scenarios need them; ad-hoc runs do not). */
  keepResponse?: boolean;
}

/**
 * A request checked and pre-encoded once, then sent many times. `state` is the engine's own
 * pre-computed form (for the lean HTTP/1.1 client, the request bytes).
 */
export interface PreparedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: readonly [string, string][];
  readonly body: Uint8Array | null;
  readonly timeoutMs: number;
  readonly name: string;
  readonly keepResponse: boolean;
  readonly state?: unknown;
}

/** Options shared by every engine client. */
export interface ClientOptions {
  /** Skip TLS certificate verification. */
  insecure?: boolean;
  /** Upper bound on open connections for this client. */
  maxConnections?: number;
  /**
   * Connections per origin for an engine that multiplexes requests over few connections
   * (http2: streams share them), capped by `maxConnections`. Engines with one request per
   * connection (http1, fetch) ignore it. @default 1
   */
  connections?: number;
}

/**
 * A protocol engine. It prepares requests once and makes clients; a client sends requests and
 * reports each as an {@link Outcome}. Request failures are written into the outcome, never
 * thrown.
 */
export interface Engine {
  /** Engine id, as chosen with `--engine`. */
  readonly name: string;
  /** The phases this engine can observe; others stay `NaN`. */
  readonly observes: ReadonlySet<Phase>;
  /**
   * The protocol version its requests speak, as the `proto` tag spells it ("HTTP/1.1",
   * "HTTP/2.0"); absent when the engine cannot tell (fetch negotiates by ALPN and hides which).
   */
  readonly proto?: string;
  /** Validates and pre-encodes a request; throws a ConfigError for an invalid one. */
  prepare(spec: RequestSpec): PreparedRequest;
  /** Creates a client (a VU's, or one shared by an open-loop run). */
  createClient(options: ClientOptions): EngineClient;
  /**
   * Optional: a client like {@link Engine.createClient}'s whose connections all go to a
   * stand-in server on this thread, to rehearse `requests` before the clock starts (ADR 23);
   * null when it cannot stand in for them (TLS, a body it does not know the length of).
   */
  rehearsal?(
    requests: readonly PreparedRequest[],
    options: ClientOptions,
  ): Rehearsal | null;
}

/** A client talking to a stand-in, and the end of that (see {@link Engine.rehearsal}). */
export interface Rehearsal {
  readonly client: EngineClient;
  /** Requests the stand-in answered so far. */
  readonly answered: () => number;
  /** Closes the client and stops the stand-in. */
  end(): Promise<void>;
}

/** A connection-holding client of an {@link Engine}. */
export interface EngineClient {
  /**
   * Sends `request` and fills `out` (whose `scheduled` is already set). Resolves when the
   * response is complete or the request failed; never rejects for a request failure.
   * `signal` aborts an in-flight request (recorded as error kind "aborted").
   */
  send(request: PreparedRequest, out: Outcome, signal?: AbortSignal): Promise<void>;
  /**
   * Opens connections to `request`'s origin ahead of need, so that an open-loop run does not
   * pay connect (and TLS) cost in a burst of due arrivals, exactly when it is already behind.
   * Tops the origin's idle connections up to `connections`, never past the client's cap
   * (counting the connections it already holds), dialing concurrently; it sends no request and
   * records nothing. Resolves to how many connections to that origin are open and idle
   * afterwards: a failed dial (refused, timed out, ...) is not thrown, only not counted.
   * Optional: an engine without a pool of its own (fetch) leaves it out.
   */
  warm?(request: PreparedRequest, connections: number): Promise<number>;
  /** Closes every connection. */
  close(): void;
}
