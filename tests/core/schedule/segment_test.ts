import { deepStrictEqual, equal } from "node:assert/strict";
import { createConstantPacer, createRampingPacer } from "../../../core/schedule/pacer.ts";
import { offsetOf, shareOf, stripedCount } from "../../../core/schedule/segment.ts";

Deno.test("shares of an integer across segments sum to the total and differ by at most one", () => {
  for (const total of [0, 1, 7, 64, 1000, 1001]) {
    for (const count of [1, 2, 3, 7, 16]) {
      const shares = Array.from({ length: count }, (_, index) => shareOf(total, { index, count }));
      equal(shares.reduce((a, b) => a + b, 0), total);
      equal(Math.max(...shares) - Math.min(...shares) <= 1, true);
      for (let i = 0; i < count; i++) {
        equal(offsetOf(total, { index: i, count }), shares.slice(0, i).reduce((a, b) => a + b, 0));
      }
    }
  }
});

Deno.test("the union of striped segment schedules is exactly the single-process schedule", () => {
  const pacers = [
    createConstantPacer(1000, 3_000),
    createConstantPacer(7, 10_000),
    createRampingPacer(0, [{ target: 500, durationMs: 2_000 }, { target: 50, durationMs: 1_000 }]),
  ];
  for (const p of pacers) {
    const whole = Array.from({ length: p.total }, (_, k) => p.arrivalAt(k));
    for (const count of [1, 2, 3, 5]) {
      const union: number[] = [];
      let n = 0;
      for (let index = 0; index < count; index++) {
        let c = 0;
        for (let k = index; p.arrivalAt(k) !== Infinity; k += count) {
          union.push(p.arrivalAt(k));
          c++;
        }
        equal(c, stripedCount(p.total, { index, count }));
        n += c;
      }
      equal(n, p.total);
      deepStrictEqual(union.sort((a, b) => a - b), whole);
    }
  }
});
