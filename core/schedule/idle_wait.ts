/**
 * Sleeping on the load thread's own futex while none of its iterations is in flight (ADR 24).
 *
 * Slice dispatch (ADR 21) wakes the waker's thread once per slice, which then wakes the load
 * thread: two thread wake-ups per slice, ~50 µs of CPU each on a VM. Against a target that
 * answers within the slice, the load thread is awake anyway when the slice's last response
 * arrives, and from then until the next slice nothing it could measure can happen: no iteration
 * of its own is in flight. It then blocks in `Atomics.wait` until the next slice instead, which
 * is one wake-up where there were two. Blocking the event loop is safe only then: a response
 * read late would be timed late, so with anything in flight the thread never blocks.
 *
 * Whether the slice's work will be done before the next slice is a prediction, learnt from the
 * target: after {@link CONFIDENT} slices in a row that were idle before they were due, the
 * executor waits for idleness rather than arming the waker for the slice. If an iteration ends
 * after the slice is due, it releases the slice itself (and, if that was more than
 * {@link RELEASE_LATE_MS} late, the prediction starts over); if none does, a watch on the waker
 * {@link BACKSTOP_MS} later releases it, and the prediction starts over (the waker again). The
 * watch moves with every slice, so it costs the waker's thread one wake-up per
 * {@link BACKSTOP_MS}, not one per slice. A target slower than the slice never gets here: its
 * slices are never idle, and keep the waker's precision.
 *
 * @module
 */
import type { Waker } from "./waker.ts";

/** Longest block of the event loop: a stop request or a tick waits at most this long. */
export const IDLE_BLOCK_MAX_MS = 2;

/** Slices in a row that went idle before they were due, before slices are waited for idly. */
export const CONFIDENT = 32;

/**
 * How long after a slice is due the waker releases it when no iteration has ended: the most a
 * target that suddenly stops answering delays one slice (shown as scheduler lag) before the
 * waker takes over again.
 */
export const BACKSTOP_MS = 5;

/**
 * A slice released by an iteration ending later than this after it was due sends the
 * prediction back to the waker: the target has stopped answering within the slice.
 */
export const RELEASE_LATE_MS = 0.5;

/** What idle waits did on this thread, for tests and diagnostics. */
export interface IdleWaitCounts {
  /** Waits that blocked on this thread's futex (nothing in flight). */
  blocked: number;
  /** Slices released by an iteration ending after they were due. */
  released: number;
  /** Slices released by the waker's backstop: the prediction failed. */
  backstops: number;
}

let inFlight = 0;
let idleInARow = 0;
let idleSince = -Infinity;
let waiter: { at: number; waker: Waker; done: () => void } | null = null;
const futex = new Int32Array(new SharedArrayBuffer(4));
const counts: IdleWaitCounts = { blocked: 0, released: 0, backstops: 0 };

/** Counts so far on this thread (a copy). */
export function idleWaitCounts(): IdleWaitCounts {
  return { ...counts };
}

/** Whether slices with iterations in flight are now waited for idly (the target proved fast). */
export function idlePredicted(): boolean {
  return idleInARow >= CONFIDENT;
}

/**
 * Forgets the learnt prediction: a new run (or a warm-up's, or a rehearsal's) has a target of
 * its own, which must prove itself fast before its slices are waited for idly.
 */
export function resetIdleWaits(): void {
  idleInARow = 0;
  idleSince = -Infinity;
}

/** An iteration started on this thread. */
export function iterationStarted(): void {
  inFlight++;
}

/** An iteration ended on this thread: releases an idle wait that is due or can now block. */
export function iterationEnded(): void {
  if (--inFlight === 0) idleSince = performance.now();
  const w = waiter;
  if (w === null) return;
  if (inFlight === 0) {
    waiter = null;
    // Only its own backstop may be pending: another wait (a second scenario's) could be due
    // sooner. Then the wait ends at once and the caller sleeps again, on the waker.
    if (w.waker.pending <= 1) {
      block(w.at);
      counts.blocked++;
      idleInARow++;
    }
    w.done();
  } else {
    const late = performance.now() - w.at;
    if (late < 0) return;
    waiter = null;
    counts.released++;
    if (late > RELEASE_LATE_MS) idleInARow = 0;
    w.done();
  }
}

/**
 * Waits until `target` without the waker's wake-up when that is safe (see the module), and
 * returns false when it is not: the caller then sleeps on the waker and reports back with
 * {@link sliceWoken}. `remMs` is the time left until `target`.
 */
export function waitIdly(waker: Waker, target: number, remMs: number): Promise<void> | false {
  // Another wait pending on this thread (a second scenario) must not be slept through.
  if (remMs > IDLE_BLOCK_MAX_MS || waiter !== null || waker.pending > 0) return false;
  if (inFlight === 0) {
    block(target);
    counts.blocked++;
    return Promise.resolve();
  }
  if (idleInARow < CONFIDENT) return false;
  return new Promise((resolve) => {
    let cancel = () => {};
    const done = () => {
      cancel();
      resolve();
    };
    waiter = { at: target, waker, done };
    cancel = waker.watch(target + BACKSTOP_MS, () => {
      if (waiter?.done !== done) return;
      waiter = null;
      counts.backstops++;
      idleInARow = 0;
      resolve();
    });
  });
}

/** After a slice woken by the waker: was it idle before it was due (the prediction's input)? */
export function sliceWoken(target: number): void {
  if (inFlight === 0 && idleSince <= target) idleInARow++;
  else idleInARow = 0;
}

function block(at: number): void {
  const ms = at - performance.now();
  if (ms > 0) Atomics.wait(futex, 0, 0, ms);
}
