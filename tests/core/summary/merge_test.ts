import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { ConfigError, ExitCode } from "../../../core/errors.ts";
import { seriesKey } from "../../../core/metrics/snapshot.ts";
import { knownMetrics } from "../../../core/scenario/thresholds_setup.ts";
import {
  type MergeOptions,
  mergeSummaries,
  unionLength,
  WINDOWED_REASON,
} from "../../../core/summary/merge.ts";
import type { MetricSummary, Summary } from "../../../core/summary/schema.ts";
import { DEFAULT_POLICY } from "../../../core/summary/verdict.ts";
import { parseThresholds as parseWith, ThresholdEvaluator } from "../../../core/thresholds/mod.ts";
import { thresholdAliases } from "../../../core/protocol/registry.ts";
import { makeRequests, recordRun, type Req, summaryOf } from "./_merge_fixture.ts";

/** Parses with the registered protocols' aliases (`rps`, `error_rate`), as the CLI does. */
const parseThresholds = (
  input: Parameters<typeof parseWith>[0],
  metrics: Parameters<typeof parseWith>[1],
) => parseWith(input, metrics, thresholdAliases());

const NONE: MergeOptions = { thresholds: [], policy: DEFAULT_POLICY };
const merge = (list: Summary[], opts: MergeOptions = NONE): Summary =>
  mergeSummaries(list.map((summary, i) => ({ name: `${"abc"[i]}.json`, summary })), opts);

function byTags(m: MetricSummary): Map<string, unknown> {
  return new Map(m.breakdown.map(({ tags, ...rest }) => {
    const v = rest as Record<string, unknown>;
    delete v.avg; // a sum of floats depends on the order it was added in
    return [seriesKey("", tags), v];
  }));
}

Deno.test("merging two shares equals one summary of all the values", () => {
  const all = makeRequests(3000, 3000);
  const spec = { durationMs: 3000, dropped: 0 };
  const a = summaryOf({ ...spec, requests: all.filter((_, i) => i % 2 === 0) });
  const b = summaryOf({ ...spec, requests: all.filter((_, i) => i % 2 === 1) });
  const whole = summaryOf({ ...spec, requests: all });
  const m = merge([a, b]);

  deepEqual(Object.keys(m.metrics).sort(), Object.keys(whole.metrics).sort());
  for (const [name, w] of Object.entries(whole.metrics)) {
    // Each generator probes its own event loop: two shares make twice the probes.
    if (name === "event_loop_lag") continue;
    const got = m.metrics[name];
    if (w.type === "trend" && got.type === "trend") {
      for (const k of ["count", "min", "med", "p50", "p90", "p95", "p99", "p999", "max"] as const) {
        equal(got[k], w[k], `${name}.${k}`);
      }
      ok(Math.abs(got.avg - w.avg) < 1e-9, `${name}.avg`);
    } else if (w.type !== "gauge") deepEqual({ ...got, breakdown: [] }, { ...w, breakdown: [] });
    deepEqual(byTags(got), byTags(w), `${name} breakdown`);
  }
  const key = (e: Summary["endpoints"][number]) => `${e.method} ${e.name}`;
  const strip = (l: Summary["endpoints"]) =>
    l.map((e) => ({
      ...e,
      duration: { ...e.duration, avg: 0 },
      serviceTime: { ...e.serviceTime, avg: 0 },
    })).sort((x, y) => key(x).localeCompare(key(y)));
  deepEqual(strip(m.endpoints), strip(whole.endpoints));
  deepEqual(m.statuses, whole.statuses);
  const counts = (l: Summary["errors"]) => l.map(({ kind, count }) => ({ kind, count }));
  deepEqual(counts(m.errors), counts(whole.errors));
  deepEqual(m.checks, whole.checks);
  deepEqual({ ...m.health.schedulerLag, avg: 0 }, { ...whole.health.schedulerLag, avg: 0 });
  equal(m.load.started, 3000);
  equal(m.run.durationMs, 3000);
  deepEqual(m.timeline.map((p) => [p.t, p.requests]), whole.timeline.map((p) => [p.t, p.requests]));
  equal(m.verdict.exitCode, ExitCode.OK);
  deepEqual(m.run.config.merged, ["a.json", "b.json"]);
});

Deno.test("a merged summary merges again like its inputs", () => {
  const all = makeRequests(900, 3000, 3);
  const parts = [0, 1, 2].map((k) =>
    summaryOf({ durationMs: 3000, requests: all.filter((_, i) => i % 3 === k) })
  );
  const once = merge(parts);
  const twice = merge([merge(parts.slice(0, 2)), parts[2]]);
  deepEqual(twice.metrics.http_req_duration, once.metrics.http_req_duration);
  equal(twice.load.started, 900);
});

Deno.test("merge refuses other schema versions, histogram settings and metric kinds", () => {
  const a = summaryOf({ durationMs: 1000, requests: makeRequests(10, 1000) });
  const b = structuredClone(a);
  const refused = (s: unknown, pattern: RegExp) =>
    throws(
      () => merge([a, s as Summary]),
      (e) => e instanceof ConfigError && pattern.test(e.message),
    );
  refused({ ...b, schemaVersion: 2 }, /"b\.json".*version 2, expected "rampa\.summary" version 1/);
  refused(
    {
      ...b,
      snapshot: { ...b.snapshot, histogram: { ...b.snapshot.histogram, significantDigits: 2 } },
    },
    /"b\.json": its histogram settings .* differ from "a\.json"/,
  );
  const kinds = b.snapshot.metrics.map((m) =>
    m.name === "iterations" ? { ...m, kind: "trend" as const } : m
  );
  refused(
    { ...b, snapshot: { ...b.snapshot, metrics: kinds } },
    /"b\.json": metric "iterations" is a trend there but a counter in "a\.json"/,
  );
  throws(() => mergeSummaries([], NONE), ConfigError);
});

Deno.test("thresholds are judged again on the merged data", () => {
  const thresholds = parseThresholds({ http_req_duration: ["p(99)<100ms"] }, knownMetrics());
  const fast: Req[] = Array.from({ length: 1000 }, (_, i) => ({ at: i, ms: 10 + (i % 7) }));
  const slow = (n: number, bad: number): Req[] =>
    Array.from({ length: n }, (_, i) => ({ at: i, ms: i < bad ? 400 : 20 }));
  const judged = (requests: Req[]) => {
    const { result } = recordRun({ durationMs: 1000, requests });
    return summaryOf({ durationMs: 1000, requests }, {
      thresholds: new ThresholdEvaluator(thresholds).results(result.total, 1000),
      thresholdDefs: thresholds,
    });
  };
  const a = judged(fast);
  equal(a.thresholds[0].passed, true);
  deepEqual(a.run.thresholdSpecs, [{
    key: "http_req_duration",
    expression: "p(99)<100ms",
    abortOnFail: false,
  }]);

  // 30 slow of 2,000 (1.5%): the merged p99 crosses 100 ms although a.json passed.
  const failed = merge([a, judged(slow(1000, 30))], { thresholds, policy: DEFAULT_POLICY });
  equal(failed.thresholds[0].passed, false);
  ok((failed.thresholds[0].observed ?? 0) >= 100);
  equal(failed.verdict.exitCode, ExitCode.THRESHOLDS_FAILED);
  match(
    failed.verdict.summary,
    /FAILED: 1 of 1 thresholds failed \(http_req_duration p\(99\)<100ms/,
  );

  // 30 slow of 10,000 (0.3%): b.json alone failed, the merged run passes.
  const b = judged(slow(1000, 30));
  equal(b.thresholds[0].passed, false);
  const bulk = Array.from({ length: 8 }, () => judged(fast));
  const passed = mergeSummaries(
    [b, ...bulk].map((summary, i) => ({ name: `${i}.json`, summary })),
    { thresholds, policy: DEFAULT_POLICY },
  );
  equal(passed.thresholds[0].passed, true);
  equal(passed.verdict.exitCode, ExitCode.OK);
});

Deno.test("windowed thresholds are ignored and counter rates use the merged span", () => {
  const thresholds = parseThresholds({
    http_req_duration: ["p(99)<1ms over 1s"],
    rps: [">0"],
  }, knownMetrics());
  const a = summaryOf({ durationMs: 2000, requests: makeRequests(200, 2000) });
  const b = summaryOf({
    startedAt: "2025-01-15T10:00:10.000Z",
    durationMs: 2000,
    requests: makeRequests(200, 2000, 9),
  });
  const m = merge([a, b], { thresholds, policy: DEFAULT_POLICY });
  equal(m.thresholds[0].status, "ignored");
  equal(m.thresholds[0].reason, WINDOWED_REASON);
  equal(m.thresholds[0].passed, true);
  // Runs 8 s apart: the wall clock spans 12 s, the rates count the 4 s they ran.
  equal(m.run.durationMs, 12_000);
  const reqs = m.metrics.http_reqs;
  equal(reqs.type === "counter" ? reqs.rate : 0, 100);
  equal(m.thresholds[1].observed, 100);
  equal(m.verdict.exitCode, ExitCode.OK);
  equal(unionLength([[0, 10], [5, 20], [30, 31]]), 21);
});

Deno.test("the timeline aligns inputs on the wall clock and buckets by the coarsest interval", () => {
  const reqs = (n: number, ms: number): Req[] =>
    Array.from({ length: n }, (_, i) => ({ at: (i * ms) / n, ms: 5 }));
  const a = summaryOf({ durationMs: 3000, requests: reqs(30, 3000) });
  const b = summaryOf({
    startedAt: "2025-01-15T10:00:02.000Z",
    durationMs: 3000,
    requests: reqs(60, 3000),
  });
  deepEqual(
    merge([a, b]).timeline.map((p) => [p.t, p.dt, p.requests]),
    [[1000, 1000, 10], [2000, 1000, 10], [3000, 1000, 30], [4000, 1000, 20], [5000, 1000, 20]],
  );
  const coarse = summaryOf({
    startedAt: "2025-01-15T10:00:02.000Z",
    durationMs: 4000,
    tickMs: 2000,
    requests: reqs(40, 4000),
  });
  const m = merge([a, coarse]);
  deepEqual(m.timeline.map((p) => [p.t, p.dt, p.requests]), [
    [2000, 2000, 20],
    [4000, 2000, 30],
    [6000, 2000, 20],
  ]);
  equal(m.timeline.reduce((n, p) => n + p.requests, 0), 70);
});

Deno.test("an interrupted input makes the merged run interrupted and names it", () => {
  const a = summaryOf({ durationMs: 1000, requests: makeRequests(50, 1000) });
  const b = summaryOf({ durationMs: 1000, requests: makeRequests(50, 1000), cpu: 0.95 }, {
    endedBy: { status: "interrupted", reason: "interrupted by signal", exitCode: 130 },
  });
  const m = merge([a, b]);
  equal(m.run.status, "interrupted");
  equal(m.run.reason, "b.json: interrupted by signal");
  equal(m.verdict.exitCode, ExitCode.INTERRUPTED);
  match(m.verdict.summary, /^INTERRUPTED: b\.json: interrupted by signal/);
  ok(Math.abs(m.health.cpu - 1.15) < 1e-9);
  equal(m.health.verdict, "saturated");
  deepEqual(m.health.reasons, ["b.json: generator CPU 95% of a core"]);
});

Deno.test("load, scenarios, errors and check reasons add up across inputs", () => {
  const a = summaryOf({ durationMs: 1000, requests: makeRequests(400, 1000, 1), dropped: 5 });
  const b = summaryOf({ durationMs: 1000, requests: makeRequests(400, 1000, 2) });
  a.checks[0].reasons = [{ reason: "got 500", count: 5 }, { reason: "got 404", count: 1 }];
  b.checks[0].reasons = [{ reason: "got 500", count: 2 }, { reason: "timeout", count: 3 }];
  const m = merge([a, b]);
  equal(m.load.started, 800);
  equal(m.load.dropped, 5);
  equal(m.load.planned, 805);
  equal(m.load.achievedRate, a.load.achievedRate + b.load.achievedRate);
  equal(m.load.delivered, false);
  match(m.load.note ?? "", /^a\.json: The planned load was not delivered/);
  equal(m.scenarios.length, 1);
  equal(m.scenarios[0].started, 800);
  equal(m.scenarios[0].plannedIterations, a.scenarios[0].plannedIterations);
  deepEqual(m.errors.map((e) => e.kind), ["timeout"]);
  equal(m.errors[0].count, a.errors[0].count + b.errors[0].count);
  match(m.errors[0].example, /^timeout after/);
  deepEqual(m.checks[0].reasons, [
    { reason: "got 500", count: 7 },
    { reason: "timeout", count: 3 },
    { reason: "got 404", count: 1 },
  ]);
  equal(m.checks[0].fails, a.checks[0].fails + b.checks[0].fails);
  equal(m.health.verdict, "load-not-delivered");
  equal(m.verdict.exitCode, ExitCode.OK); // 5 of 805 dropped is within the 1% tolerance
});
