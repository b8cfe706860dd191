import assert from "node:assert/strict";
import { renderHtmlReport } from "../../../outputs/html/mod.ts";
import { createOutputFromFlag, OUTPUTS } from "../../../outputs/registry.ts";
import { ExitCode, RampaError } from "../../../core/errors.ts";
import type { ChartData } from "../../../outputs/html/_chart_data.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import { builtSummary } from "../console/_fixture.ts";
import { rampSummary } from "./_fixture.ts";

const summary = rampSummary();
const html = await renderHtmlReport(summary);

/** The JSON the page script draws from. */
function embedded(page: string): ChartData {
  const m = /<script type="application\/json" id="rampa-data">([^<]*)<\/script>/.exec(page);
  assert.ok(m, "the page embeds its chart data");
  return JSON.parse(m[1]);
}

const XSS = "<script>alert(1)</script>";

/** The fixture with hostile strings wherever a user or a target can put text. */
function hostileSummary(): Summary {
  const s = builtSummary();
  return {
    ...s,
    endpoints: s.endpoints.map((e, i) => i === 0 ? { ...e, name: XSS } : e),
    scenarios: s.scenarios.map((x) => ({ ...x, name: `"><img src=x onerror=alert(2)>` })),
    checks: [{ name: "body has <b>bold</b> & 'quotes'", passes: 1, fails: 1 }],
    errors: [{ kind: "timeout", count: 3, example: "</td></tr></table><script>alert(3)</script>" }],
    run: { ...s.run, config: { url: "http://x/?a=<script>alert(4)</script>" } },
    thresholds: [{
      metric: "http_req_duration",
      key: `http_req_duration{name:</script><script>alert(5)</script>}`,
      expression: "p(95)<200",
      observed: 12,
      passed: true,
      abortOnFail: false,
    }],
  };
}

Deno.test("report opens with the verdict and its summary line", () => {
  const header = html.slice(html.indexOf("<header"), html.indexOf("</header>"));
  assert.match(header, /✗ FAILED/);
  assert.match(header, /FAILED: 2 of 4 thresholds failed/);
  assert.match(header, /exit code 3/);
  assert.ok(html.indexOf('id="thresholds"') < html.indexOf('id="charts"'), "thresholds first");
});

Deno.test("the health section shows the notes as the console does, escaped", async () => {
  const note = "2,000 requests were rehearsed on a stand-in <before> the clock";
  const page = await renderHtmlReport({
    ...summary,
    health: { ...summary.health, notes: [note, "first second <start-up>"] },
  });
  const health = page.slice(page.indexOf('id="health"'));
  assert.match(
    health,
    /<ul class="notes"><li>2,000 requests were rehearsed on a stand-in &lt;before&gt;/,
  );
  assert.match(health, /first second &lt;start-up&gt;/);
  assert.doesNotMatch(html, /class="notes"/, "no notes, no list");
});

Deno.test("thresholds table has one row per threshold with mark, expression and status", () => {
  const start = html.indexOf('<section id="thresholds">');
  const part = html.slice(start, html.indexOf("</section>", start));
  const rows = part.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g) ?? [];
  assert.equal(rows.length, summary.thresholds.length);
  assert.match(
    part,
    /✓<\/span><\/td><td><code>http_req_duration<\/code><\/td><td><code>p\(95\)&lt;200/,
  );
  assert.match(part, /✗<\/span><\/td><td><code>http_req_duration\{group:login\}/);
  assert.match(part, /status failed">failed/);
  assert.match(part, /status ignored">ignored<\/span><\/td><td>no data/);
  assert.match(part, /worst 143 ms over 5s ending at 35s; abortOnFail/);
});

Deno.test("embedded chart data parses and is bounded", () => {
  const data = embedded(html);
  assert.equal(data.t.length, 50);
  for (const k of ["achieved", "p50", "p99", "max", "failed", "vus", "lagP99"] as const) {
    assert.equal(data[k].length, 50, k);
  }
  assert.equal(data.offered?.length, 50);
  assert.deepEqual(data.thresholds.map((t) => t.value), [200, 150, 100]);
  assert.ok(data.distribution && data.distribution.x.length === 101);
  assert.ok(!html.includes(summary.snapshot.series.find((s) => s.hdr)!.hdr!), "no raw snapshot");
});

Deno.test("report is self-contained: nothing is loaded over the network", () => {
  const remote =
    /<(script|link|img|iframe|source|embed|object)\b[^>]*\b(src|href|data)\s*=\s*["']?\s*(https?:)?\/\//gi;
  assert.deepEqual(html.match(remote), null);
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /@import|url\(\s*["']?(https?:)?\/\//i);
  assert.equal(html.match(/<script\b/g)?.length, 3, "data, uPlot and the page script only");
  assert.match(html, /Permission is hereby granted/, "uPlot's license travels with it");
});

Deno.test("user strings are escaped in every section and in the embedded JSON", async () => {
  const page = await renderHtmlReport(hostileSummary());
  assert.ok(!page.includes(XSS), "endpoint name is not raw");
  assert.ok(
    page.includes("&lt;script&gt;alert(1)&lt;/script&gt;"),
    "endpoint name appears escaped",
  );
  assert.ok(!page.includes("<img src=x"), "scenario name is not raw");
  assert.ok(page.includes("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
  assert.ok(page.includes("body has &lt;b&gt;bold&lt;/b&gt; &amp; &#39;quotes&#39;"));
  for (const n of [3, 4, 5]) assert.ok(!page.includes(`<script>alert(${n})`), `alert(${n})`);
  assert.equal(page.match(/<script\b/g)?.length, 3);
  assert.equal(
    embedded(page).thresholds[0].label,
    hostileSummary().thresholds[0].key + " p(95)<200",
  );
});

Deno.test("a closed-loop run without plan points draws no offered line", async () => {
  const s = builtSummary();
  const data = embedded(
    await renderHtmlReport({ ...s, scenarios: s.scenarios.map((x) => ({ ...x, plan: [] })) }),
  );
  assert.equal(data.offered, null);
  assert.equal(data.achieved.length, s.timeline.length);
});

Deno.test("a run without a timeline or readable histograms still renders", async () => {
  const s = builtSummary();
  const page = await renderHtmlReport({
    ...s,
    timeline: [],
    snapshot: { ...s.snapshot, histogram: { ...s.snapshot.histogram, significantDigits: 2 } },
  });
  assert.match(page, /No time series was recorded/);
  assert.match(page, /Cannot read the histograms: Cannot read snapshot: histogram settings/);
  assert.equal(embedded(page).distribution, null);
  assert.ok(!page.includes('id="chart-rate"'));
});

Deno.test("--out html=path makes the HTML output, which checks the path before the run", async () => {
  assert.ok("html" in OUTPUTS);
  const dir = await Deno.makeTempDir({ prefix: "rampa-html-" });
  const out = createOutputFromFlag(`html=${dir}/report.html`);
  assert.equal(out.describe(), `html (${dir}/report.html)`);
  await out.start({ startedAt: new Date(), plannedDurationMs: 1000, scenarios: [] });
  await out.stop(summary);
  assert.match(await Deno.readTextFile(`${dir}/report.html`), /^<!doctype html>/);
  const bad = createOutputFromFlag(`html=${dir}/missing/report.html`);
  await assert.rejects(
    async () => await bad.start({ startedAt: new Date(), plannedDurationMs: 1000, scenarios: [] }),
    (e) => e instanceof RampaError && e.exitCode === ExitCode.OUTPUT_FAILED,
  );
  await Deno.remove(dir, { recursive: true });
});
