/**
 * What every executor owes the runner whatever its load model: graceful stop that interrupts
 * and counts what is still running, a stop signal after which nothing starts, and VU counts
 * that end at zero.
 */
import { equal, ok } from "node:assert/strict";
import { createExecutor } from "../../../core/executors/factory.ts";
import { config, fakeContext, hang, pause } from "./_context.ts";

const WHOLE = { index: 0, count: 1 };

/** Short runs (~100 ms of schedule) of each executor; every iteration in them can hang. */
const short: { name: string; input: Record<string, unknown>; inFlight: number }[] = [
  {
    name: "constant-arrival-rate",
    input: { executor: "constant-arrival-rate", rate: 50, duration: "100ms", preAllocatedVUs: 10 },
    inFlight: 5,
  },
  {
    name: "ramping-arrival-rate",
    input: {
      executor: "ramping-arrival-rate",
      startRate: 50,
      stages: [{ target: 50, duration: "100ms" }],
      preAllocatedVUs: 10,
    },
    inFlight: 5,
  },
  {
    name: "constant-vus",
    input: { executor: "constant-vus", vus: 3, duration: "100ms" },
    inFlight: 3,
  },
  {
    name: "ramping-vus",
    input: { executor: "ramping-vus", startVUs: 2, stages: [{ target: 2, duration: "100ms" }] },
    inFlight: 2,
  },
  {
    name: "per-vu-iterations",
    input: { executor: "per-vu-iterations", vus: 3, iterations: 5, maxDuration: "100ms" },
    inFlight: 3,
  },
  {
    name: "shared-iterations",
    input: { executor: "shared-iterations", vus: 4, iterations: 10, maxDuration: "100ms" },
    inFlight: 4,
  },
];

for (const c of short) {
  Deno.test(`${c.name} interrupts and counts iterations still running when graceful stop runs out`, async () => {
    const exec = createExecutor(config({ ...c.input, gracefulStop: "30ms" }), WHOLE);
    const { ctx, rec } = fakeContext(hang);
    const r = await exec.run(ctx);
    equal(r.started, c.inFlight);
    equal(r.interrupted, c.inFlight);
    equal(rec.interrupts, 1);
    equal(r.stopped, false);
  });

  Deno.test(`${c.name} lets iterations finish within graceful stop without interrupting them`, async () => {
    const exec = createExecutor(config({ ...c.input, gracefulStop: "5s" }), WHOLE);
    const { ctx, rec } = fakeContext(pause(30));
    const r = await exec.run(ctx);
    ok(r.started > 0);
    equal(r.interrupted, 0);
    equal(rec.interrupts, 0);
    const last = rec.vus[rec.vus.length - 1];
    equal(last.active, 0, "no VU is reported active once the executor returns");
  });
}

/** Long runs of each executor, stopped after ~100 ms. */
const long: { name: string; input: Record<string, unknown> }[] = [
  {
    name: "constant-arrival-rate",
    input: { executor: "constant-arrival-rate", rate: 100, duration: "10s", preAllocatedVUs: 50 },
  },
  {
    name: "ramping-arrival-rate",
    input: {
      executor: "ramping-arrival-rate",
      startRate: 100,
      stages: [{ target: 200, duration: "10s" }],
      preAllocatedVUs: 50,
    },
  },
  { name: "constant-vus", input: { executor: "constant-vus", vus: 3, duration: "10s" } },
  {
    name: "ramping-vus",
    input: { executor: "ramping-vus", startVUs: 1, stages: [{ target: 20, duration: "10s" }] },
  },
  {
    name: "per-vu-iterations",
    input: { executor: "per-vu-iterations", vus: 3, iterations: 100_000 },
  },
  {
    name: "shared-iterations",
    input: { executor: "shared-iterations", vus: 3, iterations: 100_000 },
  },
];

for (const c of long) {
  Deno.test(`${c.name} honours the stop signal: nothing starts after it`, async () => {
    const stop = new AbortController();
    const exec = createExecutor(config(c.input), WHOLE);
    const { ctx, rec } = fakeContext(pause(5), { stop: stop.signal });
    const timer = setTimeout(() => stop.abort(), 100);
    const r = await exec.run(ctx);
    clearTimeout(timer);
    ok(r.stopped, "reports that it was stopped");
    ok(r.started > 0 && r.started < 100_000, `started ${r.started}`);
    equal(rec.startedAfterStop, 0);
    equal(r.interrupted, 0, "short iterations finish within the default graceful stop");
  });
}
