import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createExecutor } from "../../../core/executors/factory.ts";
import { shareOf } from "../../../core/schedule/segment.ts";
import { config, fakeContext, pause } from "./_context.ts";

const WHOLE = { index: 0, count: 1 };
const n = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

const perVuCases = [
  { vus: 1, iterations: 1, ms: 0 },
  { vus: 3, iterations: 4, ms: 2 },
  { vus: 5, iterations: 7, ms: 0 },
];

for (const c of perVuCases) {
  Deno.test(`per-vu-iterations runs exactly ${n(c.iterations, "iteration")} on each of ${n(c.vus, "VU")}`, async () => {
    const input = { executor: "per-vu-iterations", vus: c.vus, iterations: c.iterations };
    const exec = createExecutor(config(input), WHOLE);
    const { ctx, rec } = fakeContext(pause(c.ms));
    const r = await exec.run(ctx);
    equal(r.started, c.vus * c.iterations);
    deepStrictEqual([...rec.perVu.values()], Array(c.vus).fill(c.iterations));
    equal(exec.plan().plannedIterations, c.vus * c.iterations);
    equal(exec.plan().peakVUs, c.vus);
    equal(exec.plan().durationMs, 600_000, "maxDuration defaults to 10m");
  });
}

Deno.test("per-vu-iterations segments take shareOf(vus) VUs that each do every iteration", async () => {
  const input = { executor: "per-vu-iterations", vus: 5, iterations: 3 };
  let total = 0;
  for (let index = 0; index < 3; index++) {
    const segment = { index, count: 3 };
    const { ctx, rec } = fakeContext(pause(0), { segment });
    const r = await createExecutor(config(input), segment).run(ctx);
    equal(rec.perVu.size, shareOf(5, segment));
    ok([...rec.perVu.values()].every((n) => n === 3));
    total += r.started;
  }
  equal(total, 15);
});

Deno.test("per-vu-iterations stops starting iterations at maxDuration", async () => {
  const input = {
    executor: "per-vu-iterations",
    vus: 2,
    iterations: 1_000_000,
    maxDuration: "100ms",
  };
  const { ctx } = fakeContext(pause(10));
  const r = await createExecutor(config(input), WHOLE).run(ctx);
  ok(r.started >= 2 && r.started < 2_000_000, `started ${r.started}`);
  equal(r.interrupted, 0);
  equal(r.stopped, false);
});

const sharedCases = [
  { vus: 1, iterations: 1 },
  { vus: 3, iterations: 20 },
  { vus: 4, iterations: 4 },
  { vus: 10, iterations: 101 },
];

for (const c of sharedCases) {
  Deno.test(`shared-iterations starts exactly ${n(c.iterations, "iteration")} over ${n(c.vus, "VU")}`, async () => {
    const input = { executor: "shared-iterations", vus: c.vus, iterations: c.iterations };
    const exec = createExecutor(config(input), WHOLE);
    const { ctx, rec } = fakeContext(pause(1));
    const r = await exec.run(ctx);
    equal(r.started, c.iterations);
    equal(rec.scheduled.length, c.iterations);
    ok(rec.perVu.size <= c.vus);
    equal(exec.plan().plannedIterations, c.iterations);
    equal(exec.plan().peakVUs, c.vus);
  });
}

const splits = [
  { vus: 3, iterations: 20, count: 3 },
  { vus: 2, iterations: 3, count: 5 },
  { vus: 1, iterations: 7, count: 4 },
];

for (const c of splits) {
  Deno.test(
    `shared-iterations segments 0..${
      c.count - 1
    } of ${c.count} start exactly ${c.iterations} in total`,
    async () => {
      const input = { executor: "shared-iterations", vus: c.vus, iterations: c.iterations };
      let total = 0;
      for (let index = 0; index < c.count; index++) {
        const segment = { index, count: c.count };
        const exec = createExecutor(config(input), segment);
        const share = shareOf(c.iterations, segment);
        equal(exec.plan().plannedIterations, share);
        if (share > 0) ok(exec.plan().peakVUs >= 1, "a segment with work has a VU");
        const { ctx } = fakeContext(pause(0), { segment });
        const r = await exec.run(ctx);
        equal(r.started, share);
        total += r.started;
      }
      equal(total, c.iterations);
    },
  );
}

Deno.test("shared-iterations lets a fast VU take more of the work than a slow one", async () => {
  const input = { executor: "shared-iterations", vus: 2, iterations: 20 };
  const { ctx, rec } = fakeContext((vu, at, cut) => pause(vu === 1 ? 50 : 0)(vu, at, cut));
  const r = await createExecutor(config(input), WHOLE).run(ctx);
  equal(r.started, 20);
  ok((rec.perVu.get(0) ?? 0) > (rec.perVu.get(1) ?? 0), JSON.stringify([...rec.perVu]));
});

Deno.test("shared-iterations stops starting iterations at maxDuration", async () => {
  const input = {
    executor: "shared-iterations",
    vus: 2,
    iterations: 1_000_000,
    maxDuration: "100ms",
  };
  const { ctx, rec } = fakeContext(pause(10));
  const r = await createExecutor(config(input), WHOLE).run(ctx);
  ok(r.started >= 2 && r.started < 1_000_000, `started ${r.started}`);
  equal(r.interrupted, 0);
  equal(rec.vus[rec.vus.length - 1].active, 0, "every VU reported finished");
});

Deno.test("constant-vus segments split the VUs so they sum to the unsplit count", () => {
  const input = { executor: "constant-vus", vus: 7, duration: "1s" };
  const peaks = [0, 1, 2].map((index) =>
    createExecutor(config(input), { index, count: 3 }).plan().peakVUs
  );
  equal(peaks.reduce((a, b) => a + b, 0), 7);
  deepStrictEqual(peaks, [0, 1, 2].map((index) => shareOf(7, { index, count: 3 })));
});

Deno.test("constant-vus from a config runs its segment's VUs for the duration", async () => {
  const input = { executor: "constant-vus", vus: 4, duration: "150ms" };
  const segment = { index: 1, count: 2 };
  const { ctx, rec } = fakeContext(pause(10), { segment });
  const r = await createExecutor(config(input), segment).run(ctx);
  deepStrictEqual([...rec.perVu.keys()].sort(), [0, 1]);
  ok(r.started >= 2);
  equal(r.interrupted, 0);
});
