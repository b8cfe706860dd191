import { equal, ok } from "node:assert/strict";
import { renderHtmlReport } from "../../../outputs/html/mod.ts";
import { chartData, MAX_ENDPOINT_LINES } from "../../../outputs/html/_chart_data.ts";
import { decodeSnapshot } from "../../../core/metrics/snapshot.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import { fixtureSummary, recordRun } from "../console/_fixture.ts";

const base = fixtureSummary(recordRun());
const t = { count: 4, avg: 2, min: 1, med: 2, p50: 2, p90: 3, p95: 3, p99: 4, p999: 4, max: 4 };
/** The fixture with one custom metric of each kind, as a scenario's Counter/Trend/Rate/Gauge. */
const custom: Summary = {
  ...base,
  metrics: {
    ...base.metrics,
    orders_placed: { type: "counter", count: 42, rate: 1.4, breakdown: [] },
    cart_ms: { ...t, type: "trend", unit: "ms", breakdown: [] },
    cache_hits: { type: "rate", count: 10, passes: 9, fails: 1, rate: 0.9, breakdown: [] },
    queue_depth: { type: "gauge", value: 3, min: 1, max: 7, breakdown: [] },
  },
};

function sectionOf(html: string, id: string): string {
  const at = html.indexOf(`<section id="${id}">`);
  return at < 0 ? "" : html.slice(at, html.indexOf("</section>", at));
}

Deno.test("custom metrics get a section of their own, one row each", async () => {
  const part = sectionOf(await renderHtmlReport(custom), "custom-metrics");
  ok(part, "the section is there");
  for (const m of ["orders_placed", "cart_ms", "cache_hits", "queue_depth"]) {
    ok(part.includes(`<td>${m}</td>`), m);
  }
  ok(
    part.includes("42 (1.4/s)") && part.includes("90.0% of 10") &&
      part.includes("3 (min 1, max 7)"),
  );
  ok(!part.includes("http_req_duration"), "built-in metrics stay out");
  equal(sectionOf(await renderHtmlReport(base), "custom-metrics"), "", "no section without any");
});

Deno.test("each endpoint gets a latency-by-percentile line from its own histogram", async () => {
  const data = chartData(base, decodeSnapshot(base.snapshot));
  ok(data.endpoints, "per-endpoint data");
  equal(data.endpoints.series.length, Math.min(MAX_ENDPOINT_LINES, base.endpoints.length));
  equal(data.endpoints.x.length, data.distribution!.x.length);
  // The slowest endpoint's median is above the fastest one's.
  const p50 = (i: number) => data.endpoints!.series[i].y[Math.floor(data.endpoints!.x.length / 3)];
  ok(p50(2) > p50(0), `${p50(2)} > ${p50(0)}`);
  ok((await renderHtmlReport(base)).includes('id="chart-endpoints"'));
});

Deno.test("the rate chart and the overview name what they count", async () => {
  const data = chartData(base, null);
  equal(data.iterations.length, data.achieved.length);
  const html = await renderHtmlReport(base);
  const overview = sectionOf(html, "overview");
  for (const tile of ["requests/s", "iterations/s achieved", "iterations/s offered"]) {
    ok(overview.includes(`<span>${tile}</span>`), tile);
  }
  ok(!overview.includes("<span>achieved rate</span>"), "no unnamed achieved rate");
  const closed = await renderHtmlReport({
    ...base,
    load: { ...base.load, offeredRate: null },
    scenarios: base.scenarios.map((s) => ({ ...s, offeredRate: null })),
  });
  ok(sectionOf(closed, "overview").includes("<b>none (VUs)</b>"), "VUs offer no rate");
  const scenarios = sectionOf(html, "scenarios");
  ok(scenarios.includes("offered it/s") && scenarios.includes("requests/s"));
});
