import assert from "node:assert/strict";
import { startWakerThread, Waker } from "../../../core/schedule/waker.ts";
import { BYTES, STOP } from "../../../core/schedule/waker_protocol.ts";
import {
  holdWaker,
  useWakerThread,
  waitUntil,
  wakerReady,
  wakerStarts,
} from "../../../core/schedule/wait.ts";

Deno.test("waker: sleeps never end before their time, and end in time order", async () => {
  const w = new Waker();
  try {
    await w.ready();
    assert.equal(w.alive, true);
    const base = performance.now();
    const offsets = [9, 2, 5, 2, 14, 0, 7];
    const order: number[] = [];
    await Promise.all(offsets.map(async (off, i) => {
      const at = base + off;
      await w.sleepUntil(at);
      assert.ok(performance.now() >= at, `sleep ${i} ended ${at - performance.now()} ms early`);
      order.push(off);
    }));
    assert.deepEqual(order, [...offsets].sort((a, b) => a - b));
  } finally {
    w.stop();
  }
});

Deno.test("waker: hundreds of back-to-back sleeps all resolve (no lost wake-up)", async () => {
  const w = new Waker();
  try {
    await w.ready();
    // Due times already past and 0.1 ms apart race the thread against re-arming.
    const base = performance.now() - 1;
    for (let i = 0; i < 500; i++) await w.sleepUntil(base + i * 0.1);
    const lead = w.leadMs;
    assert.ok(lead >= 0.1 && lead <= 1.5, `lead ${lead} out of bounds`);
  } finally {
    w.stop();
  }
});

Deno.test("waker: a grid cadence and arming earlier than the thread's nap both wake (no notify lost)", async () => {
  const w = new Waker();
  try {
    await w.ready();
    // A steady 0.5 ms grid (the thread learns to nap for it), then gaps shorter and longer than
    // the nap: a shorter one must notify the napping thread, a longer one must not be fired
    // at the nap's end. A lost wake-up would only resolve at the thread's 1 s idle check.
    const gaps = [...Array(200).fill(0.5), 0.1, 0.05, 3, 0.2, 7, 0.5, 0.5, 0.01, 12, 1];
    let at = performance.now();
    for (const gap of gaps) {
      at += gap;
      await w.sleepUntil(at);
      const late = performance.now() - at;
      assert.ok(late >= 0, `woke ${-late} ms early`);
      assert.ok(late < 500, `woke ${late} ms late: a wake-up was lost`);
    }
  } finally {
    w.stop();
  }
});

Deno.test("waker: a watch calls back once at its time; a cancelled or moved one does not", async () => {
  const w = new Waker();
  try {
    await w.ready();
    let cancelledCalls = 0;
    const cancel = w.watch(performance.now() + 2, () => cancelledCalls++);
    assert.equal(w.pending, 1);
    cancel();
    cancel(); // idempotent
    assert.equal(w.pending, 0);
    // A watch pushed later every 0.5 ms (what an idle wait's backstop does) never fires while
    // it is moved, and the last one fires at its time.
    let moved = 0;
    let cancelMoved = () => {};
    for (let i = 0; i < 40; i++) {
      cancelMoved();
      cancelMoved = w.watch(performance.now() + 50, () => moved++);
      await w.sleepUntil(performance.now() + 0.5);
    }
    assert.equal(moved, 0);
    const at = performance.now() + 3;
    let firedAt = 0;
    cancelMoved();
    await new Promise<void>((resolve) =>
      w.watch(at, () => {
        firedAt = performance.now();
        resolve();
      })
    );
    assert.ok(firedAt >= at, `fired ${at - firedAt} ms early`);
    assert.equal(cancelledCalls, 0);
    assert.equal(moved, 0);
    assert.equal(w.pending, 0);
  } finally {
    w.stop();
  }
});

Deno.test("waker: stop resolves pending sleeps and ends the thread", async () => {
  const w = new Waker();
  await w.ready();
  const far = w.sleepUntil(performance.now() + 60_000);
  w.stop();
  await far;
  assert.equal(w.alive, false);
  // After stop, sleeps resolve at once instead of hanging.
  await w.sleepUntil(performance.now() + 60_000);
});

Deno.test("waitUntil with a held waker: never early, and the waker ends with its last holder", async () => {
  const releaseA = holdWaker();
  const releaseB = holdWaker();
  try {
    await wakerReady();
    for (const off of [0.05, 0.5, 3, 12]) {
      const target = performance.now() + off;
      assert.equal(await waitUntil(target), true);
      assert.ok(performance.now() >= target);
    }
    const stop = new AbortController();
    const pending = waitUntil(performance.now() + 60_000, stop.signal);
    stop.abort();
    // The signal is checked at least every 100 ms.
    assert.equal(await pending, false);
  } finally {
    releaseA();
    releaseA(); // idempotent: must not release B's hold
    releaseB();
  }
});

Deno.test("waker: a thread started by another thread wakes this one; stop tells it to return", async () => {
  const { cells, thread } = startWakerThread();
  try {
    const w = new Waker(cells);
    await w.ready();
    assert.equal(w.alive, true);
    const t = performance.now() + 5;
    await w.sleepUntil(t);
    assert.ok(performance.now() >= t);
    w.stop();
    assert.equal(Atomics.load(new Int32Array(cells), STOP), 1);
    assert.equal(w.alive, false);
  } finally {
    thread.terminate();
  }
});

Deno.test("waker: handed cells nobody watches: it gives up and waits fall back to timers", async () => {
  const w = new Waker(new SharedArrayBuffer(BYTES));
  await w.ready(); // after its 5 s timeout
  assert.equal(w.alive, false);
  const t = performance.now() + 2;
  await w.sleepUntil(t); // resolves at once once dead
});

Deno.test("useWakerThread: the next hold uses the handed thread and starts none here", async () => {
  const { cells, thread } = startWakerThread();
  const before = wakerStarts();
  useWakerThread(cells);
  const release = holdWaker();
  try {
    await wakerReady();
    const t = performance.now() + 3;
    assert.equal(await waitUntil(t), true);
    assert.ok(performance.now() >= t);
    assert.equal(wakerStarts(), before);
  } finally {
    release();
    thread.terminate();
  }
  assert.equal(Atomics.load(new Int32Array(cells), STOP), 1);
});
