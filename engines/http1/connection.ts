/**
 * One keep-alive HTTP/1.1 connection: it dials once, then carries one request at a time. A
 * request is a write of the pre-built request bytes and a read loop into a buffer the
 * connection owns, feeding the incremental parser; the only awaits are the write and each read,
 * and the whole request is one async frame that hands the connection back to its owner (the
 * pool) itself, so the client adds no promise of its own on the hot path.
 *
 * Timeouts and aborts do not race promises here: the client's sweeper calls {@link
 * Http1Connection.kill}, which closes the socket, so the pending read fails and the exchange
 * reports the reason the connection was killed.
 *
 * @module
 */

import type { ErrorKind } from "../../core/types.ts";
import { createOutcome, type Outcome } from "../http/types.ts";
import { classifyError, describeError, type FailPhase } from "./classify.ts";
import { dial, DialError, type DialSettings } from "./dial.ts";
import type { Transport } from "./insecure_tls.ts";
import { ResponseParser } from "./parser.ts";
import type { Http1State } from "./request.ts";

/** What a connection needs from the pool that owns it. */
export interface ConnectionOwner {
  /** How to dial (TLS settings, a rehearsal's stand-in). */
  readonly dialSettings: DialSettings;
  /** Takes the connection back once a request on it ended (reusable or not). */
  release(c: Http1Connection): void;
  /** Hears that a dial of this connection ended, connected or not (frees a dial slot). */
  dialed?(c: Http1Connection): void;
}

const DONE: Promise<void> = Promise.resolve();
const FIRST_BUFFER = 16 * 1024;
const MAX_BUFFER = 256 * 1024;

/** A pooled connection to one origin; see the module doc. */
export class Http1Connection {
  /** Pool key of the origin this connection talks to. */
  readonly origin: string;
  /** The socket, once dialed. */
  transport: Transport | null = null;
  /** Responses completed on this connection. */
  uses = 0;
  /** Still fit to carry another request. */
  reusable = true;
  /** A request is in flight (the sweeper only looks at busy connections). */
  busy = false;
  /** When the in-flight request times out (performance.now() ms). */
  deadline = Infinity;
  /** The in-flight request's abort signal. */
  signal: AbortSignal | undefined = undefined;
  /** Why the sweeper killed this connection, or null. */
  killed: ErrorKind | null = null;
  /** When the pool last took it back idle (its coarse clock, ms): the reaper's age. */
  idleSince = 0;

  #closed = false;
  #dialing: AbortController | null = null;
  #buf = new Uint8Array(FIRST_BUFFER);
  readonly #parser = new ResponseParser();
  readonly #owner: ConnectionOwner;

  /** Creates an undialed connection for `origin`, owned by a pool. */
  constructor(origin: string, owner: ConnectionOwner) {
    this.origin = origin;
    this.#owner = owner;
  }

  /** Marks the connection busy with a request due by `deadline` (for the sweeper). */
  arm(deadline: number, signal: AbortSignal | undefined): void {
    this.busy = true;
    this.deadline = deadline;
    this.signal = signal;
  }

  /** Ends the in-flight request with `kind` by closing the socket (or aborting the dial). */
  kill(kind: "timeout" | "aborted"): void {
    if (this.killed !== null || this.#closed) return;
    this.killed = kind;
    this.#dialing?.abort();
    this.close();
  }

  /** Closes the socket; the connection is never used again. */
  close(): void {
    this.reusable = false;
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.transport?.close();
    } catch { /* already closed by the peer or by Deno */ }
  }

  /**
   * Sends the request (dialing first if this connection is new) and reads its response into
   * `out`, then releases the connection to its owner. Never rejects. `ts` is when sending
   * starts for a reused connection: the caller's clock reading saves a clock call per request.
   */
  send(st: Http1State, keep: boolean, out: Outcome, ts: number): Promise<void> {
    if (this.transport === null) return this.#sendFresh(st, keep, out);
    out.dns = 0;
    out.connecting = 0;
    out.tls = 0;
    return this.#exchange(st, keep, out, ts);
  }

  /**
   * Dials without sending anything, for the pool's warm-up: the same dial path as a request,
   * timed into a scratch outcome nobody reads, so warm-up never reaches the metrics. The caller
   * arms the connection first, so the sweeper times the dial out and a closing client aborts
   * it. Resolves whether it is open; a failed one is closed. The caller releases it.
   */
  async dialOnly(st: Http1State): Promise<boolean> {
    const ok = await this.#open(st, createOutcome());
    this.busy = false;
    this.signal = undefined;
    return ok;
  }

  async #sendFresh(st: Http1State, keep: boolean, out: Outcome): Promise<void> {
    if (!(await this.#open(st, out))) return this.#release();
    await this.#exchange(st, keep, out, performance.now());
  }

  /**
   * The idle connection was stale: redial in place (same pool slot) and send once more. The
   * fresh connection has no uses, so it cannot be judged stale again: an early end is a reset.
   */
  #retry(st: Http1State, keep: boolean, out: Outcome): Promise<void> {
    this.close();
    this.transport = null;
    this.uses = 0;
    this.reusable = true;
    this.#closed = false;
    if (this.killed !== null) {
      this.#failKilled(out);
      this.#release();
      return DONE;
    }
    return this.#sendFresh(st, keep, out);
  }

  #release(): void {
    this.busy = false;
    this.signal = undefined;
    this.#owner.release(this);
  }

  /** Dials the origin, timing dns/connecting/tls into `out`. False (and `out.error`) on failure. */
  async #open(st: Http1State, out: Outcome): Promise<boolean> {
    const ctl = this.#dialing = new AbortController();
    try {
      this.transport = await dial(st, this.#owner.dialSettings, ctl.signal, out);
    } catch (e) {
      this.#dialing = null;
      this.#owner.dialed?.(this);
      if (this.killed !== null) this.#failKilled(out);
      else if (e instanceof DialError) this.#failWith(out, e.kind, e.message);
      else this.#failWith(out, "other", describeError(e));
      return false;
    }
    this.#dialing = null;
    this.#owner.dialed?.(this);
    if (this.killed !== null) {
      this.#failKilled(out);
      return false;
    }
    return true;
  }

  /** Writes the request, reads its response into `out`, and ends the request (or retries). */
  async #exchange(st: Http1State, keep: boolean, out: Outcome, ts: number): Promise<void> {
    const t = this.transport!;
    const bytes = st.bytes;
    const p = this.#parser;
    p.reset(st.isHead, keep);
    let off = 0;
    try {
      while (off < bytes.length) {
        off += await t.write(off === 0 ? bytes : bytes.subarray(off));
      }
    } catch (e) {
      out.bytesSent += off;
      if (this.#isStale(e, false)) return this.#retry(st, keep, out);
      this.#fail(out, e, "io");
      return this.#release();
    }
    out.bytesSent += bytes.length;
    const tw = performance.now();
    out.sending = tw - ts;
    let first = -1;
    let buf = this.#buf;
    while (true) {
      let n: number | null;
      try {
        n = await t.read(buf);
      } catch (e) {
        if (first < 0 && this.#isStale(e, false)) return this.#retry(st, keep, out);
        this.#fail(out, e, "io");
        return this.#release();
      }
      const now = performance.now();
      if (n === null) {
        if (this.killed !== null) {
          this.#failKilled(out);
          return this.#release();
        }
        if (p.eof()) {
          this.#complete(out, now, first, keep);
          return this.#release();
        }
        if (this.#isStale(null, p.started)) return this.#retry(st, keep, out);
        const why = p.started
          ? "connection closed before the response was complete"
          : "connection closed before any response byte";
        this.#failWith(out, "reset", why);
        return this.#release();
      }
      if (first < 0) {
        first = now;
        out.waiting = now - tw;
      }
      out.bytesReceived += n;
      const used = p.execute(buf, 0, n);
      if (p.error !== "") {
        this.#failWith(out, "malformed", p.error);
        return this.#release();
      }
      if (p.done) {
        // Bytes past the response were not asked for: the stream can no longer be trusted.
        if (used < n) this.reusable = false;
        this.#complete(out, now, first, keep);
        return this.#release();
      }
      if (n === buf.length && buf.length < MAX_BUFFER) {
        buf = this.#buf = new Uint8Array(buf.length * 4);
      }
    }
  }

  /** EOF or reset before any byte of a reused connection, not caused by our own kill. */
  #isStale(e: unknown, started: boolean): boolean {
    if (this.uses === 0 || started || this.killed !== null) return false;
    return e === null || classifyError(e, "io") === "reset";
  }

  #complete(out: Outcome, now: number, first: number, keep: boolean): void {
    const p = this.#parser;
    out.ended = now;
    out.receiving = now - first;
    out.status = p.head.status;
    if (!p.keepAlive) this.reusable = false;
    this.uses++;
    // Not kept, a redirect still reports its headers (the parser kept its fields), no body.
    if (keep || p.head.fields !== null) {
      const fields = p.head.fields!;
      const headers = new Headers();
      try {
        for (let i = 0; i < fields.length; i += 2) headers.append(fields[i], fields[i + 1]);
      } catch (e) {
        out.status = 0;
        return this.#failWith(out, "malformed", describeError(e));
      }
      out.headers = headers;
      if (keep) out.body = p.body;
    }
  }

  #fail(out: Outcome, e: unknown, phase: FailPhase): void {
    if (this.killed !== null) return this.#failKilled(out);
    return this.#failWith(out, classifyError(e, phase), describeError(e));
  }

  #failKilled(out: Outcome): void {
    const kind = this.killed!;
    const why = kind === "timeout" ? "request timed out" : "request aborted by the caller";
    return this.#failWith(out, kind, why);
  }

  #failWith(out: Outcome, kind: ErrorKind, message: string): void {
    out.error = kind;
    out.errorMessage = message;
    out.status = 0;
    out.ended = performance.now();
    this.close();
  }
}
