/**
 * Waiting until an absolute time on the monotonic clock. Deno's timers overshoot by about a
 * millisecond (setTimeout(0) takes ~2 ms here), so long waits sleep to just short of the target
 * and the rest is covered by immediate yields (~10 µs each) that still let I/O callbacks run.
 * Waits are against absolute times, never chained sleeps, so errors never accumulate.
 *
 * @module
 */
import { setImmediate } from "node:timers";

/** Timer overshoot we leave to yields: typical overshoot measured here is ~1.2 ms. */
export const SLEEP_MARGIN_MS = 1.5;

let spinWindowMs = SLEEP_MARGIN_MS;
let spentSpinning = 0;

/**
 * Sets how close to a due time waits switch from sleeping to yielding. 0 never spins: CPU stays
 * proportional to the load, and timer overshoot (~1–2 ms) shows up as scheduler lag (and so in
 * latency, which is measured from the schedule) instead of being avoided.
 */
export function setSpinWindow(ms: number): void {
  spinWindowMs = Math.max(0, ms);
}

/** Total ms this thread spent yielding in waits: timing precision bought with CPU. */
export function spinTimeMs(): number {
  return spentSpinning;
}
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
    const rem = target - performance.now();
    if (rem <= 0) return true;
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
