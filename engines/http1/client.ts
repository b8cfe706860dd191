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
 * Timeouts and caller aborts are enforced by one process-wide interval (sweeper.ts) that scans
 * the in-flight connections of every open client. The price is granularity: a timeout or abort
 * is acted on up to {@link SWEEP_INTERVAL_MS} late (the outcome's `ended` is when it was acted
 * on, so durations stay honest).
 *
 * The same sweeper reaps idle connections: those opened in a burst otherwise sit at the bottom
 * of their origin's LIFO idle stack for the whole run, each holding its read buffer. Since the
 * stack is LIFO its bottom is the oldest idle, so a reap (every {@link REAP_INTERVAL_MS} at
 * most) looks only there. Idle ages come from the sweeper's tick, not a clock call per request.
 *
 * @module
 */

import type { ClientOptions, EngineClient, Outcome, PreparedRequest } from "../http/types.ts";
import { type ConnectionOwner, Http1Connection } from "./connection.ts";
import type { DialSettings } from "./dial.ts";
import type { Http1State } from "./request.ts";
import { SWEEP_INTERVAL_MS, sweptAt, unwatch, watch } from "./sweeper.ts";

export { SWEEP_INTERVAL_MS };

/** How often idle connections are checked for reaping at most, ms. */
export const REAP_INTERVAL_MS = 500;
/**
 * Most connections a client dials inside requests at once (each until it is connected or
 * failed). Past it, a send waits for a dial slot or the next connection to come free (the
 * `blocked` phase, inside its latency) instead of dialing: a stall of the generator used to release hundreds of due
 * arrivals at once, each dialing, until the target's accept backlog overflowed and dials waited
 * on a 1 s SYN retransmit, feeding the stall (measured at 10,000/s on one core: 10,000
 * connections opened, 12% dropped; issue 13). 128 stays well under the usual accept backlog
 * (nginx: 511) while a slow remote target still gets its connections within a few round trips;
 * a VU's own client never reaches it.
 */
export const MAX_DIALS_IN_FLIGHT = 128;
/**
 * Most connections the pool dials ahead per sweep tick (so at most 800/s). A dial is not free
 * for the thread that makes it (socket, connect, read buffer: ~150 µs of the load thread each
 * on loopback here), and a cold start at 20,000/s took the idle count from 512 to 85 in 25 ms
 * while responses waited for compiled code: dialing the 427 missing ones in one tick stalled
 * the load thread 60–80 ms, which released more arrivals than the pool had (issue 13).
 */
export const TOP_UP_PER_SWEEP = 8;
/** After a failed background dial, how long the pool waits before dialing ahead again, ms. */
const REFILL_PAUSE_MS = 1000;
/** Default {@link Http1ClientOptions.idleTimeoutMs}. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5000;

/** Client options of the http1 engine. */
export interface Http1ClientOptions extends ClientOptions {
  /** Extra trusted root certificates, PEM (e.g. a test CA). */
  caCerts?: string[];
  /**
   * Close a connection idle for longer than this, ms (default {@link DEFAULT_IDLE_TIMEOUT_MS};
   * `Infinity` never reaps). Checked every {@link REAP_INTERVAL_MS} at most (sooner for a short
   * timeout), so an idle connection may live up to that much longer.
   */
  idleTimeoutMs?: number;
  /**
   * Idle connections the reaper always leaves this client, however old (default 0).
   * {@link Http1Client.warm} adds a floor per origin, the count it left idle, so that a pool
   * warmed for an open-loop run is not reaped back down in a quiet spell; both floors hold.
   */
  minIdle?: number;
  /** Every connection goes to a rehearsal's stand-in on 127.0.0.1 at this port (ADR 23). */
  standInPort?: number;
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
/** Longest wait for connections opened before the clock starts (see `warm`). */
export const WARM_TIMEOUT_MS = 10_000;

export class Http1Client implements EngineClient, ConnectionOwner {
  readonly #max: number;
  readonly #tls: DialSettings;
  readonly #idle = new Map<string, Idle>();
  readonly #all = new Set<Http1Connection>();
  readonly #idleTimeout: number;
  readonly #minIdle: number;
  readonly #reapEvery: number;
  /** Per origin, the idle count warm() left: the reaper's floor there. */
  readonly #floors = new Map<string, number>();
  /** Per warmed origin, a request to dial it with: the sweeper tops its idle count back up. */
  readonly #refill = new Map<string, { st: Http1State; timeoutMs: number }>();
  /** Background dials in flight (see {@link Http1Client.sweep}). */
  #dialing = 0;
  /** Connections dialed by sends and still dialing (see MAX_DIALS_IN_FLIGHT). */
  readonly #dialed = new Set<Http1Connection>();
  /** After a failed background dial, no more until then: a dead target is not dialed in a loop. */
  #refillPausedUntil = 0;
  #nextReap = 0;
  #waiters: Waiter[] = [];
  #slots = 0;
  #closed = false;
  #lastOrigin = "";
  #lastIdle: Idle = [];

  /** Creates a client; it is swept for timeouts until {@link Http1Client.close}. */
  constructor(options: Http1ClientOptions) {
    const max = options.maxConnections ?? Infinity;
    this.#max = max >= 1 ? max : 1;
    this.#tls = {
      insecure: options.insecure ?? false,
      caCerts: options.caCerts,
      standInPort: options.standInPort,
    };
    const idle = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#idleTimeout = idle > 0 ? idle : DEFAULT_IDLE_TIMEOUT_MS;
    this.#minIdle = Math.max(0, options.minIdle ?? 0);
    // A short timeout (tests) is checked more often, never more than once a tick.
    this.#reapEvery = Math.max(
      SWEEP_INTERVAL_MS,
      Math.min(REAP_INTERVAL_MS, this.#idleTimeout / 2),
    );
    watch(this);
  }

  /** How its connections dial. */
  get dialSettings(): DialSettings {
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
    let conn = this.#dialed.size < MAX_DIALS_IN_FLIGHT ? this.#claim(st.origin) : undefined;
    if (conn === undefined) {
      const got = await new Promise<Http1Connection | "timeout" | "aborted">((resolve) => {
        this.#waiters.push({ origin: st.origin, deadline, signal, resolve });
      });
      out.blocked = performance.now() - t0;
      if (typeof got === "string") {
        return fail(out, got, got === "timeout" ? "request timed out" : "request aborted");
      }
      conn = got;
    } else {
      this.#dialed.add(conn);
      out.blocked = 0;
    }
    conn.arm(deadline, signal);
    await conn.send(st, request.keepResponse, out, performance.now());
  }

  /**
   * Tops `request`'s origin up to `connections` idle connections, within the free slots (it
   * never evicts another origin's idle one, as a send at the cap does), dialing all at once,
   * each bounded by the request's timeout. Resolves to the origin's idle count afterwards,
   * which becomes its reaping floor (floors only rise). See {@link EngineClient.warm}.
   */
  async warm(request: PreparedRequest, connections: number): Promise<number> {
    const st = request.state as Http1State | undefined;
    if (st === undefined || !(st.bytes instanceof Uint8Array) || this.#closed) return 0;
    const target = Math.floor(connections);
    let want = Math.min(target - this.#idleOf(st.origin).length, this.#max - this.#slots);
    if (!(want < Infinity)) want = 0; // no cap and no finite target: nothing sensible to open
    // Pre-connecting waits at most WARM_TIMEOUT_MS whatever the request timeout: a port that
    // accepts and never answers (TLS to a plain-HTTP listener) must not hold the start 60 s.
    const deadline = performance.now() + Math.min(request.timeoutMs, WARM_TIMEOUT_MS);
    const dials: Promise<void>[] = [];
    for (let i = 0; i < want; i++) {
      this.#slots++;
      const c = this.#fresh(st.origin);
      c.arm(deadline, undefined);
      // Failed ones too: release frees the slot (or hands it to a waiting send).
      dials.push(c.dialOnly(st).then(() => this.release(c)));
    }
    await Promise.all(dials);
    if (this.#closed) return 0;
    const open = this.#idleOf(st.origin).length;
    const floor = Math.min(open, target);
    if (floor > (this.#floors.get(st.origin) ?? 0)) this.#floors.set(st.origin, floor);
    if (floor > 0) this.#refill.set(st.origin, { st, timeoutMs: request.timeoutMs });
    return open;
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
    this.#floors.clear();
    this.#refill.clear();
    this.#dialed.clear();
    this.#lastOrigin = "";
    for (const w of this.#waiters) w.resolve("aborted");
    this.#waiters = [];
  }

  /** Kills in-flight requests past their deadline or aborted, reaps idle ones; by the sweeper. */
  sweep(now: number): void {
    if (now >= this.#nextReap) {
      this.#nextReap = now + this.#reapEvery;
      this.#reap(now - this.#idleTimeout);
    }
    if (this.#refill.size > 0 && now >= this.#refillPausedUntil) this.#topUp(now);
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

  /**
   * A burst of due arrivals (or a stall of the generator) can take a warmed origin's idle
   * connections down to none, and each send after that would dial inside its own latency. Once
   * idle falls below half the floor warm() left, dial back up to the floor here, off any
   * request's clock, so the next burst finds connections ready (issue 13): a few per tick
   * ({@link TOP_UP_PER_SWEEP}), since each dial costs this thread what a request does.
   */
  #topUp(now: number): void {
    for (const [origin, { st, timeoutMs }] of this.#refill) {
      const floor = this.#floors.get(origin) ?? 0;
      const have = this.#idleOf(origin).length + this.#dialing;
      if (have * 2 >= floor) continue;
      const want = Math.min(floor - have, this.#max - this.#slots, TOP_UP_PER_SWEEP);
      const deadline = now + Math.min(timeoutMs, WARM_TIMEOUT_MS);
      for (let i = 0; i < want; i++) {
        this.#slots++;
        this.#dialing++;
        const c = this.#fresh(origin);
        c.arm(deadline, undefined);
        c.dialOnly(st).then((ok) => {
          this.#dialing--;
          if (!ok) this.#refillPausedUntil = performance.now() + REFILL_PAUSE_MS;
          this.release(c);
        });
      }
    }
  }

  /** Closes connections idle since before `limit`, oldest (bottom) first, down to the floors. */
  #reap(limit: number): void {
    let total = 0;
    for (const idle of this.#idle.values()) total += idle.length;
    for (const [origin, idle] of this.#idle) {
      const floor = this.#floors.get(origin) ?? 0;
      while (total > this.#minIdle && idle.length > floor && idle[0].idleSince < limit) {
        this.#drop(idle.shift()!);
        this.#slots--;
        total--;
      }
    }
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

  /** A dial ended (called by the connection): its slot goes to a send waiting for one. */
  dialed(c: Http1Connection): void {
    if (!this.#dialed.delete(c) || this.#closed) return;
    if (this.#waiters.length === 0 || this.#slots >= this.#max) return;
    this.#slots++;
    this.#dialFor(this.#waiters.shift()!);
  }

  /** Gives a waiting send a new connection in a slot already counted; it dials it. */
  #dialFor(w: Waiter): void {
    const fresh = this.#fresh(w.origin);
    this.#dialed.add(fresh);
    w.resolve(fresh);
  }

  /** Takes back a connection whose request ended (called by the connection itself). */
  release(c: Http1Connection): void {
    if (this.#dialed.size > 0) this.#dialed.delete(c);
    if (this.#closed) return this.#drop(c);
    const waiters = this.#waiters;
    if (c.reusable && waiters.length === 0) {
      c.idleSince = sweptAt();
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
    this.#dialFor(w);
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
