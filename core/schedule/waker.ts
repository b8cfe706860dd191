/**
 * Precise sleeping without a busy core: a helper thread (`waker_worker.ts`) sleeps on a futex
 * and notifies this thread at the armed time, which `Atomics.waitAsync` turns into a resolved
 * promise. Deno's own timers overshoot by ~1 ms, which forced the old waits to yield-spin the
 * last 1.5 ms before every arrival: a whole core from ~1,000 arrivals/s. With the waker, the
 * spin before a due time only needs to cover the wake-up's own jitter, which the waker measures
 * as it goes (`leadMs`), so CPU stays proportional to the rate (ADR 10).
 *
 * Many waits may be pending (one per open-loop scenario, a ramp's stage change); the earliest
 * is armed, and each wake resolves every wait that is due.
 *
 * @module
 */
import { ARM, AT_OFFSET, BYTES, DEADLINE_OFFSET, FENCE, STOP, WAKE } from "./waker_protocol.ts";

/** Wake-up lateness samples kept to estimate its p99. */
const SAMPLES = 128;
/** The lead is re-estimated every this many wakes. */
const REESTIMATE_EVERY = 32;
/** Bounds of the lead: never below the cost of a yield, never above the old timer margin. */
const MIN_LEAD_MS = 0.1;
const MAX_LEAD_MS = 1.5;
/** Added to the measured p99 lateness: the spin must still begin before the due time. */
const LEAD_MARGIN_MS = 0.1;
/**
 * A lead at or above the gap between arrivals means no sleep, so no new samples: without
 * samples for this long the lead shrinks by a fifth and the old samples are dropped, so one
 * burst of lateness (start-up, a GC pause) does not pin the lead at its maximum for good.
 */
const STARVED_MS = 100;
/**
 * An arming this much earlier than the thread's own next look still needs no notify: the
 * thread wakes at most this late for it, cheaper than waking it twice.
 */
const NOTIFY_SLACK_MS = 0.02;
/**
 * How long a waker waits for a thread started elsewhere ({@link startWakerThread}) to answer
 * before giving up on it: waits then use timers, as when a thread fails to start.
 */
const HANDED_READY_TIMEOUT_MS = 5000;

const THREAD_URL = new URL("./waker_worker.ts", import.meta.url);

/** A waker thread and the cells it watches (see {@link startWakerThread}). */
export interface WakerThread {
  /** The protocol cells (`waker_protocol.ts`), to hand to the thread that sleeps with it. */
  readonly cells: SharedArrayBuffer;
  /** The thread, for its starter to end when the run does. */
  readonly thread: Worker;
}

/**
 * Starts a waker thread for another thread's {@link Waker} (`new Waker(cells)`). Deno 2.9
 * starts a Worker created by a Worker ~0.5–1 s late (it polls a 1 ms sleep meanwhile, measured
 * 1,004 ms for a load worker's waker and 530 ms for any nested worker; 25–30 ms from the main
 * thread), so load workers get theirs from the main thread. An error in the thread is kept
 * from ending the process; the waker then times out and falls back to timers.
 */
export function startWakerThread(): WakerThread {
  const cells = new SharedArrayBuffer(BYTES);
  const thread = new Worker(THREAD_URL, { type: "module" });
  thread.onerror = (e) => e.preventDefault();
  thread.postMessage(cells);
  return { cells, thread };
}

interface Sleeper {
  at: number;
  resolve: () => void;
}

/** Sleeps until absolute `performance.now()` times with a helper thread's futex wake-ups. */
export class Waker {
  readonly #cells: Int32Array;
  readonly #at: Float64Array;
  readonly #deadline: Float64Array;
  /** The thread when this waker started it; null when it was handed one. */
  readonly #worker: Worker | null;
  /** Sorted by `at`, earliest first. */
  readonly #sleepers: Sleeper[] = [];
  #armedAt = Infinity;
  #ready = false;
  #dead = false;
  #listening = false;
  #seen = 0;
  readonly #late = new Float64Array(SAMPLES);
  #lateCount = 0;
  #lead = 0.3;
  #sampledAt = performance.now();
  readonly #readyPromise: Promise<void>;

  /**
   * Starts its own thread, or uses the one watching `cells` ({@link startWakerThread}), which
   * its starter ends; {@link Waker.stop} only tells it to return.
   */
  constructor(cells?: SharedArrayBuffer) {
    const sab = cells ?? new SharedArrayBuffer(BYTES);
    this.#cells = new Int32Array(sab);
    this.#at = new Float64Array(sab, AT_OFFSET, 1);
    this.#deadline = new Float64Array(sab, DEADLINE_OFFSET, 1);
    let timeout: ReturnType<typeof setTimeout> | undefined;
    if (cells === undefined) {
      this.#worker = new Worker(THREAD_URL, { type: "module" });
      this.#worker.onerror = (e) => {
        e.preventDefault();
        this.#fail();
      };
      this.#worker.postMessage(sab);
    } else {
      this.#worker = null;
      // Its errors reach its starter, not this thread: a thread that never answers is dead.
      timeout = setTimeout(() => this.#ready || this.#fail(), HANDED_READY_TIMEOUT_MS);
    }
    // Ready once the thread has answered one wake: its module load takes tens of ms, and
    // waits before that use timers. A failure resolves this sleep too (not ready).
    this.#readyPromise = this.sleepUntil(performance.now()).then(() => {
      clearTimeout(timeout);
      this.#ready = !this.#dead;
    });
  }

  /** Resolves once the helper thread has answered one wake (or failed). */
  ready(): Promise<void> {
    return this.#readyPromise;
  }

  /** False after the helper thread failed: callers fall back to timers. */
  get alive(): boolean {
    return this.#ready && !this.#dead;
  }

  /**
   * How long before a due time to stop sleeping and start yielding: the p99 of recent wake-up
   * lateness plus a margin, within [0.1, 1.5] ms.
   */
  get leadMs(): number {
    const now = performance.now();
    if (now - this.#sampledAt > STARVED_MS && this.#lead > MIN_LEAD_MS) {
      this.#lead = Math.max(MIN_LEAD_MS, this.#lead * 0.8);
      this.#sampledAt = now;
      this.#lateCount = 0;
    }
    return this.#lead;
  }

  /** Resolves at or shortly after `at` (`performance.now()` time). */
  sleepUntil(at: number): Promise<void> {
    if (this.#dead) return Promise.resolve();
    return new Promise((resolve) => this.#add({ at, resolve }));
  }

  /**
   * Calls `due` at or shortly after `at`, unless the returned function is called first. A
   * cancelled time that was armed is replaced by the next one without a notify: the thread still
   * wakes once at the old time, finds the later arming and sleeps on, so a watch pushed later
   * every slice costs the thread one wake-up per watch length, not one per slice. With nothing
   * left to arm, the thread fires once at the old time and this side finds nothing due.
   */
  watch(at: number, due: () => void): () => void {
    if (this.#dead) {
      due();
      return () => {};
    }
    const sleeper = { at, resolve: due };
    this.#add(sleeper);
    return () => {
      const s = this.#sleepers;
      const i = s.indexOf(sleeper);
      if (i < 0) return;
      s.splice(i, 1);
      if (i === 0) this.#arm(s.length > 0 ? s[0].at : Infinity);
    };
  }

  /** Sleeps and watches pending on this waker (other callers' waits, on this thread). */
  get pending(): number {
    return this.#sleepers.length;
  }

  #add(sleeper: Sleeper): void {
    const s = this.#sleepers;
    let i = s.length;
    while (i > 0 && s[i - 1].at > sleeper.at) i--;
    s.splice(i, 0, sleeper);
    if (sleeper.at < this.#armedAt) this.#arm(sleeper.at);
    if (!this.#listening) this.#listen();
  }

  /** Ends the helper thread (a handed one returns by itself); pending sleeps resolve at once. */
  stop(): void {
    if (this.#dead) return;
    Atomics.store(this.#cells, STOP, 1);
    Atomics.add(this.#cells, ARM, 1);
    Atomics.notify(this.#cells, ARM);
    this.#worker?.terminate();
    this.#fail();
  }

  #arm(at: number): void {
    this.#armedAt = at;
    // Nothing to wake for: the thread finds no new arming and goes back to sleep by itself.
    if (at === Infinity) return;
    const epoch = performance.timeOrigin + at;
    this.#at[0] = epoch;
    Atomics.add(this.#cells, ARM, 1);
    // The thread looks again by itself at its deadline: a notify (waking it) is only needed
    // when this time is earlier. The atomic load orders the deadline read after the arming on
    // every memory model (x86's locked add would be enough; ARM's plain loads may move up):
    // either this read sees the thread's newest deadline, or the thread sees the new arming.
    Atomics.load(this.#cells, FENCE);
    if (this.#deadline[0] > epoch + NOTIFY_SLACK_MS) Atomics.notify(this.#cells, ARM);
  }

  async #listen(): Promise<void> {
    this.#listening = true;
    while (!this.#dead && this.#sleepers.length > 0) {
      // Waiting on the last value handled (not a fresh load): the thread may fire between an
      // arming and this line, and that wake must not be missed.
      const r = Atomics.waitAsync(this.#cells, WAKE, this.#seen);
      if (r.async) await r.value;
      if (this.#dead) break;
      this.#seen = Atomics.load(this.#cells, WAKE);
      this.#wake();
    }
    this.#listening = false;
  }

  #wake(): void {
    const now = performance.now();
    if (this.#ready && this.#armedAt !== Infinity && now >= this.#armedAt) {
      this.#sample(now - this.#armedAt);
    }
    const s = this.#sleepers;
    let n = 0;
    while (n < s.length && s[n].at <= now) n++;
    const due = s.splice(0, n);
    // Re-arm even when the earliest did not change: the thread fires once per arming.
    this.#arm(s.length > 0 ? s[0].at : Infinity);
    for (const d of due) d.resolve();
  }

  #sample(lateMs: number): void {
    this.#sampledAt = performance.now();
    this.#late[this.#lateCount++ % SAMPLES] = lateMs;
    if (this.#lateCount % REESTIMATE_EVERY !== 0) return;
    const n = Math.min(this.#lateCount, SAMPLES);
    const sorted = this.#late.slice(0, n).sort();
    const p99 = sorted[Math.min(n - 1, Math.floor(n * 0.99))];
    this.#lead = Math.min(MAX_LEAD_MS, Math.max(MIN_LEAD_MS, p99 + LEAD_MARGIN_MS));
  }

  #fail(): void {
    this.#dead = true;
    this.#armedAt = Infinity;
    for (const s of this.#sleepers.splice(0)) s.resolve();
  }
}
