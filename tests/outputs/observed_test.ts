import { equal, match, ok } from "node:assert/strict";
import { formatObservedValue, type ObservedUnit, observedUnit } from "../../outputs/_observed.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { fixtureSummary, recordRun } from "./console/_fixture.ts";
import { renderSummary } from "../../outputs/console/summary_text.ts";
import { renderJunit } from "../../outputs/junit/mod.ts";
import { renderStepSummary, thresholdAnnotations } from "../../outputs/github/mod.ts";
import { renderHtmlReport } from "../../outputs/html/mod.ts";

const base = fixtureSummary(recordRun());

/** The fixture with custom metrics of every unit beside the HTTP family. */
const summary: Summary = {
  ...base,
  metrics: {
    ...base.metrics,
    body_bytes: { ...trend(), unit: "bytes" },
    score: { ...trend(), unit: "none" },
    orders: { type: "counter", count: 42, rate: 1.4, breakdown: [] },
  },
};

function trend(): Extract<Summary["metrics"][string], { type: "trend" }> {
  const t = { count: 3, avg: 1, min: 1, med: 1, p50: 1, p90: 1, p95: 1, p99: 1, p999: 1, max: 1 };
  return { ...t, type: "trend", unit: "ms", breakdown: [] };
}

const units: [string, string, string, ObservedUnit][] = [
  ["http_req_duration", "p(95)<200", "a latency trend is in ms", "ms"],
  ["http_req_duration{name:/api/orders}", "p(95)<200", "tags do not hide the unit", "ms"],
  ["http_req_duration{scenario:a,group:b}", "avg<1s", "several tags neither", "ms"],
  ["http_req_failed{name:/x}", "rate<0.01", "a rate metric is a share", "share"],
  ["http_reqs", "rate>100", "a counter's rate is per second", "per-second"],
  ["http_reqs{name:/x}", "count<10", "a counter's count is a count", "count"],
  ["data_received", "count<1000000", "a byte counter's count is bytes", "bytes"],
  ["body_bytes", "p(99)<1000", "a byte trend is bytes", "bytes"],
  ["score", "avg>3", "a unitless trend has no unit", "none"],
  ["unknown_metric", "avg>3", "an unknown metric has no unit", "none"],
];

for (const [metric, expr, name, want] of units) {
  Deno.test(`observed unit: ${name}`, () => equal(observedUnit(summary, metric, expr), want));
}

Deno.test("observed values are written with their unit", () => {
  equal(formatObservedValue(summary, "http_req_duration{name:/a}", "p(95)<1", 4.135), "4.14ms");
  equal(formatObservedValue(summary, "http_req_failed{name:/a}", "rate<0.1", 0.015), "1.5%");
  equal(formatObservedValue(summary, "http_reqs{name:/a}", "rate>1", 498.7), "498.7/s");
  equal(formatObservedValue(summary, "orders", "count>1", 42), "42");
  equal(formatObservedValue(summary, "http_reqs", "rate>1", null), "no data");
});

Deno.test("a tagged threshold's observed value carries its unit in every report", async () => {
  const tagged: Summary = {
    ...summary,
    thresholds: [{
      metric: "http_req_duration{name:/api/orders}",
      expression: "p(95)<2",
      observed: 4.135,
      passed: false,
      abortOnFail: false,
    }],
  };
  match(renderSummary(tagged, { color: false }), /observed 4\.14ms/);
  match(renderJunit(tagged), /observed 4\.135 ms/);
  match(renderStepSummary(tagged), /4\.14ms/);
  const annotations = thresholdAnnotations(tagged);
  equal(annotations.length, 1);
  match(annotations[0], /observed 4\.14ms/);
  const html = await renderHtmlReport(tagged);
  const part = html.slice(html.indexOf('<section id="thresholds">'));
  ok(part.includes('<td class="num">4.13 ms</td>'), "HTML observed cell in ms");
});

Deno.test("the job summary's load table names what each rate counts", () => {
  const md = renderStepSummary(summary);
  ok(md.includes("| offered iterations/s | achieved iterations/s | requests/s |"), md);
});
