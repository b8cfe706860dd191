/**
 * One WebSocket session over the `ws` package (ADR 14: it times the handshake's phases, pings,
 * negotiates permessage-deflate, reports the refusing status, and skips TLS verification per
 * connection). Every failure is a value: {@link openSession} never rejects, a failed session
 * carries its error kind, and the `ws` socket's `error` events always have a listener (an
 * EventEmitter error without one would throw out of the event loop).
 *
 * @module
 */
import type { ClientRequest, IncomingMessage } from "node:http";
import { Buffer } from "node:buffer";
// The package ships no types of its own; the few events used here are typed at their use.
import WebSocket from "ws";
import type { WsErrorKind } from "./metrics.ts";
import { addCounter, addTrend, type WsRecorder, type WsSeries } from "./recorder.ts";

/** A message: text frames arrive as strings, binary frames as bytes. */
export type WsMessage = string | Uint8Array;

/** How a session closed. */
export interface WsClose {
  readonly code: number;
  readonly reason: string;
}

/** Options of {@link openSession}. */
export interface SessionOptions {
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly protocols?: string | string[];
  /** Opening-handshake timeout, ms. @default 60000 */
  readonly timeoutMs?: number;
  /** Offer permessage-deflate. @default false (as k6) */
  readonly compression?: boolean;
  readonly insecure?: boolean;
  /** `performance.now()` the session was scheduled for (open loop); default: now. */
  readonly scheduled?: number;
  readonly recorder: WsRecorder;
  readonly series: WsSeries;
  /** Aborts the session (graceful stop ran out): it ends as `aborted`. */
  readonly interrupt?: AbortSignal;
  /** Called once when the session has ended and been recorded. */
  readonly onEnd?: (s: WsSession) => void;
}

const encoder = new TextEncoder();
const CLOSE_WAIT_MS = 2000;

function classify(err: unknown): [WsErrorKind, string] {
  const e = err as { code?: string; message?: string };
  const msg = e?.message ?? String(err);
  const code = e?.code ?? "";
  if (code === "ECONNREFUSED" || /refused/i.test(msg)) return ["refused", msg];
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || /dns|lookup/i.test(msg)) return ["dns", msg];
  if (code === "ECONNRESET" || code === "EPIPE" || /reset|hang up|broken pipe/i.test(msg)) {
    return ["reset", msg];
  }
  if (/^ERR_TLS|CERT|SSL/i.test(code) || /certificate|tls|ssl/i.test(msg)) return ["tls", msg];
  if (code.startsWith("WS_ERR_") || /invalid|unexpected|protocol/i.test(msg)) {
    return ["protocol", msg];
  }
  return ["other", msg];
}

/** An open (or failed) WebSocket session. Built by {@link openSession}. */
export class WsSession {
  /** Handshake status: 101 when open, the refusing status, or 0 without a response. */
  status = 0;
  /** The first error of the session, or null. */
  error: WsErrorKind | null = null;
  errorMessage = "";
  /** The subprotocol the server chose ("" for none). */
  protocol = "";
  /** Resolves once, when the session has closed (or failed to open). */
  readonly closed: Promise<WsClose>;

  #ws: WebSocket | null = null;
  #opts: SessionOptions;
  #s: WsSeries;
  #openedAt = NaN;
  #queue: WsMessage[] = [];
  #waiters: ((m: WsMessage | null) => void)[] = [];
  #handler: ((m: WsMessage) => void) | null = null;
  #sends: number[] = [];
  #pings: ((rtt: number) => void)[] = [];
  #pingAt: number[] = [];
  #closedBy: "peer" | "us" | null = null;
  #done = false;
  #resolveClosed!: (c: WsClose) => void;
  #unlisten: () => void = () => {};

  /** Use {@link openSession}. */
  constructor(opts: SessionOptions) {
    this.#opts = opts;
    this.#s = opts.series;
    this.closed = new Promise((r) => this.#resolveClosed = r);
  }

  /** True while the socket is open. */
  get open(): boolean {
    return !this.#done && this.#ws !== null && this.#ws.readyState === WebSocket.OPEN;
  }

  /** @internal Runs the opening handshake; resolves when open or failed, never rejects. */
  start(): Promise<void> {
    const o = this.#opts;
    const t0 = performance.now();
    const sched = o.scheduled ?? t0;
    return new Promise<void>((resolve) => {
      let settled = false;
      const settle = (status: number, err: [WsErrorKind, string] | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.status = status;
        const now = performance.now();
        if (err?.[0] !== "aborted") {
          o.recorder.connecting(this.#s, status, err?.[0] ?? null, now - sched, now - t0);
        }
        if (err) this.#fail(err[0], err[1], status);
        else this.#openedAt = now;
        resolve();
      };
      let ws: WebSocket;
      try {
        ws = new WebSocket(o.url, o.protocols ?? [], {
          headers: o.headers,
          perMessageDeflate: o.compression ?? false,
          rejectUnauthorized: !o.insecure,
          followRedirects: false,
        });
      } catch (e) {
        settle(0, ["other", (e as Error).message]);
        return;
      }
      this.#ws = ws;
      const timer = setTimeout(() => {
        settle(0, ["timeout", `Opening handshake timed out after ${o.timeoutMs ?? 60000} ms`]);
        ws.terminate();
      }, o.timeoutMs ?? 60_000);
      const onAbort = () => {
        if (!settled) settle(0, ["aborted", "Interrupted during the opening handshake"]);
        else this.#fail("aborted", "Interrupted", this.status);
        ws.terminate();
      };
      // The signal lives as long as the run: remove the listener with the session, or every
      // session of a long run would stay reachable from it.
      o.interrupt?.addEventListener("abort", onAbort, { once: true });
      this.#unlisten = () => o.interrupt?.removeEventListener("abort", onAbort);
      ws.on("unexpected-response", (_req: ClientRequest, res: IncomingMessage) => {
        settle(res.statusCode ?? 0, [
          "handshake",
          `Server answered the upgrade with ${res.statusCode} ${res.statusMessage ?? ""}`.trim(),
        ]);
        res.resume();
        _req.destroy();
      });
      ws.on("error", (e: Error) => {
        if (!settled) settle(0, classify(e));
        else if (!this.#done) this.#fail(...classify(e), this.status);
      });
      ws.on("open", () => {
        this.protocol = ws.protocol;
        settle(101, null);
      });
      ws.on("message", (data: Buffer, isBinary: boolean) => this.#onMessage(data, isBinary));
      ws.on("pong", () => {
        const at = this.#pingAt.shift();
        const p = this.#pings.shift();
        if (at !== undefined && p) {
          const rtt = performance.now() - at;
          addTrend(this.#s.ping, rtt);
          p(rtt);
        }
      });
      ws.on("close", (code: number, reason: Buffer) => {
        if (!settled) settle(0, ["reset", `Closed during the opening handshake (${code})`]);
        if (this.#closedBy === null) {
          this.#closedBy = "peer";
          // 1006: no close frame (the TCP connection dropped); other codes but 1000/1001/1005
          // are the peer reporting an error of its own.
          if (code === 1006) this.#fail("reset", "Connection closed without a close frame");
          else if (code !== 1000 && code !== 1001 && code !== 1005) {
            this.#fail("protocol", `Peer closed with ${code} ${reason.toString()}`.trim());
          }
        }
        this.#finish({ code, reason: reason.toString() });
      });
    });
  }

  #onMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const buf = Array.isArray(data) ? Buffer.concat(data) : data as Buffer;
    const msg: WsMessage = isBinary
      ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
      : buf.toString("utf8");
    addCounter(this.#s.received, 1);
    addCounter(this.#s.bytesReceived, buf.byteLength);
    const sent = this.#sends.shift();
    if (sent !== undefined) addTrend(this.#s.rtt, performance.now() - sent);
    if (this.#handler) {
      try {
        this.#handler(msg);
      } catch { /* a throwing handler must not break the session */ }
      return;
    }
    const w = this.#waiters.shift();
    if (w) w(msg);
    else this.#queue.push(msg);
  }

  #fail(kind: WsErrorKind, message: string, status = this.status): void {
    this.status = status;
    if (this.error === null) {
      this.error = kind;
      this.errorMessage = message;
    }
  }

  #finish(c: WsClose): void {
    if (this.#done) return;
    this.#done = true;
    this.#unlisten();
    if (this.#openedAt === this.#openedAt) {
      addTrend(this.#s.duration, performance.now() - this.#openedAt);
    }
    this.#opts.recorder.end(this.#s, {
      status: this.status,
      error: this.error,
      errorMessage: this.errorMessage,
    });
    for (const w of this.#waiters.splice(0)) w(null);
    for (const p of this.#pings.splice(0)) p(NaN);
    this.#resolveClosed(c);
    this.#opts.onEnd?.(this);
  }

  /** @internal Ends a session that never opened (recorded once). */
  finishFailed(): void {
    if (this.#ws === null || this.#openedAt !== this.#openedAt) {
      this.#finish({ code: 1006, reason: this.errorMessage });
      this.#ws?.terminate();
    }
  }

  /** Sends a text or binary message; a no-op returning false unless the session is open. */
  send(data: WsMessage): boolean {
    if (!this.open) return false;
    const bytes = typeof data === "string" ? encoder.encode(data).byteLength : data.byteLength;
    this.#ws!.send(data);
    this.#sends.push(performance.now());
    addCounter(this.#s.sent, 1);
    addCounter(this.#s.bytesSent, bytes);
    return true;
  }

  /**
   * The next message, or null when none came within `timeout` ms (the session's error becomes
   * `timeout`) or the session closed first.
   */
  receive(opts: { timeout?: number } = {}): Promise<WsMessage | null> {
    const q = this.#queue.shift();
    if (q !== undefined) return Promise.resolve(q);
    if (this.#done) return Promise.resolve(null);
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const w = (m: WsMessage | null) => {
        clearTimeout(timer);
        resolve(m);
      };
      if (opts.timeout !== undefined) {
        timer = setTimeout(() => {
          const i = this.#waiters.indexOf(w);
          if (i >= 0) this.#waiters.splice(i, 1);
          this.#fail("timeout", `No message within ${opts.timeout} ms`, this.status);
          resolve(null);
        }, opts.timeout);
      }
      this.#waiters.push(w);
    });
  }

  /** Push style: every later message goes to `fn` instead of {@link receive}. */
  onMessage(fn: (m: WsMessage) => void): void {
    this.#handler = fn;
    for (const m of this.#queue.splice(0)) fn(m);
  }

  /** Pings the server; resolves with the round trip in ms, NaN when no pong came. */
  ping(opts: { timeout?: number } = {}): Promise<number> {
    if (!this.open) return Promise.resolve(NaN);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = this.#pings.indexOf(p);
        if (i >= 0) {
          this.#pings.splice(i, 1);
          this.#pingAt.splice(i, 1);
        }
        this.#fail("timeout", `No pong within ${opts.timeout ?? 10_000} ms`, this.status);
        resolve(NaN);
      }, opts.timeout ?? 10_000);
      const p = (rtt: number) => {
        clearTimeout(timer);
        resolve(rtt);
      };
      this.#pings.push(p);
      this.#pingAt.push(performance.now());
      this.#ws!.ping();
    });
  }

  /** Closes the session (waits up to 2 s for the server's close frame, then drops it). */
  close(code = 1000, reason = ""): Promise<WsClose> {
    if (this.#done || this.#ws === null) return this.closed;
    if (this.#closedBy === null) this.#closedBy = "us";
    const ws = this.#ws;
    try {
      ws.close(code, reason);
    } catch {
      ws.terminate();
    }
    const t = setTimeout(() => ws.terminate(), CLOSE_WAIT_MS);
    return this.closed.finally(() => clearTimeout(t));
  }
}

/** Opens a session; resolves once it is open or has failed (see {@link WsSession.error}). */
export async function openSession(opts: SessionOptions): Promise<WsSession> {
  const s = new WsSession(opts);
  await s.start();
  if (s.error !== null) s.finishFailed();
  return s;
}
