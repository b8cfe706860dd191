/// <reference lib="deno.worker" />
/**
 * The waker's thread: sleeps in `Atomics.wait` until the armed wake time, then bumps the wake
 * counter and notifies the main thread. `Atomics.wait` is a futex with a microsecond timeout,
 * so this thread costs nothing while it sleeps and wakes within tens of microseconds, where a
 * main-thread timer overshoots by ~1 ms. Protocol cells are described in `waker.ts`.
 *
 * @module
 */
import { ARM, AT_OFFSET, STOP, WAKE } from "./waker_protocol.ts";

/** Longest uninterrupted wait, so a lost stop flag still ends the thread within a second. */
const IDLE_WAIT_MS = 1000;

self.onmessage = (e: MessageEvent<SharedArrayBuffer>) => {
  const cells = new Int32Array(e.data);
  const at = new Float64Array(e.data, AT_OFFSET, 1);
  // Wake times are epoch milliseconds: the two threads' performance.now() origins differ.
  const origin = performance.timeOrigin;
  let fired = -1;
  while (Atomics.load(cells, STOP) === 0) {
    const gen = Atomics.load(cells, ARM);
    const due = at[0];
    if (!(due > 0) || gen === fired) {
      Atomics.wait(cells, ARM, gen, IDLE_WAIT_MS);
      continue;
    }
    const rem = due - (origin + performance.now());
    if (rem > 0) {
      // Returns early when the main thread re-arms (ARM changes) or stops.
      Atomics.wait(cells, ARM, gen, Math.min(rem, IDLE_WAIT_MS));
      continue;
    }
    fired = gen;
    Atomics.add(cells, WAKE, 1);
    Atomics.notify(cells, WAKE);
  }
  self.close();
};
