import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createExecutor } from "../../../core/executors/factory.ts";
import { rampingVusSteps, vusAt, type VuStage } from "../../../core/executors/ramping_vus.ts";
import { config, distinct, fakeContext, hang, pause } from "./_context.ts";

const WHOLE = { index: 0, count: 1 };

/** The k6 curve computed independently: linear interpolation, rounded down. */
function reference(startVUs: number, stages: readonly VuStage[], t: number): number {
  let from = startVUs;
  let t0 = 0;
  for (const s of stages) {
    if (t < t0 + s.duration) return Math.floor(from + ((s.target - from) * (t - t0)) / s.duration);
    t0 += s.duration;
    from = s.target;
  }
  return from;
}

const stepCases: { name: string; start: number; stages: VuStage[]; steps: [number, number][] }[] = [
  {
    name: "a ramp up adds one VU each time the line reaches an integer",
    start: 0,
    stages: [{ target: 3, duration: 300 }],
    steps: [[0, 0], [100, 1], [200, 2], [300, 3]],
  },
  {
    name: "a ramp down drops one VU as soon as the line falls below an integer",
    start: 3,
    stages: [{ target: 0, duration: 300 }],
    steps: [[0, 2], [100, 1], [200, 0]],
  },
  {
    name: "zero-length stages jump and a plateau changes nothing",
    start: 1,
    stages: [{ target: 4, duration: 0 }, { target: 4, duration: 100 }, { target: 2, duration: 0 }],
    steps: [[0, 4], [100, 2]],
  },
  {
    name: "a peak reached only at one instant is not held",
    start: 0,
    stages: [{ target: 2, duration: 200 }, { target: 0, duration: 200 }],
    steps: [[0, 0], [100, 1], [300, 0]],
  },
];

for (const c of stepCases) {
  Deno.test(`ramping-vus steps: ${c.name}`, () => {
    const steps = rampingVusSteps(c.start, c.stages, WHOLE);
    deepStrictEqual(steps.map((s) => [s.atMs, s.vus]), c.steps);
  });
}

const unionCases: { start: number; stages: VuStage[] }[] = [
  { start: 1, stages: [{ target: 10, duration: 700 }, { target: 3, duration: 300 }] },
  {
    start: 0,
    stages: [{ target: 7, duration: 130 }, { target: 7, duration: 0 }, { target: 2, duration: 90 }],
  },
  {
    start: 5,
    stages: [{ target: 0, duration: 0 }, { target: 13, duration: 260 }, {
      target: 0,
      duration: 260,
    }],
  },
];

for (const [i, c] of unionCases.entries()) {
  Deno.test(`ramping-vus segments sum to the unsplit count at every instant (case ${i + 1})`, () => {
    const total = c.stages.reduce((s, st) => s + st.duration, 0);
    const whole = rampingVusSteps(c.start, c.stages, WHOLE);
    let at = 0;
    const bounds = c.stages.map((st) => at += st.duration);
    for (const count of [2, 3, 5]) {
      const parts = Array.from(
        { length: count },
        (_, index) => rampingVusSteps(c.start, c.stages, { index, count }),
      );
      for (let t = 0; t <= total; t += 0.5) {
        const sum = parts.reduce((s, p) => s + vusAt(p, t), 0);
        equal(sum, vusAt(whole, t), `t=${t} over ${count} segments`);
        // A ramp down drops a VU right after the line crosses an integer; the steps apply
        // it from that instant, so crossings and stage boundaries compare as limits only.
        if (!bounds.includes(t) && !whole.some((s) => s.atMs === t)) {
          equal(vusAt(whole, t), reference(c.start, c.stages, t));
        }
      }
    }
  });
}

Deno.test("ramping-vus active VU counts follow the stages", async () => {
  const cfg = config({
    executor: "ramping-vus",
    startVUs: 0,
    stages: [
      { target: 3, duration: "300ms" },
      { target: 3, duration: "100ms" },
      { target: 0, duration: "300ms" },
    ],
    gracefulRampDown: "1s",
  });
  const exec = createExecutor(cfg, WHOLE);
  const { ctx, rec } = fakeContext(pause(5));
  const r = await exec.run(ctx);
  deepStrictEqual(distinct(rec.vus.map((v) => v.active)), [0, 1, 2, 3, 2, 1, 0]);
  ok(rec.vus.every((v) => v.allocated === 3));
  // Each change happens no earlier than its step (later is fine on a busy machine).
  const firstAt = (pred: (active: number, i: number) => boolean) =>
    rec.vus.find((v, i) => pred(v.active, i))?.atMs ?? -1;
  const peak = rec.vus.findIndex((v) => v.active === 3);
  ok(firstAt((a) => a >= 1) >= 100);
  ok(firstAt((a) => a >= 2) >= 200);
  ok(firstAt((a) => a >= 3) >= 300);
  ok(firstAt((a, i) => i > peak && a <= 2) >= 400);
  ok(firstAt((a, i) => i > peak && a <= 1) >= 500);
  ok(firstAt((a, i) => i > peak && a === 0) >= 600);
  deepStrictEqual([...rec.perVu.keys()].sort(), [0, 1, 2]);
  equal(r.started, rec.scheduled.length);
  equal(r.interrupted, 0);
  const plan = exec.plan();
  equal(plan.peakVUs, 3);
  equal(plan.durationMs, 700);
  deepStrictEqual(plan.timeline.map((p) => [p.atMs, p.vus]), [[0, 0], [300, 3], [400, 3], [
    700,
    0,
  ]]);
});

const rampDown = {
  executor: "ramping-vus",
  startVUs: 2,
  stages: [{ target: 2, duration: 100 }, { target: 1, duration: 0 }, { target: 1, duration: 200 }],
  gracefulRampDown: "50ms",
  gracefulStop: "1s",
};

Deno.test("a VU still busy gracefulRampDown after it was ramped down is interrupted and counted", async () => {
  // VU 1 never finishes on its own; VU 0 runs short iterations throughout.
  const { ctx, rec } = fakeContext((vu, at, cut) =>
    vu === 1 ? hang(vu, at, cut) : pause(5)(vu, at, cut)
  );
  const r = await createExecutor(config(rampDown), WHOLE).run(ctx);
  deepStrictEqual(rec.vuInterrupts.map((i) => i.vu), [1]);
  ok(rec.vuInterrupts[0].atMs >= 150, `interrupted at ${rec.vuInterrupts[0].atMs}`);
  equal(rec.perVu.get(1), 1, "the ramped-down VU starts nothing after its interrupted iteration");
  equal(r.interrupted, 1);
  equal(rec.interrupts, 0, "the other VUs are left alone");
});

Deno.test("without interruptVu a ramped-down VU finishes its iteration and is not counted", async () => {
  const { ctx, rec } = fakeContext(
    (vu, at, cut) => pause(vu === 1 ? 150 : 5)(vu, at, cut),
    { perVu: false },
  );
  const r = await createExecutor(config(rampDown), WHOLE).run(ctx);
  equal(rec.perVu.get(1), 1);
  equal(r.interrupted, 0);
});

Deno.test("a VU ramped down and needed again before its iteration ends carries on", async () => {
  const cfg = config({
    executor: "ramping-vus",
    startVUs: 2,
    stages: [
      { target: 2, duration: 50 },
      { target: 1, duration: 0 },
      { target: 1, duration: 30 },
      { target: 2, duration: 0 },
      { target: 2, duration: 120 },
    ],
    gracefulRampDown: "60ms",
  });
  const { ctx, rec } = fakeContext((vu, at, cut) => pause(vu === 1 ? 100 : 5)(vu, at, cut));
  const r = await createExecutor(cfg, WHOLE).run(ctx);
  deepStrictEqual(rec.vuInterrupts, []);
  equal(r.interrupted, 0);
  ok((rec.perVu.get(1) ?? 0) >= 2, "VU 1 ran again after being needed again");
});

Deno.test("ramping-vus iterations that settle without I/O still let the ramp advance", async () => {
  const cfg = config({
    executor: "ramping-vus",
    startVUs: 1,
    stages: [{ target: 1, duration: 60 }, { target: 2, duration: 0 }, { target: 2, duration: 60 }],
  });
  const { ctx, rec } = fakeContext(pause(0));
  const r = await createExecutor(cfg, WHOLE).run(ctx);
  deepStrictEqual([...rec.perVu.keys()].sort(), [0, 1]);
  ok(r.started > 2);
});
