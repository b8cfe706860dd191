import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { combineSeries, selectSeries, trendStats } from "../../../core/metrics/snapshot.ts";
import { SummarySchema } from "../../../core/summary/schema.ts";
import type { ThresholdResult } from "../../../core/thresholds/types.ts";
import { ReplayRun, spread } from "./_run.ts";

function byExpression(results: ThresholdResult[]): Map<string, ThresholdResult> {
  return new Map(results.map((r) => [`${r.key ?? r.metric}: ${r.expression}`, r]));
}

Deno.test("whole-run thresholds observe what the summary reports for the same series", () => {
  const run = new ReplayRun({
    http_req_duration: ["p(99)<500ms", "p(95)<50", "avg<60", "med<=50", "min>=1", "max<100"],
    "http_req_duration{method:GET}": ["count==1000", "p(99.9)<=100"],
    http_reqs: ["count==1000", "rate>=100"],
    http_req_failed: ["rate<1%"],
    error_rate: ["<=2%"],
    rps: [">99"],
    vus: ["value==7", "max<=7", "min>=3"],
  });
  for (let i = 0; i < 10; i++) {
    run.tick({ latencies: spread(100, 1, 100), failed: 2, vus: 3 + i % 5 });
  }
  run.tick({ vus: 7 }, 0);
  const stats = trendStats(
    combineSeries("http_req_duration", selectSeries(run.total, "http_req_duration")),
  );
  const r = byExpression(run.results());
  const table: [string, number, boolean][] = [
    ["http_req_duration: p(99)<500ms", stats.p99, true],
    ["http_req_duration: p(95)<50", stats.p95, false],
    ["http_req_duration: avg<60", 50.5, true],
    ["http_req_duration: med<=50", stats.med, stats.med <= 50],
    ["http_req_duration: min>=1", 1, true],
    ["http_req_duration: max<100", 100, false],
    ["http_req_duration{method:GET}: count==1000", 1000, true],
    ["http_req_duration{method:GET}: p(99.9)<=100", stats.p999, true],
    ["http_reqs: count==1000", 1000, true],
    ["http_reqs: rate>=100", 100, true],
    ["http_req_failed: rate<1%", 0.02, false],
    ["error_rate: <=2%", 0.02, true],
    ["rps: >99", 100, true],
    ["vus: value==7", 7, true],
    ["vus: max<=7", 7, true],
    ["vus: min>=3", 3, true],
  ];
  equal(r.size, table.length);
  for (const [label, observed, passed] of table) {
    const got = r.get(label);
    ok(got, label);
    equal(got.observed, observed, label);
    equal(got.passed, passed, label);
    equal(got.status, passed ? "passed" : "failed", label);
  }
  equal(r.get("error_rate: <=2%")!.metric, "http_req_failed");
  equal(r.get("http_reqs: count==1000")!.key, undefined, "key is only set when it differs");
  SummarySchema.shape.thresholds.parse(run.results());
});

Deno.test("a tag filter merges only the matching series", () => {
  const run = new ReplayRun({
    "http_req_duration{name:/slow}": ["p99<500"],
    "http_req_duration{ name : '/api' }": ["max<=10", "count==200"],
    "error_rate{name:/slow}": ["<10%"],
  });
  run.tick([{ latencies: spread(100, 10, 10) }, {
    latencies: [900, 900],
    failed: 1,
    name: "/slow",
  }]);
  run.tick({ latencies: spread(100, 1, 10) });
  deepStrictEqual(
    run.results().map((r) => [r.metric, r.key, r.observed, r.passed]),
    [
      ["http_req_duration{name:/slow}", undefined, 900, false],
      ["http_req_duration{name:/api}", "http_req_duration{ name : '/api' }", 10, true],
      ["http_req_duration{name:/api}", "http_req_duration{ name : '/api' }", 200, true],
      ["http_req_failed{name:/slow}", "error_rate{name:/slow}", 0.5, false],
    ],
  );
});

Deno.test("abortOnFail waits for delayAbortEval, then reports the first breach once", () => {
  const run = new ReplayRun({
    http_req_duration: [{ threshold: "p99<100", abortOnFail: true }],
    http_req_failed: [
      "rate<1%",
      { threshold: "rate<10%", abortOnFail: true, delayAbortEval: "3s" },
      { threshold: "rate<20%", abortOnFail: true, delayAbortEval: "3s" },
    ],
  });
  const bad = { latencies: spread(10, 5, 50), failed: 5 };
  const verdicts = [1, 2, 3, 4].map(() => run.tick(bad).abort);
  deepStrictEqual(verdicts.map((a) => a && [a.threshold.expression, a.observed, a.atMs]), [
    null,
    null,
    ["rate<10%", 0.5, 3000],
    null,
  ]);
  equal(run.evaluator.aborted?.atMs, 3000);
  const r = run.results();
  deepStrictEqual(r.map((x) => [x.passed, x.status, x.abortedAtMs]), [
    [true, "passed", undefined],
    [false, "failed", undefined],
    [false, "failed", 3000],
    [false, "failed", undefined],
  ]);
  equal(r[2].reason, "aborted the run at 3s");
  equal(r[2].abortOnFail, true);
});

Deno.test("abort checks judge the live total from delayAbortEval on", () => {
  const run = new ReplayRun({
    http_req_duration: [{ threshold: "avg<100", abortOnFail: true, delayAbortEval: "2s" }],
  });
  // One slow request, then fast ones: the running average stays above 100 ms until 11 s.
  run.tick({ latencies: [1000] });
  const abortAt = run.ticks(20, { latencies: [10] });
  equal(abortAt, 2000, "at 2 s the average is (1000 + 10) / 2");
  equal(run.results()[0].passed, false, "a threshold that aborted stays failed");
});

Deno.test("a metric that never saw a sample fails, passes or is ignored as configured", () => {
  const run = new ReplayRun({
    "http_req_duration{name:/missing}": [
      "p99<500",
      { threshold: "p95<500", noData: "pass" },
      { threshold: "avg<500", noData: "ignore" },
      { threshold: "p90<500 over 10s", abortOnFail: true },
    ],
    "http_reqs{name:/missing}": ["count<10"],
  });
  for (let i = 0; i < 20; i++) {
    equal(run.tick({ latencies: [5] }).abort, null, "no data never aborts");
  }
  deepStrictEqual(
    run.results().map((r) => [r.expression, r.observed, r.passed, r.status, r.reason]),
    [
      ["p99<500", null, false, "no-data", "no data"],
      ["p95<500", null, true, "no-data", "no data (noData: pass)"],
      ["avg<500", null, true, "ignored", "no data (noData: ignore)"],
      ["p90<500 over 10s", null, false, "no-data", "no data"],
      ["count<10", null, false, "no-data", "no data"],
    ],
  );
});

Deno.test("results without any tick find no data in an empty total", () => {
  const run = new ReplayRun({ http_req_duration: ["max<10"], http_reqs: ["rate>0"] });
  run.registry.series("http_req_duration", {});
  deepStrictEqual(
    run.evaluator.results(run.total).map((r) => r.status),
    ["no-data", "no-data"],
  );
});

Deno.test("a breached abortOnFail threshold inside its delay is reported once as a warning", () => {
  const run = new ReplayRun({
    http_req_duration: [{ threshold: "p99<100", abortOnFail: true, delayAbortEval: "3s" }],
  });
  const first = run.tick({ latencies: [500, 500] });
  equal(first.abort, null);
  equal(first.warnings.length, 1);
  equal(first.warnings[0].observed >= 100, true);
  equal(run.tick({ latencies: [500] }).warnings.length, 0, "reported once");
  equal(run.tick({ latencies: [500] }).abort?.atMs, 3000);
});
