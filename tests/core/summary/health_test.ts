import { deepEqual, equal, match } from "node:assert/strict";
import { addTrend, MetricRegistry } from "../../../core/metrics/registry.ts";
import { CORE_METRICS } from "../../../core/metrics/builtin.ts";
import { Timeline, type TimelinePoint } from "../../../core/run/timeline.ts";
import { buildSummary } from "../../../core/summary/build.ts";
import { HTTP_FAMILIES, summaryInputOf } from "../../_support/recorded_run.ts";

/** A 3 s run whose scheduler lag is 30 ms for 5% of arrivals, in the seconds `lagP99` says. */
function run(lagP99: number[]) {
  const reg = new MetricRegistry();
  for (const d of CORE_METRICS) reg.define(d);
  const lag = reg.series("scheduler_lag", { scenario: "s" });
  for (let i = 0; i < 1000; i++) addTrend(lag, i < 50 ? 30 : 0.1);
  const total = reg.drain();
  const timeline = new Timeline(HTTP_FAMILIES);
  const points: TimelinePoint[] = lagP99.map((p, i) => ({
    t: (i + 1) * 1000,
    dt: 1000,
    requests: 0,
    failed: 0,
    iterations: 0,
    dropped: 0,
    vus: 0,
    p50: 0,
    p90: 0,
    p95: 0,
    p99: 0,
    max: 0,
    lagP99: p,
    loopP99: 0,
  }));
  timeline.points.push(...points);
  return buildSummary(summaryInputOf({
    startedAt: new Date(0),
    endedAt: new Date(3000),
    durationMs: 3000,
    stopped: false,
    total,
    timeline,
    scenarios: [],
    cpu: 0.2,
    spin: 0,
  }));
}

Deno.test("scheduler lag only in the first second is a note, not a saturated verdict", () => {
  const s = run([30, 0.2, 0.3]);
  equal(s.health.verdict, "trustworthy");
  deepEqual(s.health.reasons, []);
  match(s.health.notes?.[0] ?? "", /first second \(start-up\)/);
  equal(s.verdict.warning, undefined);
});

Deno.test("the first second of load is the one exempted, after an empty interval before it", () => {
  // Real timelines start with the interval before the load threads' first delta: empty.
  const s = run([0, 30, 0.2, 0.3]);
  equal(s.health.verdict, "trustworthy");
  match(s.health.notes?.[0] ?? "", /first second \(start-up\)/);
  equal(run([0, 30, 8, 0.3]).health.verdict, "saturated");
});

Deno.test("scheduler lag after the first second makes the generator saturated, said first", () => {
  const s = run([30, 8, 0.3]);
  equal(s.health.verdict, "saturated");
  match(s.health.reasons[0], /scheduler lag p99/);
  match(s.verdict.warning ?? "", /^results not trustworthy: generator saturated/);
});
