/// <reference lib="deno.worker" />
/**
 * The waker's thread: sleeps in `Atomics.wait` until the armed wake time, then bumps the wake
 * counter and notifies the main thread. `Atomics.wait` is a futex with a microsecond timeout,
 * so this thread costs nothing while it sleeps and wakes within tens of microseconds, where a
 * main-thread timer overshoots by ~1 ms. Protocol cells are described in `waker_protocol.ts`.
 *
 * Each wake-up of a thread costs tens of microseconds of CPU on a VM, so the thread publishes
 * when it will next look by itself: the main thread re-arms without a notify whenever the new
 * time is not earlier, and after firing the thread naps until the armed time plus the last
 * interval between armed times: slice dispatch arms on a fixed grid, so its next arming is
 * found at the nap's end without a notify.
 *
 * @module
 */
import { ARM, AT_OFFSET, DEADLINE_OFFSET, FENCE, STOP, WAKE } from "./waker_protocol.ts";

/** Longest uninterrupted wait, so a lost stop flag still ends the thread within a second. */
const IDLE_WAIT_MS = 1000;
/** Longest nap after a fire: longer intervals are not a cadence worth predicting. */
const MAX_NAP_MS = 20;

self.onmessage = (e: MessageEvent<SharedArrayBuffer>) => {
  const cells = new Int32Array(e.data);
  const at = new Float64Array(e.data, AT_OFFSET, 1);
  const deadline = new Float64Array(e.data, DEADLINE_OFFSET, 1);
  // Wake times are epoch milliseconds: the two threads' performance.now() origins differ.
  const origin = performance.timeOrigin;
  const now = () => origin + performance.now();
  /** Publishes when this thread looks again, then fences so the main thread sees it. */
  const until = (t: number) => {
    deadline[0] = t;
    Atomics.store(cells, FENCE, 0);
  };
  let fired = -1;
  let firedDue = 0;
  let interval = 0;
  let napUntil = 0;
  until(Infinity);
  while (Atomics.load(cells, STOP) === 0) {
    const gen = Atomics.load(cells, ARM);
    const due = at[0];
    const t = now();
    if (!(due > 0) || gen === fired) {
      // Nothing new armed. Right after a fire, nap for the usual interval: the main thread's
      // re-arm for about then needs no notify. Past the nap, wait for a notify.
      if (t < napUntil) {
        until(napUntil);
        if (Atomics.load(cells, ARM) === gen) Atomics.wait(cells, ARM, gen, napUntil - t);
      } else {
        until(Infinity);
        if (Atomics.load(cells, ARM) === gen) Atomics.wait(cells, ARM, gen, IDLE_WAIT_MS);
      }
      continue;
    }
    if (due > t) {
      until(due);
      // Returns early when the main thread notifies (an earlier time) or stops.
      if (Atomics.load(cells, ARM) === gen) {
        Atomics.wait(cells, ARM, gen, Math.min(due - t, IDLE_WAIT_MS));
      }
      continue;
    }
    fired = gen;
    if (firedDue > 0) interval = due - firedDue;
    firedDue = due;
    napUntil = interval > 0 && interval <= MAX_NAP_MS ? due + interval : 0;
    Atomics.add(cells, WAKE, 1);
    Atomics.notify(cells, WAKE);
  }
  self.close();
};
