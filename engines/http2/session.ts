/**
 * One HTTP/2 connection of the http2 engine: a socket dialed phase by phase (dial.ts) and the
 * node:http2 session over it. It becomes usable only once the server's SETTINGS arrived, since
 * they carry `MAX_CONCURRENT_STREAMS`: streams opened before that could be refused
 * (measured: 12 of 20 requests sent at once to nginx with `http2_max_concurrent_streams 4`
 * came back `REFUSED_STREAM`, because Deno's node:http2 does not queue streams past the limit).
 * The client never opens more than {@link Http2Session.limit} streams on it.
 *
 * A GOAWAY from the server (nginx sends one after `keepalive_requests` streams, or when idle)
 * makes it draining: its streams finish, new ones go elsewhere.
 *
 * @module
 */

import http2 from "node:http2";
import type net from "node:net";
import type { Outcome } from "../http/types.ts";
import { dialHttp2, type DialTimings, Http2DialError, type Http2TlsSettings } from "./dial.ts";
import type { Http2State } from "./request.ts";

/** What a session tells its client. */
export interface SessionOwner {
  /** The session can take more streams (ready, a stream ended, or the limit grew). */
  onCapacity(s: Http2Session): void;
  /** The session will take no more streams (GOAWAY, error, closed). */
  onGone(s: Http2Session): void;
}

/** The session lifecycle. */
export type SessionState = "dialing" | "ready" | "draining" | "closed";

/** One connection and its node:http2 session; see the module doc. */
export class Http2Session {
  /** Pool key of its origin. */
  readonly origin: string;
  /** Where it is in its life. */
  state: SessionState = "dialing";
  /** The node session, once the socket is up. */
  node: http2.ClientHttp2Session | null = null;
  /** Streams the server allows at once (its MAX_CONCURRENT_STREAMS), known once ready. */
  limit = 0;
  /** Streams open now. */
  active = 0;
  /** Phase durations of its dial. */
  readonly timings: DialTimings = { dns: NaN, connecting: NaN, tls: NaN };
  /** Why it failed or closed, for the outcomes that were on it. */
  failure: Http2DialError | null = null;
  /** What the client keeps per session (its in-flight sends). */
  readonly inflight = new Set<unknown>();
  #owner: SessionOwner;
  #sock: net.Socket | null = null;
  #readBase = 0;
  #writeBase = 0;

  /** Creates a session that is not dialed yet (see {@link open}). */
  constructor(origin: string, owner: SessionOwner) {
    this.origin = origin;
    this.#owner = owner;
  }

  /** Whether a new stream may be opened on it now. */
  get hasRoom(): boolean {
    return this.state === "ready" && this.active < this.limit;
  }

  /**
   * Dials and waits for the server's SETTINGS, all within `timeoutMs`. Rejects with an
   * {@link Http2DialError} (and the session is then closed).
   */
  async open(st: Http2State, tls: Http2TlsSettings, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let sock: net.Socket;
    try {
      sock = await dialHttp2(st, tls, timeoutMs, this.timings);
    } catch (e) {
      this.#fail(e instanceof Http2DialError ? e : new Http2DialError(e, "connect"));
      throw this.failure;
    }
    if (this.state === "closed") {
      sock.destroy();
      throw this.failure ?? new Http2DialError(new Error("client closed"), "io", "aborted");
    }
    this.#sock = sock;
    const node = this.node = http2.connect(st.origin, {
      createConnection: () => sock as unknown as net.Socket,
      settings: { enablePush: false },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Http2DialError(
              new Error("no HTTP/2 SETTINGS from the server within the request timeout"),
              "io",
              "timeout",
            ),
          );
        }, Math.max(0, deadline - performance.now()));
        node.once("remoteSettings", () => {
          clearTimeout(timer);
          resolve();
        });
        node.once("close", () => {
          clearTimeout(timer);
          reject(this.failure ?? closedEarly());
        });
        node.once("error", (e: unknown) => {
          clearTimeout(timer);
          reject(new Http2DialError(e, "io", "malformed"));
        });
      });
    } catch (e) {
      this.#fail(e as Http2DialError);
      throw this.failure;
    }
    if (this.state !== "dialing") throw this.failure ?? closedEarly();
    this.limit = node.remoteSettings.maxConcurrentStreams ?? 100;
    this.#readBase = sock.bytesRead;
    this.#writeBase = sock.bytesWritten;
    this.state = "ready";
    node.on("remoteSettings", (s: http2.Settings) => {
      const before = this.limit;
      this.limit = s.maxConcurrentStreams ?? this.limit;
      if (this.limit > before) this.#owner.onCapacity(this);
    });
    node.on("goaway", () => this.#retire("draining"));
    node.on("error", (e: unknown) => {
      this.failure ??= new Http2DialError(e, "io");
    });
    node.on("close", () => this.#retire("closed"));
  }

  /**
   * Moves the bytes the socket received since the last call into `out` (at a request's end).
   * Over a multiplexed connection no byte belongs to one stream, so each finished request
   * takes what arrived since the previous one finished: per request an approximation, in total
   * exact (frame headers, HPACK and control frames included, TLS records not).
   */
  takeReceived(out: Outcome): void {
    const sock = this.#sock;
    if (sock === null) return;
    const r = sock.bytesRead;
    out.bytesReceived = r - this.#readBase;
    this.#readBase = r;
  }

  /**
   * Moves the bytes written since the last call into `out`, the same way. Taken when the
   * response head arrives: the socket's write counter moves when a write completes, which
   * may be after a fast response's last byte, but the request was on the wire before its
   * answer. Bytes still unaccounted at the end of a run (the last few) are never counted.
   */
  takeSent(out: Outcome): void {
    const sock = this.#sock;
    if (sock === null) return;
    const w = sock.bytesWritten;
    out.bytesSent = w - this.#writeBase;
    this.#writeBase = w;
  }

  /** A stream ended: free its slot and say there is room. */
  streamEnded(): void {
    this.active--;
    if (this.state === "ready") this.#owner.onCapacity(this);
    else if (this.state === "draining" && this.active === 0) this.close();
  }

  /** Closes the session at once (in-flight streams are destroyed by node). */
  close(): void {
    if (this.state === "closed") return;
    const wasDialing = this.state === "dialing";
    this.failure ??= new Http2DialError(new Error("connection closed"), "io", "reset");
    this.state = "closed";
    try {
      this.node?.destroy();
    } catch { /* already gone */ }
    this.#sock?.destroy();
    if (!wasDialing) this.#owner.onGone(this);
  }

  /** GOAWAY or close: no new streams; tell the owner once. */
  #retire(to: "draining" | "closed"): void {
    if (this.state === "closed") return;
    const was = this.state;
    if (to === "closed") {
      this.failure ??= new Http2DialError(
        new Error("connection closed by the server"),
        "io",
        "reset",
      );
      this.state = "closed";
      this.#sock?.destroy();
    } else {
      this.state = "draining";
      if (this.active === 0) {
        this.close();
        return;
      }
    }
    if (was === "ready") this.#owner.onGone(this);
  }

  #fail(e: Http2DialError): void {
    this.failure ??= e;
    this.state = "closed";
    try {
      this.node?.destroy();
    } catch { /* already gone */ }
    this.#sock?.destroy();
  }
}

function closedEarly(): Http2DialError {
  return new Http2DialError(
    new Error("connection closed before the server's HTTP/2 SETTINGS (is it an HTTP/2 server?)"),
    "io",
    "malformed",
  );
}
