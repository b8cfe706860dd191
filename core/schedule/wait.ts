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
import { sliceWoken, waitIdly } from "./idle_wait.ts";

/** Timer overshoot we leave to yields: typical overshoot measured here is ~1.2 ms. */
export const SLEEP_MARGIN_MS = 1.5;

/**
 * How waits trade CPU for timing precision (`--timing`):
 * - `slice` (the default): no wait yields; the open-loop executors wake at most once per
 *   {@link SLICE_MS} on a fixed grid, releasing every arrival due by then (each keeps its
 *   scheduled time): CPU follows the load, not the waiting (ADR 15, ADR 21). A wait ends on the
 *   waker thread's futex wake-up, or, while none of this thread's iterations is in flight, on
 *   this thread's own (`idle_wait.ts`, ADR 24): one wake-up per slice instead of two.
 * - `precise`: sleep to just before the due time, then yield; while a run holds the waker
 *   (`holdWaker`), the sleep ends on the waker's thread and the yielding shrinks to its
 *   measured jitter. Lowest lag body, at up to a whole core from ~1,000 arrivals/s.
 * - `efficient`: sleep only: CPU proportional to the load, wake-up lateness shows up as
 *   scheduler lag (and so in latency, which is measured from the schedule).
 * - `spin`: timers and the full 1.5 ms of yielding, never a helper thread: the lowest lag, at
 *   a whole core from ~1,000 arrivals/s.
 */
export type TimingMode = "slice" | "precise" | "efficient" | "spin";

/** Every timing mode, for flag validation; the first is the default. */
export const TIMING_MODES: readonly TimingMode[] = ["slice", "precise", "efficient", "spin"];

/** The dispatch slice of `slice` timing: at most one wake-up per slice, ms. */
export const SLICE_MS = 0.5;

/**
 * Arrival rate (per load thread) from which `precise` waits use the waker thread (ADR 10):
 * below it, yielding costs little and creating the thread blocks its creator 30–45 ms.
 */
export const PRECISE_WAKER_MIN_RATE = 200;

let mode: TimingMode = "slice";
let spinWindowMs = 0;
let wakerAllowed = true;
let spentSpinning = 0;

/** Sets this thread's timing mode (see {@link TimingMode}). */
export function setTiming(m: TimingMode): void {
  mode = m;
  spinWindowMs = m === "efficient" || m === "slice" ? 0 : SLEEP_MARGIN_MS;
  wakerAllowed = m !== "spin";
}

/** The open-loop dispatch slice of this thread's mode (0: wake for every arrival). */
export function dispatchSliceMs(): number {
  return mode === "slice" ? SLICE_MS : 0;
}

/**
 * The arrival rate from which an open-loop run holds the waker: any rate in `slice` mode (its
 * waits have no other precise wake-up), {@link PRECISE_WAKER_MIN_RATE} in `precise`.
 */
export function wakerMinRate(): number {
  return mode === "slice" ? Number.MIN_VALUE : wakerAllowed ? PRECISE_WAKER_MIN_RATE : Infinity;
}

/** Total ms this thread spent yielding in waits: timing precision bought with CPU. */
export function spinTimeMs(): number {
  return spentSpinning;
}

let waker: Waker | null = null;
let holders = 0;
let started = 0;
let handed: SharedArrayBuffer | null = null;

/**
 * Makes the next waker this thread holds use a thread started elsewhere (`startWakerThread`),
 * once: a Worker's own Worker starts ~1 s late in Deno 2.9, so a load worker asks the main
 * thread for its waker.
 */
export function useWakerThread(cells: SharedArrayBuffer): void {
  handed = cells;
}

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
    waker = new Waker(handed ?? undefined);
    if (handed === null) started++;
    handed = null;
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
    if (w && mode === "slice") {
      // Nothing in flight, or a target that answers within the slice: no waker wake-up.
      const idly = waitIdly(w, target, rem);
      if (idly) {
        await idly;
        continue;
      }
      // No yielding at all: the waker's wake-up is the precision (slices absorb its jitter).
      await w.sleepUntil(Math.min(target, now + MAX_SLEEP_MS));
      if (performance.now() >= target) sliceWoken(target);
      continue;
    }
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
