/**
 * Waiting until an absolute time on the monotonic clock. Deno's timers overshoot by about a
 * millisecond (setTimeout(0) takes ~2 ms here), so long waits sleep to just short of the target
 * and the rest is covered by immediate yields (~10 µs each) that still let I/O callbacks run.
 * While a run holds the waker (`holdWaker`), sleeps end on a helper thread's futex wake-up
 * instead, and the yielding shrinks to the waker's measured jitter (ADR 10).
 * Waits are against absolute times, never chained sleeps, so errors never accumulate.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import { Waker } from "./waker.ts";

/** Timer overshoot we leave to yields: typical overshoot measured here is ~1.2 ms. */
export const SLEEP_MARGIN_MS = 1.5;

/**
 * How waits trade CPU for timing precision (`--timing`):
 * - `precise`: sleep to just before the due time, then yield; while a run holds the waker
 *   (`holdWaker`), the sleep ends on the waker's thread and the yielding shrinks to its
 *   measured jitter.
 * - `efficient`: sleep only: CPU proportional to the load, wake-up lateness shows up as
 *   scheduler lag (and so in latency, which is measured from the schedule).
 * - `spin`: timers and the full 1.5 ms of yielding, never a helper thread: the lowest lag, at
 *   a whole core from ~1,000 arrivals/s.
 */
export type TimingMode = "precise" | "efficient" | "spin";

/** Every timing mode, for flag validation. */
export const TIMING_MODES: readonly TimingMode[] = ["precise", "efficient", "spin"];

let spinWindowMs = SLEEP_MARGIN_MS;
let wakerAllowed = true;
let spentSpinning = 0;

/** Sets this thread's timing mode (see {@link TimingMode}). */
export function setTiming(mode: TimingMode): void {
  spinWindowMs = mode === "efficient" ? 0 : SLEEP_MARGIN_MS;
  wakerAllowed = mode !== "spin";
}

/** Total ms this thread spent yielding in waits: timing precision bought with CPU. */
export function spinTimeMs(): number {
  return spentSpinning;
}

let waker: Waker | null = null;
let holders = 0;
let started = 0;

/**
 * Helper threads started on this thread so far. Each start blocks the thread 30–45 ms, so a
 * warm-up and its measured run must share one (tests hold callers to that).
 */
export function wakerStarts(): number {
  return started;
}

/**
 * Starts the shared waker (if not running) for the caller's run; the returned function
 * releases it, and the last release ends its thread. Until the thread answers (tens of ms),
 * waits use timers.
 */
export function holdWaker(): () => void {
  if (!wakerAllowed) return () => {};
  if (waker === null) {
    waker = new Waker();
    started++;
  }
  // Counted only once the thread exists: a failed start must not leave a holder behind.
  holders++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) {
      waker?.stop();
      waker = null;
    }
  };
}

/** Resolves when the held waker is usable (or has failed); at once when none is held. */
export function wakerReady(): Promise<void> {
  return waker?.ready() ?? Promise.resolve();
}

/** Shortest sleep worth handing to the waker's thread, ms. */
const MIN_WAKER_SLEEP_MS = 0.25;

/** Longest single sleep, so a stop request is noticed promptly during long gaps. */
const MAX_SLEEP_MS = 100;

/** Yields to the event loop once, letting pending I/O run, without timer delay. */
export function yieldNow(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Sleeps roughly `ms` milliseconds (timer precision). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves when `performance.now()` reaches `target`, or early when `signal` aborts.
 * Returns false when it returned because of the signal.
 */
export async function waitUntil(target: number, signal?: AbortSignal): Promise<boolean> {
  while (true) {
    if (signal?.aborted) return false;
    const now = performance.now();
    const rem = target - now;
    if (rem <= 0) return true;
    const w = waker?.alive ? waker : null;
    if (w) {
      const lead = spinWindowMs === 0 ? 0 : w.leadMs;
      // A hand-off to the waker's thread is only worth a real sleep: at 10,000/s the short
      // gaps sleep through it rarely, and those rare late wakes were the lag's tail.
      if (rem - lead >= MIN_WAKER_SLEEP_MS) {
        await w.sleepUntil(Math.min(target - lead, now + MAX_SLEEP_MS));
        continue;
      }
    }
    if (rem > spinWindowMs + 0.5) {
      await sleep(Math.min(rem - spinWindowMs, MAX_SLEEP_MS));
    } else if (spinWindowMs === 0) {
      await sleep(rem);
    } else {
      const t = performance.now();
      await yieldNow();
      spentSpinning += performance.now() - t;
    }
  }
}
