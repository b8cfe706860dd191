/**
 * The http2 engine's client: per origin a few HTTP/2 sessions (connections), each carrying
 * many concurrent requests as streams.
 *
 * Routing a send: the ready session with the fewest open streams takes it when it has none
 * open; otherwise, below the origin's session count a new session is dialed and the send
 * waits for it (that send reports the dial's dns/connecting/tls, so `http_conns_opened` counts
 * it, as with http1); otherwise the least-loaded session with room under the server's
 * `MAX_CONCURRENT_STREAMS` takes it; otherwise the send queues, FIFO per origin, and the wait
 * is its `blocked` phase. A send routed to a session dialed for another send also counts its
 * wait as `blocked`, and 0 for dns/connecting/tls (the connection was not opened for it).
 *
 * A stream the server refuses without processing it (`REFUSED_STREAM`, or beyond the last
 * stream id of a GOAWAY) is routed again, at most {@link MAX_RETRIES} times: RFC 9113 §8.7
 * guarantees such a request was not acted on, so a retry cannot duplicate it.
 *
 * Timeouts and caller aborts are checked by one interval per client ({@link SWEEP_MS}), not by a
 * timer and a listener per request; the outcome's `ended` is when it was acted on.
 *
 * @module
 */

import http2 from "node:http2";
import type { ErrorKind } from "../../core/types.ts";
import type { ClientOptions, EngineClient, Outcome, PreparedRequest } from "../http/types.ts";
import type { Http2DialError, Http2TlsSettings } from "./dial.ts";
import { http2StateOf } from "./request.ts";
import {
  attach,
  concat,
  expired,
  fail,
  isGoawayRefusal,
  type Pending,
  type StreamSink,
  type TaggedStream,
  timeoutMessage,
} from "./_send.ts";
import { Http2Session, type SessionOwner } from "./session.ts";

/** How often in-flight and queued sends are checked for timeouts and aborts, ms. */
export const SWEEP_MS = 10;
/** Times a refused (unprocessed) stream is routed again before it counts as failed. */
export const MAX_RETRIES = 2;

/** Client options of the http2 engine. */
export interface Http2ClientOptions extends ClientOptions {
  /**
   * HTTP/2 connections (sessions) per origin; requests are spread over them as streams.
   * Capped by `maxConnections`. @default 1
   */
  connections?: number;
  /** Extra trusted root certificates, PEM (e.g. a test CA), beside the system's. */
  caCerts?: string[];
}

/** Counters a client keeps, for tests and diagnostics. */
export interface Http2ClientStats {
  /** Sessions dialed successfully (warm() included). */
  sessionsOpened: number;
  /** Sends that had to queue because every session was at its stream limit or dialing. */
  queued: number;
  /** Most streams open at once on one session. */
  peakStreams: number;
  /** Streams routed again after the server refused them unprocessed. */
  retried: number;
}

/** The sessions and the queue of one origin. */
interface Pool {
  readonly sessions: Http2Session[];
  queue: Pending[];
}

const {
  NGHTTP2_REFUSED_STREAM,
  NGHTTP2_CANCEL,
  NGHTTP2_PROTOCOL_ERROR,
  NGHTTP2_FRAME_SIZE_ERROR,
  NGHTTP2_COMPRESSION_ERROR,
} = http2.constants;

/** A multiplexing HTTP/2 client; see the module doc. */
export class Http2Client implements EngineClient, SessionOwner, StreamSink {
  readonly #tls: Http2TlsSettings;
  readonly #perOrigin: number;
  readonly #pools = new Map<string, Pool>();
  /** Every session not yet closed, draining ones included (close() ends them all). */
  readonly #open = new Set<Http2Session>();
  readonly #stats: Http2ClientStats = { sessionsOpened: 0, queued: 0, peakStreams: 0, retried: 0 };
  #timer: ReturnType<typeof setInterval>;
  #closed = false;

  /** Creates a client; nothing is dialed until the first send or {@link warm}. */
  constructor(options: Http2ClientOptions = {}) {
    const want = options.connections ?? 1;
    const cap = options.maxConnections ?? Infinity;
    this.#perOrigin = Math.max(1, Math.floor(Math.min(want >= 1 ? want : 1, cap >= 1 ? cap : 1)));
    this.#tls = { insecure: options.insecure ?? false, caCerts: options.caCerts };
    this.#timer = setInterval(() => this.#sweep(performance.now()), SWEEP_MS);
    // Never keep a process alive just to watch an idle client.
    Deno.unrefTimer(this.#timer);
  }

  /** Sessions per origin this client opens at most. */
  get connectionsPerOrigin(): number {
    return this.#perOrigin;
  }

  /** A copy of the client's counters. */
  stats(): Http2ClientStats {
    return { ...this.#stats };
  }

  /** Sends `request`, filling `out`; never rejects. */
  send(request: PreparedRequest, out: Outcome, signal?: AbortSignal): Promise<void> {
    const t0 = performance.now();
    out.started = t0;
    const st = http2StateOf(request);
    if (st === null) return fail(out, "other", "request was not prepared by the http2 engine");
    if (signal?.aborted) return fail(out, "aborted", "request aborted by the caller");
    if (this.#closed) return fail(out, "other", "client is closed");
    return new Promise<void>((resolve) => {
      const p: Pending = {
        client: this,
        st,
        out,
        keep: request.keepResponse,
        signal,
        deadline: t0 + request.timeoutMs,
        resolve,
        session: null,
        stream: null,
        dialer: false,
        dispatchedAt: NaN,
        firstByteAt: NaN,
        gotHead: false,
        endedAt: NaN,
        bodyBytes: 0,
        expectedBytes: -1,
        chunks: null,
        retries: 0,
        done: false,
      };
      this.#route(this.#pool(st.origin), p);
    });
  }

  /**
   * Opens the origin's sessions ahead of need, up to `min(connections, sessions per origin)`,
   * all at once, each bounded by the request's timeout. Resolves to how many are ready then;
   * a failed dial is not thrown, only not counted. See {@link EngineClient.warm}.
   */
  async warm(request: PreparedRequest, connections: number): Promise<number> {
    const st = http2StateOf(request);
    if (st === null || this.#closed) return 0;
    const pool = this.#pool(st.origin);
    const want = Math.min(Math.floor(connections), this.#perOrigin) - pool.sessions.length;
    const dials: Promise<void>[] = [];
    for (let i = 0; i < want; i++) {
      const s = this.#newSession(pool, st.origin);
      dials.push(
        s.open(st, this.#tls, request.timeoutMs).then(
          () => this.#opened(s),
          () => this.#dialFailed(pool, s, null),
        ),
      );
    }
    await Promise.all(dials);
    return pool.sessions.filter((s) => s.state === "ready").length;
  }

  /** Closes every session; in-flight and queued sends end as aborted, later ones fail. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    const now = performance.now();
    for (const pool of this.#pools.values()) {
      for (const p of pool.queue) this.#finish(p, "aborted", "request aborted: client closed", now);
      pool.queue = [];
    }
    for (const s of [...this.#open]) {
      for (const p of [...s.inflight] as Pending[]) {
        this.#finish(p, "aborted", "request aborted: client closed", now);
      }
      s.close();
    }
    this.#open.clear();
    this.#pools.clear();
  }

  // ---- SessionOwner ----

  /** A session has room: hand it queued sends of its origin, oldest first. */
  onCapacity(s: Http2Session): void {
    const pool = this.#pools.get(s.origin);
    if (pool === undefined) return;
    while (pool.queue.length > 0 && s.hasRoom) this.#dispatch(s, pool.queue.shift()!);
  }

  /** A session takes no more streams: forget it, and re-route its origin's queue. */
  onGone(s: Http2Session): void {
    if (s.state === "closed") this.#open.delete(s);
    const pool = this.#pools.get(s.origin);
    if (pool === undefined) return;
    const i = pool.sessions.indexOf(s);
    if (i === -1) return;
    pool.sessions.splice(i, 1);
    this.#requeue(pool);
  }

  // ---- routing ----

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) this.#pools.set(origin, pool = { sessions: [], queue: [] });
    return pool;
  }

  #route(pool: Pool, p: Pending): void {
    let best: Http2Session | null = null;
    for (const s of pool.sessions) {
      if (s.hasRoom && (best === null || s.active < best.active)) best = s;
    }
    if (best !== null && best.active === 0) return this.#dispatch(best, p);
    if (pool.sessions.length < this.#perOrigin) return this.#dialFor(pool, p);
    if (best !== null) return this.#dispatch(best, p);
    this.#stats.queued++;
    pool.queue.push(p);
  }

  /** Routes the queue again (a session left); dials if there is none left to wait for. */
  #requeue(pool: Pool): void {
    const waiting = pool.queue;
    pool.queue = [];
    for (const p of waiting) if (!p.done) this.#route(pool, p);
  }

  #newSession(pool: Pool, origin: string): Http2Session {
    const s = new Http2Session(origin, this);
    pool.sessions.push(s);
    this.#open.add(s);
    return s;
  }

  #dialFor(pool: Pool, p: Pending): void {
    const s = this.#newSession(pool, p.st.origin);
    p.dialer = true;
    p.session = s;
    s.inflight.add(p);
    s.open(p.st, this.#tls, Math.max(1, p.deadline - performance.now())).then(
      () => {
        s.inflight.delete(p);
        p.session = null;
        if (!p.done && s.hasRoom) this.#dispatch(s, p);
        else if (!p.done) {
          p.dialer = false;
          pool.queue.unshift(p);
        }
        this.#opened(s);
      },
      () => this.#dialFailed(pool, s, p),
    );
  }

  #opened(s: Http2Session): void {
    if (this.#closed) return s.close();
    this.#stats.sessionsOpened++;
    this.onCapacity(s);
  }

  /**
   * A dial failed: its sender fails with the dial's error, and so does every queued send of
   * the origin when no other session is left to wait for (they were waiting on this one).
   */
  #dialFailed(pool: Pool, s: Http2Session, dialer: Pending | null): void {
    this.#open.delete(s);
    const i = pool.sessions.indexOf(s);
    if (i !== -1) pool.sessions.splice(i, 1);
    const err = s.failure as Http2DialError;
    const now = performance.now();
    if (dialer !== null && !dialer.done) {
      const o = dialer.out;
      o.dns = s.timings.dns;
      o.connecting = s.timings.connecting;
      o.tls = s.timings.tls;
      this.#finish(dialer, err.kind, err.message, now);
    }
    if (pool.sessions.length > 0 || this.#closed) return;
    const waiting = pool.queue;
    pool.queue = [];
    for (const p of waiting) {
      p.out.blocked = now - p.out.started;
      this.#finish(p, err.kind, err.message, now);
    }
  }

  // ---- one stream ----

  #dispatch(s: Http2Session, p: Pending): void {
    const out = p.out;
    const now = performance.now();
    if (p.dialer) {
      // Reported once, by the send the dial was for (a retry after it reports 0).
      p.dialer = false;
      const t = s.timings;
      out.dns = t.dns;
      out.connecting = t.connecting;
      out.tls = t.tls;
      // What remains of the wait is the SETTINGS exchange (and any queueing after it).
      out.blocked = Math.max(0, now - out.started - t.dns - t.connecting - t.tls);
    } else {
      out.dns = 0;
      out.connecting = 0;
      out.tls = 0;
      out.blocked = now - out.started;
    }
    p.session = s;
    p.dispatchedAt = now;
    // Collected from dispatch on: Deno's node:http2 may emit a body's first DATA chunk before
    // the 'response' event (measured with a 2 MiB body: its first 20 bytes were lost otherwise).
    p.chunks = p.keep ? [] : null;
    p.bodyBytes = 0;
    p.firstByteAt = NaN;
    p.gotHead = false;
    p.endedAt = NaN;
    p.expectedBytes = -1;
    s.active++;
    s.inflight.add(p);
    if (s.active > this.#stats.peakStreams) this.#stats.peakStreams = s.active;
    let stream: TaggedStream;
    try {
      stream = s.node!.request(p.st.headers, { endStream: p.st.body === null });
      if (p.st.body !== null) stream.end(p.st.body);
    } catch (e) {
      // The session died between the check and the call: route again.
      s.inflight.delete(p);
      s.active--;
      p.session = null;
      return this.#retry(p, (e as Error).message ?? String(e));
    }
    p.stream = stream;
    out.sending = performance.now() - now;
    attach(stream, p);
  }

  /** Routes a refused send again, or fails it when it was refused too often. */
  #retry(p: Pending, why: string): void {
    if (p.done) return;
    if (++p.retries > MAX_RETRIES || this.#closed) {
      return this.#finish(p, "reset", `stream refused by the server: ${why}`, performance.now());
    }
    this.#stats.retried++;
    this.#route(this.#pool(p.st.origin), p);
  }

  /** Ends a send once: frees its stream slot, takes its bytes, resolves. */
  #finish(p: Pending, error: ErrorKind | null, message: string, now: number): void {
    if (p.done) return;
    p.done = true;
    const out = p.out;
    const s = p.session;
    if (error !== null) {
      out.error = error;
      out.errorMessage = message;
      out.status = 0;
      if (p.stream !== null && !p.stream.closed) {
        try {
          p.stream.close(NGHTTP2_CANCEL);
        } catch { /* the session is gone already */ }
      }
    }
    if (s !== null) {
      s.inflight.delete(p);
      if (p.stream !== null) {
        s.takeReceived(out);
        s.streamEnded();
      }
    } else if (error !== null && error !== "aborted") {
      out.bytesSent = 0;
    }
    out.ended = now;
    p.stream = null;
    p.session = null;
    p.resolve();
  }

  /** Response head arrived. Internal: called by the stream listeners below. */
  headers(p: Pending, h: http2.IncomingHttpHeaders): void {
    // Deno's node:http2 emits 'response' late: after the first DATA chunk, for a big body after
    // hundreds of KiB (measured with nginx). The first byte is whichever came first.
    const now = performance.now();
    if (Number.isNaN(p.firstByteAt)) p.firstByteAt = now;
    p.gotHead = true;
    p.session!.takeSent(p.out);
    p.out.waiting = p.firstByteAt - p.dispatchedAt - p.out.sending;
    const status = p.out.status = Number(h[":status"]) || 0;
    const declared = h["content-length"];
    p.expectedBytes = declared === undefined || p.st.isHead || status === 204 || status === 304
      ? -1
      : Number(declared);
    // Not kept, a redirect still reports its headers: following it needs Location.
    if (p.keep || (status >= 300 && status < 400)) {
      const headers = new Headers();
      for (const k in h) {
        if (k.charCodeAt(0) === 58) continue; // ":status" and other pseudo-headers
        const v = h[k];
        if (Array.isArray(v)) { for (const x of v) headers.append(k, x); }
        else if (v !== undefined) headers.append(k, String(v));
      }
      p.out.headers = headers;
    }
    if (!Number.isNaN(p.endedAt) && p.stream !== null) this.#complete(p, p.stream, p.endedAt);
  }

  /** The response ended (END_STREAM). Internal: called by the stream listeners below. */
  ended(p: Pending, stream: http2.ClientHttp2Stream): void {
    const now = performance.now();
    if (!p.gotHead && (stream.rstCode ?? 0) === 0) {
      p.endedAt = now; // completed when the head arrives; a close without it fails
      return;
    }
    this.#complete(p, stream, now);
  }

  #complete(p: Pending, stream: http2.ClientHttp2Stream, at: number): void {
    // Deno's node:http2 also ends the readable side when the connection dies under a stream:
    // reset, or short of a declared length, it is no complete response. (Not "is the session
    // closed now": a server may close right after a last, whole answer.)
    if ((stream.rstCode ?? 0) !== 0 || (p.expectedBytes >= 0 && p.bodyBytes < p.expectedBytes)) {
      return this.closed(p, stream, null);
    }
    const out = p.out;
    out.receiving = at - p.firstByteAt;
    if (p.chunks !== null) out.body = concat(p.chunks, p.bodyBytes);
    this.#finish(p, null, "", at);
  }

  /** The stream closed without a complete response. Internal: called by stream listeners. */
  closed(p: Pending, stream: http2.ClientHttp2Stream, err: unknown): void {
    if (p.done) return;
    const code = stream.rstCode ?? 0;
    const sessionGone = p.session?.state === "closed" || p.session?.state === "draining";
    // Never processed by the server (RFC 9113 §8.7): safe to send again elsewhere.
    if (
      Number.isNaN(p.firstByteAt) &&
      (code === NGHTTP2_REFUSED_STREAM || isGoawayRefusal(err) ||
        (sessionGone && stream.id === undefined))
    ) {
      const s = p.session!;
      s.inflight.delete(p);
      s.takeReceived(p.out);
      s.streamEnded();
      p.session = null;
      p.stream = null;
      return this.#retry(p, `code ${code}`);
    }
    const malformed = code === NGHTTP2_PROTOCOL_ERROR || code === NGHTTP2_FRAME_SIZE_ERROR ||
      code === NGHTTP2_COMPRESSION_ERROR;
    const why = err instanceof Error
      ? err.message
      : code !== 0
      ? `stream reset by the server (HTTP/2 error code ${code})`
      : p.session?.failure?.message ?? "stream closed before the response ended";
    if (!Number.isNaN(p.firstByteAt)) p.out.receiving = performance.now() - p.firstByteAt;
    this.#finish(p, malformed ? "malformed" : "reset", why, performance.now());
  }

  /** Fails sends past their deadline or aborted by their caller, queued or in flight. */
  #sweep(now: number): void {
    for (const pool of this.#pools.values()) {
      if (pool.queue.length > 0) {
        pool.queue = pool.queue.filter((p) => {
          const why = expired(p, now);
          if (why === null) return true;
          p.out.blocked = now - p.out.started;
          this.#finish(p, why, why === "timeout" ? timeoutMessage(p) : "request aborted", now);
          return false;
        });
      }
    }
    for (const s of this.#open) {
      if (s.inflight.size === 0) continue;
      for (const p of s.inflight as Set<Pending>) {
        const why = expired(p, now);
        if (why === null) continue;
        if (p.stream === null) p.out.blocked = now - p.out.started;
        this.#finish(p, why, why === "timeout" ? timeoutMessage(p) : "request aborted", now);
      }
    }
  }
}
