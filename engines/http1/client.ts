/**
 * The http1 engine's client: a pool of keep-alive connections per origin, capped in total by
 * `maxConnections`. A VU's client in closed loop holds one connection and reuses it; a client
 * shared by an open-loop run hands each concurrent send an idle connection or opens one up to
 * the cap, and past the cap the send waits in FIFO order (the `blocked` phase).
 *
 * A reused connection that ends before any response byte was closed by the server while idle
 * (its keep-alive timeout raced our request). As curl and Go's net/http do, the request is
 * then sent once more on a fresh connection (see Http1Connection). Go limits this to
 * idempotent requests; rampa retries any method, since not one response byte came back and a
 * load test would otherwise count the server's idle timeout as a failure of the next request.
 * bytesSent counts both writes, since both went on the wire.
 *
 * Timeouts and caller aborts are enforced by one process-wide interval that scans the
 * in-flight connections of every open client. A timer or an abort listener per request would
 * cost an allocation and a registration on the hot path; the scan costs microseconds per tick.
 * The price is granularity: a timeout or abort is acted on up to {@link SWEEP_INTERVAL_MS}
 * late (the outcome's `ended` is when it was acted on, so durations stay honest).
 *
 * @module
 */

import type { ClientOptions, EngineClient, Outcome, PreparedRequest } from "../../core/types.ts";
import { type ConnectionOwner, Http1Connection } from "./connection.ts";
import type { TlsSettings } from "./dial.ts";
import type { Http1State } from "./request.ts";

/** How often in-flight requests are checked for timeouts and aborts, ms. */
export const SWEEP_INTERVAL_MS = 10;

const swept = new Set<Http1Client>();
let sweepTimer: ReturnType<typeof setInterval> | null = null;

function sweepAll(): void {
  const now = performance.now();
  for (const c of swept) c.sweep(now);
}

function watch(c: Http1Client): void {
  swept.add(c);
  if (sweepTimer === null) {
    const timer = sweepTimer = setInterval(sweepAll, SWEEP_INTERVAL_MS);
    // Never keep a process alive just to watch idle clients.
    Deno.unrefTimer(timer);
  }
}

function unwatch(c: Http1Client): void {
  swept.delete(c);
  if (swept.size === 0 && sweepTimer !== null) {
    clearInterval(sweepTimer);
    sweepTimer = null;
  }
}

/** Client options of the http1 engine. */
export interface Http1ClientOptions extends ClientOptions {
  /** Extra trusted root certificates, PEM (e.g. a test CA). */
  caCerts?: string[];
}

interface Waiter {
  origin: string;
  deadline: number;
  signal: AbortSignal | undefined;
  resolve: (c: Http1Connection | "timeout" | "aborted") => void;
}

/** Idle connections of one origin, most recently used last. */
type Idle = Http1Connection[];

/** A pooled HTTP/1.1 client; see the module doc. */
export class Http1Client implements EngineClient, ConnectionOwner {
  readonly #max: number;
  readonly #tls: TlsSettings;
  readonly #idle = new Map<string, Idle>();
  readonly #all = new Set<Http1Connection>();
  #waiters: Waiter[] = [];
  #slots = 0;
  #closed = false;
  #lastOrigin = "";
  #lastIdle: Idle = [];

  /** Creates a client; it is swept for timeouts until {@link Http1Client.close}. */
  constructor(options: Http1ClientOptions) {
    const max = options.maxConnections ?? Infinity;
    this.#max = max >= 1 ? max : 1;
    this.#tls = { insecure: options.insecure ?? false, caCerts: options.caCerts };
    watch(this);
  }

  /** TLS settings its connections dial with. */
  get tls(): TlsSettings {
    return this.#tls;
  }

  /**
   * Sends `request`, filling `out`; never rejects. With an idle connection at hand this is not
   * even an async function: the connection's own request frame is the only one per request.
   */
  send(request: PreparedRequest, out: Outcome, signal?: AbortSignal): Promise<void> {
    const t0 = performance.now();
    out.started = t0;
    const st = request.state as Http1State | undefined;
    if (st === undefined || !(st.bytes instanceof Uint8Array)) {
      return fail(out, "other", "request was not prepared by the http1 engine");
    }
    if (signal?.aborted) return fail(out, "aborted", "request aborted by the caller");
    if (this.#closed) return fail(out, "other", "client is closed");
    const idle = st.origin === this.#lastOrigin ? this.#lastIdle : this.#idleOf(st.origin);
    const conn = idle.pop();
    if (conn === undefined) return this.#sendSlow(request, st, out, signal, t0);
    out.blocked = 0;
    conn.arm(t0 + request.timeoutMs, signal);
    // Sending starts now: taking a pooled connection costs nanoseconds.
    return conn.send(st, request.keepResponse, out, t0);
  }

  /** No idle connection: open one under the cap, or wait for one (the blocked phase). */
  async #sendSlow(
    request: PreparedRequest,
    st: Http1State,
    out: Outcome,
    signal: AbortSignal | undefined,
    t0: number,
  ): Promise<void> {
    const deadline = t0 + request.timeoutMs;
    let conn = this.#claim(st.origin);
    if (conn === undefined) {
      const got = await new Promise<Http1Connection | "timeout" | "aborted">((resolve) => {
        this.#waiters.push({ origin: st.origin, deadline, signal, resolve });
      });
      out.blocked = performance.now() - t0;
      if (typeof got === "string") {
        return fail(out, got, got === "timeout" ? "request timed out" : "request aborted");
      }
      conn = got;
    } else out.blocked = 0;
    conn.arm(deadline, signal);
    await conn.send(st, request.keepResponse, out, performance.now());
  }

  /** Closes every connection; in-flight and waiting sends end as aborted, later ones fail. */
  close(): void {
    this.#closed = true;
    unwatch(this);
    // In-flight requests end as aborted (the run is stopping), not as an unexplained error.
    for (const c of this.#all) {
      if (c.busy) c.kill("aborted");
      else c.close();
    }
    this.#all.clear();
    this.#idle.clear();
    this.#lastOrigin = "";
    for (const w of this.#waiters) w.resolve("aborted");
    this.#waiters = [];
  }

  /** Kills in-flight requests past their deadline or aborted; called by the sweeper. */
  sweep(now: number): void {
    for (const c of this.#all) {
      if (!c.busy) continue;
      if (now >= c.deadline) c.kill("timeout");
      else if (c.signal?.aborted) c.kill("aborted");
    }
    if (this.#waiters.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => {
      if (now >= w.deadline) w.resolve("timeout");
      else if (w.signal?.aborted) w.resolve("aborted");
      else return true;
      return false;
    });
  }

  #idleOf(origin: string): Idle {
    let idle = this.#idle.get(origin);
    if (idle === undefined) this.#idle.set(origin, idle = []);
    this.#lastOrigin = origin;
    this.#lastIdle = idle;
    return idle;
  }

  /** A new connection if under the cap (evicting another origin's idle one at the cap). */
  #claim(origin: string): Http1Connection | undefined {
    if (this.#slots < this.#max) {
      this.#slots++;
      return this.#fresh(origin);
    }
    for (const idle of this.#idle.values()) {
      const victim = idle.shift();
      if (victim !== undefined) {
        this.#drop(victim);
        return this.#fresh(origin);
      }
    }
    return undefined;
  }

  #fresh(origin: string): Http1Connection {
    const c = new Http1Connection(origin, this);
    this.#all.add(c);
    return c;
  }

  #drop(c: Http1Connection): void {
    c.close();
    this.#all.delete(c);
  }

  /** Takes back a connection whose request ended (called by the connection itself). */
  release(c: Http1Connection): void {
    if (this.#closed) return this.#drop(c);
    const waiters = this.#waiters;
    if (c.reusable && waiters.length === 0) {
      (c.origin === this.#lastOrigin ? this.#lastIdle : this.#idleOf(c.origin)).push(c);
      return;
    }
    if (waiters.length === 0) {
      this.#drop(c);
      this.#slots--;
      return;
    }
    // Hand the slot on in FIFO order: the connection itself if the origin matches.
    const w = waiters.shift()!;
    if (c.reusable && c.origin === w.origin) return w.resolve(c);
    this.#drop(c);
    w.resolve(this.#fresh(w.origin));
  }
}

const DONE: Promise<void> = Promise.resolve();

function fail(out: Outcome, kind: Outcome["error"], message: string): Promise<void> {
  out.error = kind;
  out.errorMessage = message;
  out.status = 0;
  out.ended = performance.now();
  return DONE;
}
