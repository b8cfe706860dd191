import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createArrivalRateExecutor } from "../../../core/executors/arrival_rate.ts";
import { createConstantVusExecutor } from "../../../core/executors/constant_vus.ts";
import type { ExecutionContext } from "../../../core/executors/executor.ts";
import { createConstantPacer } from "../../../core/schedule/pacer.ts";

interface Recorded {
  scheduled: number[];
  dropped: number[];
  interrupts: number;
}

function context(
  iterate: (vu: number, scheduled: number, cut: AbortSignal) => Promise<void>,
  stop = new AbortController().signal,
): { ctx: ExecutionContext; rec: Recorded } {
  const rec: Recorded = { scheduled: [], dropped: [], interrupts: 0 };
  const cut = new AbortController();
  const startAt = performance.now() + 5;
  const ctx: ExecutionContext = {
    segment: { index: 0, count: 1 },
    stop,
    startAt,
    iterate: (vu, s) => {
      rec.scheduled.push(Math.round((s - startAt) * 1e6) / 1e6);
      return iterate(vu, s, cut.signal);
    },
    dropped: (s) => rec.dropped.push(Math.round((s - startAt) * 1e6) / 1e6),
    vus: () => {},
    interrupt: () => {
      rec.interrupts++;
      cut.abort();
    },
  };
  return { ctx, rec };
}

const arrival = (rate: number, ms: number, maxVUs: number, graceMs = 1000, seg = [0, 1]) =>
  createArrivalRateExecutor({
    kind: "constant-arrival-rate",
    pacer: createConstantPacer(rate, ms),
    timeline: [{ atMs: 0, rate }],
    preAllocatedVUs: 1,
    maxVUs,
    gracefulStopMs: graceMs,
    segmentIndex: seg[0],
    segmentCount: seg[1],
  });

Deno.test("arrival-rate executor starts every arrival at its exact scheduled time", async () => {
  const { ctx, rec } = context(() => Promise.resolve());
  const r = await arrival(200, 300, 1000).run(ctx);
  equal(r.started, 60);
  deepStrictEqual(rec.scheduled, Array.from({ length: 60 }, (_, k) => k * 5));
  equal(r.dropped, 0);
});

Deno.test("arrival-rate executor drops and counts arrivals when every VU is busy", async () => {
  // Iterations take 60 ms; 2 VUs at 100/s can start at most 2 per 60 ms.
  const { ctx, rec } = context(() => new Promise((r) => setTimeout(r, 60)));
  const r = await arrival(100, 300, 2).run(ctx);
  equal(r.started + r.dropped, 30, "every arrival is either started or dropped");
  ok(r.dropped >= 10, `dropped ${r.dropped}`);
  equal(rec.dropped.length, r.dropped);
  for (const d of rec.dropped) {
    ok(Math.abs(d - Math.round(d / 10) * 10) < 1e-6, "drops on schedule");
  }
});

Deno.test("a segment of an arrival-rate run takes every n-th arrival", async () => {
  const { ctx, rec } = context(() => Promise.resolve());
  const r = await arrival(100, 200, 1000, 1000, [1, 3]).run({
    ...ctx,
    segment: { index: 1, count: 3 },
  });
  deepStrictEqual(rec.scheduled, [10, 40, 70, 100, 130, 160, 190]);
  equal(r.started, 7);
});

Deno.test("graceful stop interrupts iterations still running when it runs out", async () => {
  const { ctx, rec } = context((_vu, _s, cut) =>
    new Promise((r) => cut.addEventListener("abort", () => r(), { once: true }))
  );
  const r = await arrival(50, 100, 100, 50).run(ctx);
  equal(r.started, 5);
  equal(r.interrupted, 5);
  equal(rec.interrupts, 1);
});

Deno.test("stopping an arrival-rate run ends scheduling early", async () => {
  const stop = new AbortController();
  const { ctx } = context(() => Promise.resolve(), stop.signal);
  setTimeout(() => stop.abort(), 100);
  const r = await arrival(100, 10_000, 10).run(ctx);
  ok(r.stopped);
  ok(r.started < 100, `started ${r.started}`);
});

Deno.test("constant-vus runs every VU back to back until the duration ends", async () => {
  const perVu = new Map<number, number>();
  const { ctx } = context((vu) => {
    perVu.set(vu, (perVu.get(vu) ?? 0) + 1);
    return new Promise((r) => setTimeout(r, 10));
  });
  const r = await createConstantVusExecutor({ vus: 3, durationMs: 200, gracefulStopMs: 1000 })
    .run(ctx);
  deepStrictEqual([...perVu.keys()].sort(), [0, 1, 2]);
  equal([...perVu.values()].reduce((a, b) => a + b, 0), r.started);
  ok(r.started >= 6, `started ${r.started}`);
  equal(r.interrupted, 0);
});

Deno.test("constant-vus with an iteration limit stops each VU after it", async () => {
  const { ctx } = context(() => Promise.resolve());
  const r = await createConstantVusExecutor({
    vus: 4,
    durationMs: 10_000,
    gracefulStopMs: 1000,
    iterationsPerVu: 5,
  }).run(ctx);
  equal(r.started, 20);
});
