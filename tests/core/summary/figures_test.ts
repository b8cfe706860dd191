import { equal, ok } from "node:assert/strict";
import { buildSummary } from "../../../core/summary/build.ts";
import { mergeSummaries } from "../../../core/summary/merge.ts";
import { DEFAULT_POLICY } from "../../../core/summary/verdict.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import { summaryInputOf } from "../../_support/recorded_run.ts";
import { makeRequests, recordRun, summaryOf } from "./_merge_fixture.ts";

const near = (a: number, b: number, what: string) =>
  ok(Math.abs(a - b) < 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** A recorded 4 s run whose plans are replaced by `plans` (requests are tagged scenario "s"). */
function withPlans(
  plans: {
    name: string;
    startTimeMs: number;
    durationMs: number;
    planned: number | null;
    rate: number | null;
    started: number;
  }[],
): Summary {
  const { result, errorExamples } = recordRun({
    durationMs: 4000,
    requests: makeRequests(400, 4000),
  });
  const scenarios = plans.map((p) => ({
    name: p.name,
    startTimeMs: p.startTimeMs,
    plan: {
      executor: p.rate === null ? "constant-vus" : "constant-arrival-rate",
      durationMs: p.durationMs,
      plannedIterations: p.planned,
      peakRate: p.rate,
      peakVUs: 4,
      timeline: [],
    },
    result: { started: p.started, dropped: 0, interrupted: 0, stopped: false },
  }));
  return buildSummary(summaryInputOf({ ...result, scenarios }, errorExamples));
}

Deno.test("offered is the planned iterations over the scheduling window, start times included", () => {
  // Two 100/s scenarios one after the other: the run offers 100/s, not 200/s.
  const s = withPlans([
    { name: "s", startTimeMs: 0, durationMs: 2000, planned: 200, rate: 100, started: 200 },
    { name: "later", startTimeMs: 2000, durationMs: 2000, planned: 200, rate: 100, started: 200 },
  ]);
  near(s.load.offeredRate!, 100, "offered");
  near(s.load.achievedRate, 100, "achieved");
  equal(s.scenarios[0].offeredRate, 100);
  equal(s.scenarios[1].offeredRate, 100);
  near(s.scenarios[1].achievedRate!, 100, "later achieved over its own window");
});

Deno.test("a VU scenario offers no rate and leaves the run's offer undefined", () => {
  const s = withPlans([
    { name: "s", startTimeMs: 0, durationMs: 4000, planned: 400, rate: 100, started: 400 },
    { name: "vus", startTimeMs: 0, durationMs: 4000, planned: null, rate: null, started: 80 },
  ]);
  equal(s.scenarios[0].offeredRate, 100);
  equal(s.scenarios[1].offeredRate, null);
  equal(s.load.offeredRate, null);
  near(s.scenarios[1].achievedRate!, 20, "VU scenario iterations/s");
});

Deno.test("iterations/s and requests/s are both given, per scenario and overall", () => {
  // 400 requests from 200 iterations: two requests per iteration.
  const s = withPlans([
    { name: "s", startTimeMs: 0, durationMs: 4000, planned: 200, rate: 50, started: 200 },
  ]);
  near(s.load.achievedRate, 50, "iterations/s");
  near(s.load.requestRate!, 100, "requests/s");
  equal(s.load.requests, 400);
  equal(s.scenarios[0].requests, 400);
  near(s.scenarios[0].requestRate!, 100, "scenario requests/s");
});

Deno.test("the run's request rate is the endpoints' rates summed", () => {
  const s = summaryOf({ durationMs: 3000, requests: makeRequests(900, 3000) });
  near(s.load.requestRate!, s.endpoints.reduce((a, e) => a + e.rate, 0), "load vs endpoints");
  const reqs = s.metrics.http_reqs;
  near(s.load.requestRate!, reqs.type === "counter" ? reqs.rate : NaN, "load vs http_reqs");
});

const merge = (list: Summary[]) =>
  mergeSummaries(list.map((summary, i) => ({ name: `${"ab"[i]}.json`, summary })), {
    thresholds: [],
    policy: DEFAULT_POLICY,
  });

Deno.test("merged runs made one after the other: load and endpoints agree", () => {
  const a = summaryOf({ durationMs: 2000, requests: makeRequests(200, 2000, 1) });
  const b = summaryOf({
    startedAt: "2025-01-15T10:00:10.000Z",
    durationMs: 2000,
    requests: makeRequests(200, 2000, 2),
  });
  const m = merge([a, b]);
  // Each ran 100 iterations/s for 2 s: the merged run did 100/s over its 4 s, not 200/s.
  near(m.load.achievedRate, 100, "achieved");
  near(m.load.offeredRate!, 100, "offered");
  near(m.load.requestRate!, m.endpoints.reduce((x, e) => x + e.rate, 0), "load vs endpoints");
  near(m.load.requestRate!, 100, "requests/s");
  near(m.scenarios[0].achievedRate!, 100, "scenario achieved");
});

Deno.test("merged shares running side by side: rates add up, load and endpoints agree", () => {
  const a = summaryOf({ durationMs: 2000, requests: makeRequests(200, 2000, 1) });
  const b = summaryOf({ durationMs: 2000, requests: makeRequests(300, 2000, 2) });
  const m = merge([a, b]);
  near(m.load.achievedRate, a.load.achievedRate + b.load.achievedRate, "achieved");
  near(m.load.offeredRate!, a.load.offeredRate! + b.load.offeredRate!, "offered");
  near(m.load.requestRate!, 250, "requests/s");
  near(m.load.requestRate!, m.endpoints.reduce((x, e) => x + e.rate, 0), "load vs endpoints");
  near(m.scenarios[0].requestRate!, 250, "scenario requests/s");
});
