import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createExecutor } from "../../../core/executors/factory.ts";
import {
  createConstantPacer,
  createRampingPacer,
  type Pacer,
} from "../../../core/schedule/pacer.ts";
import { config, fakeContext, pause } from "./_context.ts";

/** Every arrival of `pacer`, rounded like the recorder rounds offsets. */
function arrivals(pacer: Pacer, first = 0, step = 1): number[] {
  const out: number[] = [];
  for (let k = first; k < pacer.total; k += step) {
    out.push(Math.round(pacer.arrivalAt(k) * 1e6) / 1e6);
  }
  return out;
}

const WHOLE = { index: 0, count: 1 };

const constantCases = [
  { name: "50 per 1s for 200ms", rate: 50, timeUnit: "1s", duration: "200ms", perSecond: 50 },
  { name: "5 per 100ms for 200ms", rate: 5, timeUnit: "100ms", duration: 200, perSecond: 50 },
  { name: "1.5 per 10ms for 100ms", rate: 1.5, timeUnit: 10, duration: "100ms", perSecond: 150 },
];

for (const c of constantCases) {
  Deno.test(`constant-arrival-rate at ${c.name} starts every arrival on the pacer's schedule`, async () => {
    const cfg = config({
      executor: "constant-arrival-rate",
      rate: c.rate,
      timeUnit: c.timeUnit,
      duration: c.duration,
      preAllocatedVUs: 5,
      maxVUs: 1000,
    });
    const exec = createExecutor(cfg, WHOLE);
    const { ctx, rec } = fakeContext(pause(0));
    const r = await exec.run(ctx);
    const expected = arrivals(createConstantPacer(c.perSecond, Number(exec.plan().durationMs)));
    deepStrictEqual(rec.scheduled, expected);
    equal(r.started, expected.length);
    equal(exec.plan().plannedIterations, expected.length);
    equal(exec.plan().peakRate, c.perSecond);
    equal(r.dropped, 0);
  });
}

const rampInput = {
  executor: "ramping-arrival-rate",
  startRate: 0,
  timeUnit: "1s",
  stages: [
    { target: 100, duration: "300ms" },
    { target: 100, duration: "200ms" },
    { target: 20, duration: "200ms" },
  ],
  preAllocatedVUs: 2,
  maxVUs: 1000,
};
const rampPacer = () =>
  createRampingPacer(0, [
    { target: 100, durationMs: 300 },
    { target: 100, durationMs: 200 },
    { target: 20, durationMs: 200 },
  ]);

Deno.test("ramping-arrival-rate scheduled times match the pacer exactly", async () => {
  const exec = createExecutor(config(rampInput), WHOLE);
  const { ctx, rec } = fakeContext(pause(0));
  const r = await exec.run(ctx);
  const expected = arrivals(rampPacer());
  deepStrictEqual(rec.scheduled, expected);
  equal(r.started, expected.length);
  equal(r.dropped, 0);
  const plan = exec.plan();
  equal(plan.plannedIterations, expected.length);
  equal(plan.durationMs, 700);
  equal(plan.peakRate, 100);
  deepStrictEqual(plan.timeline.map((p) => [p.atMs, p.rate]), [
    [0, 0],
    [300, 100],
    [500, 100],
    [700, 20],
  ]);
});

Deno.test("ramping-arrival-rate converts a rate per timeUnit into arrivals per second", () => {
  const exec = createExecutor(
    config({
      ...rampInput,
      startRate: 1,
      timeUnit: "100ms",
      stages: [{ target: 3, duration: 500 }],
    }),
    WHOLE,
  );
  const plan = exec.plan();
  equal(plan.peakRate, 30);
  equal(plan.plannedIterations, createRampingPacer(10, [{ target: 30, durationMs: 500 }]).total);
});

Deno.test("the segments of a ramping-arrival-rate run together make the unsplit run", async () => {
  const runs = [0, 1, 2].map(async (index) => {
    const segment = { index, count: 3 };
    const exec = createExecutor(config(rampInput), segment);
    const { ctx, rec } = fakeContext(pause(0), { segment });
    const r = await exec.run(ctx);
    deepStrictEqual(rec.scheduled, arrivals(rampPacer(), index, 3));
    equal(r.started, exec.plan().plannedIterations);
    return rec.scheduled;
  });
  const union = (await Promise.all(runs)).flat().sort((a, b) => a - b);
  deepStrictEqual(union, arrivals(rampPacer()));
});

Deno.test("every segment with arrivals gets at least one VU even when VUs are fewer than segments", async () => {
  const input = {
    executor: "constant-arrival-rate",
    rate: 50,
    duration: "100ms",
    preAllocatedVUs: 1,
  };
  for (let index = 0; index < 4; index++) {
    const segment = { index, count: 4 };
    const exec = createExecutor(config(input), segment);
    ok(exec.plan().peakVUs >= 1, `segment ${index} has ${exec.plan().peakVUs} VUs`);
    const { ctx } = fakeContext(pause(0), { segment });
    const r = await exec.run(ctx);
    equal(r.dropped, 0);
    equal(r.started, exec.plan().plannedIterations);
  }
});

Deno.test("a segment without arrivals plans no VUs and returns at once", async () => {
  // 2 arrivals split 4 ways: segments 2 and 3 get none.
  const input = {
    executor: "constant-arrival-rate",
    rate: 20,
    duration: "100ms",
    preAllocatedVUs: 1,
  };
  const segment = { index: 3, count: 4 };
  const exec = createExecutor(config(input), segment);
  equal(exec.plan().plannedIterations, 0);
  equal(exec.plan().peakVUs, 0);
  const { ctx } = fakeContext(pause(0), { segment });
  const r = await exec.run(ctx);
  equal(r.started, 0);
});

Deno.test("an arrival-rate executor reports allocated VUs through ctx.vus", async () => {
  const exec = createExecutor(
    config({ executor: "constant-arrival-rate", rate: 100, duration: 100, preAllocatedVUs: 3 }),
    WHOLE,
  );
  const { ctx, rec } = fakeContext(pause(0));
  await exec.run(ctx);
  ok(rec.vus.length > 0);
  ok(rec.vus.every((v) => v.allocated >= 3 && v.active <= v.allocated));
  equal(rec.vus[rec.vus.length - 1].active, 0);
});
