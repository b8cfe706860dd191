import assert from "node:assert/strict";
import { MAX_CHART_POINTS, renderHtmlReport } from "../../../outputs/html/mod.ts";
import { Timeline } from "../../../core/run/timeline.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import { HttpRecorder } from "../../../engines/http/recorder.ts";
import { EvidenceLog } from "../../../core/run/evidence.ts";
import { HTTP_FAMILIES } from "../../_support/recorded_run.ts";
import { MetricRegistry, setGauge } from "../../../core/metrics/registry.ts";
import { createOutcome } from "../../../engines/http/types.ts";
import { builtSummary } from "../console/_fixture.ts";

/** The documented bound (docs/outputs.md): an 8-hour run's report stays under 1.5 MB. */
const MAX_BYTES = 1_500_000;
const EIGHT_HOURS = 8 * 3600;

/** 28,800 one-second intervals through the run's own Timeline, as a live 8 h run records. */
function eightHourTimeline(): Summary["timeline"] {
  const reg = new MetricRegistry();
  const rec = new HttpRecorder(reg, new EvidenceLog(), { scenario: "s" });
  const ep = rec.endpoint({ name: "/", method: "GET" });
  const vus = reg.series("vus", { scenario: "s" });
  const timeline = new Timeline(HTTP_FAMILIES);
  const o = createOutcome();
  for (let s = 0; s < EIGHT_HOURS; s++) {
    for (let i = 0; i < 3; i++) {
      o.scheduled = s * 1000 + i * 300;
      o.started = o.scheduled + 0.1;
      o.ended = o.scheduled + 10 + (s % 3600) / 100;
      o.status = s % 600 === 0 && i === 0 ? 500 : 200;
      rec.record(ep, o);
    }
    setGauge(vus, 4 + (s % 7));
    const delta = reg.drain();
    timeline.add((s + 1) * 1000, 1000, delta);
    // As the runner does: the interval's histograms go back to the pool after the tick.
    reg.recycle(delta);
  }
  return timeline.points;
}

function size(html: string): number {
  return new TextEncoder().encode(html).length;
}

function pointsOf(html: string): number {
  const m = /id="rampa-data">([^<]*)<\/script>/.exec(html)!;
  return JSON.parse(m[1]).t.length;
}

Deno.test("an 8-hour run's report stays under 1.5 MB", async () => {
  const base = builtSummary();
  const timeline = eightHourTimeline();
  assert.ok(timeline.length <= 1200, `${timeline.length} timeline points`);
  const html = await renderHtmlReport({
    ...base,
    run: { ...base.run, durationMs: EIGHT_HOURS * 1000 },
    scenarios: base.scenarios.map((x) => ({
      ...x,
      plannedDurationMs: EIGHT_HOURS * 1000,
      plan: [{ atMs: 0, rate: 3 }, { atMs: EIGHT_HOURS * 1000, rate: 3 }],
    })),
    timeline,
  });
  const bytes = size(html);
  console.log(`8 h through Timeline: ${timeline.length} points, ${bytes} bytes of HTML`);
  assert.ok(bytes < MAX_BYTES, `${bytes} bytes`);
  assert.equal(pointsOf(html), timeline.length);
});

Deno.test("a summary with 28,800 raw points is merged to at most 2,000 and stays under 1.5 MB", async () => {
  const base = builtSummary();
  const timeline = Array.from({ length: EIGHT_HOURS }, (_, i) => ({
    t: (i + 1) * 1000,
    dt: 1000,
    requests: 1234 + (i % 97),
    failed: i % 13,
    iterations: 1234,
    dropped: i % 1000 === 0 ? 3 : 0,
    vus: 40 + (i % 11),
    p50: 12.345 + (i % 10) / 7,
    p90: 40.123 + (i % 10) / 3,
    p95: 61.789 + (i % 10) / 3,
    p99: 180.456 + (i % 100),
    max: 1234.567 + (i % 1000),
    lagP99: 0.4321,
  }));
  const html = await renderHtmlReport({ ...base, timeline });
  const bytes = size(html);
  console.log(`8 h raw: ${timeline.length} points drawn as ${pointsOf(html)}, ${bytes} bytes`);
  assert.ok(pointsOf(html) <= MAX_CHART_POINTS);
  assert.ok(bytes < MAX_BYTES, `${bytes} bytes`);
});
