import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createConstantPacer, createRampingPacer } from "../../../core/schedule/pacer.ts";

const close = (a: number, b: number, eps = 1e-6) => ok(Math.abs(a - b) < eps, `${a} ≈ ${b}`);

Deno.test("constant pacer at 2/s spaces arrivals 500 ms apart from time zero", () => {
  const p = createConstantPacer(2, 10_000);
  deepStrictEqual([0, 1, 2, 9].map(p.arrivalAt), [0, 500, 1000, 4500]);
});

Deno.test("constant pacer plans exactly rate × duration arrivals and none at the end", () => {
  const table: [number, number, number][] = [
    [500, 30_000, 15_000],
    [100, 1_000, 100],
    [3, 1_000, 3],
    [1000 / 3, 1_000, 334], // 333.3/s: arrivals at 0, 3, … 999 ms
    [0.5, 10_000, 5],
  ];
  for (const [rate, dur, total] of table) {
    const p = createConstantPacer(rate, dur);
    equal(p.total, total, `${rate}/s for ${dur} ms`);
    ok(p.arrivalAt(total - 1) < dur);
    equal(p.arrivalAt(total), Infinity);
  }
});

Deno.test("arrivalsBefore counts arrivals strictly before a time", () => {
  const p = createConstantPacer(10, 1_000);
  equal(p.arrivalsBefore(0), 0);
  equal(p.arrivalsBefore(0.001), 1);
  equal(p.arrivalsBefore(100), 1);
  equal(p.arrivalsBefore(100.001), 2);
  equal(p.arrivalsBefore(5_000), 10);
});

Deno.test("ramping pacer from 0 to 100/s over 10 s plans 500 arrivals on a quadratic curve", () => {
  const p = createRampingPacer(0, [{ target: 100, durationMs: 10_000 }]);
  equal(p.total, 500);
  // N(t) = 5 t² (t in s): arrival k is at sqrt(k / 5) s.
  for (const k of [1, 5, 20, 125, 499]) close(p.arrivalAt(k), Math.sqrt(k / 5) * 1000);
  close(p.rateAt(5_000), 50);
});

Deno.test("ramping pacer holds, ramps down, and never drifts across stages", () => {
  const p = createRampingPacer(0, [
    { target: 100, durationMs: 10_000 },
    { target: 100, durationMs: 5_000 },
    { target: 0, durationMs: 10_000 },
  ]);
  equal(p.total, 1500);
  equal(p.arrivalAt(500), 10_000);
  equal(p.arrivalAt(999), 14_990);
  equal(p.arrivalAt(1000), 15_000);
  // Ramp down: 499 = 100τ − 5τ² ⇒ τ = (100 − √20) / 10.
  close(p.arrivalAt(1499), 15_000 + ((100 - Math.sqrt(20)) / 10) * 1000);
  equal(p.arrivalsBefore(25_000), 1500);
});

Deno.test("a zero-length stage jumps the rate instantly", () => {
  const p = createRampingPacer(10, [
    { target: 10, durationMs: 1_000 },
    { target: 100, durationMs: 0 },
    { target: 100, durationMs: 1_000 },
  ]);
  equal(p.total, 110);
  equal(p.arrivalAt(10), 1_000);
  equal(p.arrivalAt(11), 1_010);
  equal(p.rateAt(1_500), 100);
});

Deno.test("arrival times are strictly increasing for every schedule", () => {
  const p = createRampingPacer(5, [
    { target: 300, durationMs: 2_000 },
    { target: 20, durationMs: 3_000 },
  ]);
  let last = -1;
  for (let k = 0; k < p.total; k++) {
    const t = p.arrivalAt(k);
    ok(t > last, `arrival ${k} at ${t} after ${last}`);
    last = t;
  }
});
