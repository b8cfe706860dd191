import assert from "node:assert/strict";
import { ConnectionSlots } from "../../../engines/http/connection_slots.ts";

Deno.test("free slots are taken synchronously and given back", () => {
  const slots = new ConnectionSlots(2);
  assert.equal(slots.acquire(), true);
  assert.equal(slots.acquire(), true);
  assert.equal(slots.free, 0);
  slots.release();
  slots.release();
  assert.equal(slots.free, 2);
});

Deno.test("waiters get slots in arrival order", async () => {
  const slots = new ConnectionSlots(1);
  assert.equal(slots.acquire(), true);
  const order: number[] = [];
  const waits = [1, 2, 3].map((i) =>
    Promise.resolve(slots.acquire()).then((granted) => {
      order.push(i);
      assert.equal(granted, true);
      slots.release();
    })
  );
  assert.equal(slots.waiting, 3);
  slots.release();
  await Promise.all(waits);
  assert.deepEqual(order, [1, 2, 3]);
  assert.equal(slots.free, 1);
  assert.equal(slots.waiting, 0);
});

Deno.test("an aborted waiter gives up without taking a slot", async () => {
  const slots = new ConnectionSlots(1);
  assert.equal(slots.acquire(), true);
  const ctrl = new AbortController();
  const first = slots.acquire(ctrl.signal);
  const second = slots.acquire();
  ctrl.abort();
  assert.equal(await first, false);
  slots.release();
  assert.equal(await second, true);
  slots.release();
  assert.equal(slots.free, 1);
  assert.equal(slots.acquire(AbortSignal.abort()), false);
});

Deno.test("close refuses queued and future requests", async () => {
  const slots = new ConnectionSlots(1);
  assert.equal(slots.acquire(), true);
  const queued = slots.acquire();
  slots.close();
  assert.equal(await queued, false);
  assert.equal(slots.acquire(), false);
});
