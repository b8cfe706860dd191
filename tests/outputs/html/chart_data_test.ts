import assert from "node:assert/strict";
import {
  downsampleTimeline,
  latencyDistribution,
  latencyThresholdLines,
  offeredRate,
} from "../../../outputs/html/_chart_data.ts";
import { decodeSnapshot } from "../../../core/metrics/snapshot.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import { builtSummary } from "../console/_fixture.ts";

type Scenario = Summary["scenarios"][number];

function scenario(plan: Scenario["plan"], startTimeMs = 0): Scenario {
  return {
    name: "s",
    executor: "ramping-arrival-rate",
    plannedDurationMs: 0,
    plannedIterations: null,
    peakRate: null,
    peakVUs: 1,
    plan,
    startTimeMs,
    started: 0,
    dropped: 0,
    interrupted: 0,
  };
}

const constant = scenario([{ atMs: 0, rate: 500 }, { atMs: 30_000, rate: 500 }]);
const ramp = scenario([{ atMs: 0, rate: 0 }, { atMs: 20_000, rate: 300 }]);

Deno.test("offered rate of a constant plan is its rate inside the plan and zero outside", () => {
  assert.equal(offeredRate([constant], 10_000, 11_000), 500);
  assert.equal(offeredRate([constant], 30_000, 31_000), 0);
  assert.equal(offeredRate([constant], 29_500, 30_500), 250);
});

Deno.test("offered rate averages a linear ramp over the interval", () => {
  assert.equal(offeredRate([ramp], 0, 1000), 7.5);
  assert.equal(offeredRate([ramp], 0, 20_000), 150);
});

Deno.test("offered rate shifts each plan by its start time and sums scenarios", () => {
  const late = { ...constant, startTimeMs: 5000 };
  assert.equal(offeredRate([late], 0, 1000), 0);
  assert.equal(offeredRate([late], 5000, 6000), 500);
  assert.equal(offeredRate([constant, late], 6000, 7000), 1000);
});

Deno.test("offered rate is null when no scenario plans a rate (closed loop)", () => {
  const vus = scenario([{ atMs: 0, vus: 10 }, { atMs: 1000, vus: 0 }]);
  assert.equal(offeredRate([vus], 0, 1000), null);
  assert.equal(offeredRate([vus, constant], 0, 1000), 500);
});

Deno.test("downsampling 28,800 points keeps at most 2,000 and every count", () => {
  const points = Array.from({ length: 28_800 }, (_, i) => ({
    t: (i + 1) * 1000,
    dt: 1000,
    requests: 100,
    failed: i % 7 === 0 ? 1 : 0,
    iterations: 100,
    dropped: 0,
    vus: 4 + (i % 5),
    p50: 10,
    p90: 20,
    p95: 30,
    p99: i === 12_345 ? 900 : 40,
    max: 50,
    lagP99: 0.1,
  }));
  const out = downsampleTimeline(points);
  assert.ok(out.length <= 2000, `${out.length} points`);
  const sum = (l: typeof points, k: "requests" | "failed" | "dt") =>
    l.reduce((a, p) => a + p[k], 0);
  for (const k of ["requests", "failed", "dt"] as const) assert.equal(sum(out, k), sum(points, k));
  assert.equal(out.at(-1)!.t, 28_800_000);
  assert.equal(Math.max(...out.map((p) => p.p99)), 900, "a spike survives the merge");
  assert.equal(Math.max(...out.map((p) => p.vus)), 8);
  assert.deepEqual(downsampleTimeline(points.slice(0, 10)), points.slice(0, 10));
});

Deno.test("threshold lines come from http_req_duration levels, in ms", () => {
  const t = (metric: string, expression: string) => ({
    metric,
    expression,
    observed: 1,
    passed: true,
    abortOnFail: false,
  });
  const lines = latencyThresholdLines([
    t("http_req_duration", "p(95)<200"),
    t("http_req_duration", "p99 < 0.5s"),
    t("http_req_duration", "avg<100ms over 10s"),
    t("http_req_duration", "max<=2s"),
    t("http_req_duration", "count>10"),
    t("http_req_failed", "rate<1%"),
    t("http_req_service_time", "p(95)<100"),
  ]);
  assert.deepEqual(lines.map((l) => l.value), [200, 500, 100, 2000]);
  assert.equal(lines[0].label, "http_req_duration p(95)<200");
});

Deno.test("latency distribution runs from the minimum at p0 to p99.999 and never falls", () => {
  const s = builtSummary();
  const d = latencyDistribution(decodeSnapshot(s.snapshot))!;
  assert.equal(d.x[0], 1);
  assert.equal(d.x.at(-1), 100_000);
  const dur = s.metrics.http_req_duration;
  assert.ok(dur.type === "trend");
  const y = d.series[0].y;
  assert.equal(d.series[0].label, "latency (from schedule)");
  assert.ok(Math.abs(y[0] - dur.min) < 0.01, `${y[0]} vs min ${dur.min}`);
  assert.ok(y.every((v, i) => i === 0 || v >= y[i - 1]), "non-decreasing");
  assert.ok(y.at(-1)! <= dur.max + 0.001);
  assert.equal(d.series.length, 2, "service time too");
  assert.equal(latencyDistribution(null), null);
});
