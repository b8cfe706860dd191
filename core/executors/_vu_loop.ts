/**
 * The closed-loop building blocks shared by `ramping-vus` and `shared-iterations`: one VU
 * running iterations back to back, and a cancellable wait for the end of a run.
 *
 * @module
 */
import { yieldNow } from "../schedule/wait.ts";
import type { ExecutionContext, InFlight } from "./executor.ts";

/**
 * Longest a VU runs iterations back to back without yielding to the event loop. Iterations
 * that settle without I/O (a scenario that only sleeps in microtasks, a test double) would
 * otherwise starve the timers that drive ramps, stops and graceful stops; with real I/O the
 * cost is one immediate per VU every this many ms.
 */
const BREATHE_MS = 25;

/** What one VU's loop asks its executor. */
export interface VuLoopHooks {
  /**
   * Asked before each iteration; true means it starts now (so an executor counts starts
   * here, atomically with the decision).
   */
  more(): boolean;
  /** Told when the VU starts (true) and finishes (false) an iteration. */
  busy?(busy: boolean): void;
}

/**
 * Runs iterations on VU `vu` while `hooks.more()` agrees. In closed loop each iteration is
 * scheduled at its actual start, so latency and service time coincide.
 */
export async function runVuLoop(
  ctx: ExecutionContext,
  vu: number,
  inflight: InFlight,
  hooks: VuLoopHooks,
): Promise<void> {
  let breathed = performance.now();
  while (hooks.more()) {
    inflight.count++;
    hooks.busy?.(true);
    await ctx.iterate(vu, performance.now());
    inflight.done();
    hooks.busy?.(false);
    const now = performance.now();
    if (now - breathed >= BREATHE_MS) {
      breathed = now;
      await yieldNow();
    }
  }
}

/**
 * Sleeps until `performance.now()` reaches `at` or any of `signals` aborts, clearing its timer
 * either way (a run that ends early must not keep a 10-minute timer alive).
 */
export function sleepUntil(at: number, ...signals: AbortSignal[]): Promise<void> {
  const signal = AbortSignal.any(signals);
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, at - performance.now()));
    signal.addEventListener("abort", done, { once: true });
  });
}
