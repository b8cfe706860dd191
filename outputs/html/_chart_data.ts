/**
 * The data behind the report's charts, computed at render time so the page embeds only what
 * it draws: the timeline (downsampled to at most {@link MAX_CHART_POINTS}), the offered rate
 * from the scenarios' plans, threshold lines for latency, and the latency distribution
 * sampled from the merged HDR histograms. The raw snapshot is never embedded.
 *
 * @module
 */
import type { Summary } from "../../core/summary/schema.ts";
import { combineSeries, selectSeries, type Snapshot } from "../../core/metrics/snapshot.ts";
import { percentile, releaseHistogram } from "../../core/metrics/histogram.ts";
import { parseExpression, TIME_UNITS_MS } from "../../core/thresholds/mod.ts";
import { foldPoint } from "../../core/run/timeline.ts";
import { round } from "./_format.ts";
import { shortEndpointName } from "../_endpoint_name.ts";

/** Most points per time-series chart; longer timelines are merged down to this. */
export const MAX_CHART_POINTS = 2000;

/** Distribution samples per decade of 1/(1-p), from p = 0 to p = 99.999%. */
const STEPS_PER_DECADE = 20;
const DECADES = 5;

type Point = Summary["timeline"][number];

/** What the page script draws. */
export interface ChartData {
  /** Interval ends, seconds since the run's start. */
  t: number[];
  /** Requests per second in each interval. */
  achieved: number[];
  /** Iterations completed per second in each interval (what `offered` is comparable to). */
  iterations: number[];
  /** Planned arrivals per second over each interval; null when no scenario plans a rate. */
  offered: number[] | null;
  p50: number[];
  p90: number[];
  p95: number[];
  p99: number[];
  max: number[];
  /** Failed requests and dropped arrivals per second in each interval. */
  failed: number[];
  dropped: number[];
  vus: number[];
  lagP99: number[];
  /** Horizontal lines for thresholds on http_req_duration, in ms. */
  thresholds: { label: string; value: number }[];
  /** Latency by percentile: x is 1/(1-p), one y series per metric; null without histograms. */
  distribution: { x: number[]; series: { label: string; y: number[] }[] } | null;
  /**
   * Latency by percentile per endpoint (the busiest {@link MAX_ENDPOINT_LINES}), same x as
   * `distribution`; null without histograms or endpoints.
   */
  endpoints: { x: number[]; series: { label: string; y: number[] }[] } | null;
}

/** Most endpoints drawn on the per-endpoint chart; more lines would not be readable. */
export const MAX_ENDPOINT_LINES = 8;

/**
 * Merges adjacent points until at most `max` remain, the way the run's own timeline halves:
 * counts add up exactly, percentiles keep the larger value (a conservative bound).
 */
export function downsampleTimeline(points: readonly Point[], max = MAX_CHART_POINTS): Point[] {
  if (points.length <= max) return [...points];
  const size = Math.ceil(points.length / max);
  const out: Point[] = [];
  for (let i = 0; i < points.length; i += size) {
    const group = points.slice(i, i + size);
    const m = { ...group[0] };
    for (const p of group.slice(1)) {
      m.t = p.t;
      m.dt += p.dt;
      m.vus = Math.max(m.vus, p.vus);
      foldPoint(m, p);
    }
    out.push(m);
  }
  return out;
}

/**
 * Average planned arrival rate (per second) over `[fromMs, toMs]` of the run, summed across
 * scenarios. Plans are piecewise linear between their points, shifted by each scenario's
 * start time, and zero outside them. Null when no scenario plans a rate (closed loop).
 */
export function offeredRate(
  scenarios: Summary["scenarios"],
  fromMs: number,
  toMs: number,
): number | null {
  let area = 0;
  let any = false;
  for (const s of scenarios) {
    const pts = s.plan.filter((p) => p.rate !== undefined);
    if (pts.length === 0) continue;
    any = true;
    for (let i = 0; i + 1 < pts.length; i++) {
      const x0 = s.startTimeMs + pts[i].atMs;
      const x1 = s.startTimeMs + pts[i + 1].atMs;
      const lo = Math.max(fromMs, x0);
      const hi = Math.min(toMs, x1);
      if (hi <= lo || x1 <= x0) continue;
      const r0 = pts[i].rate!;
      const r1 = pts[i + 1].rate!;
      const at = (x: number) => r0 + ((r1 - r0) * (x - x0)) / (x1 - x0);
      area += ((at(lo) + at(hi)) / 2) * (hi - lo);
    }
  }
  if (!any) return null;
  return toMs > fromMs ? area / (toMs - fromMs) : 0;
}

/** Aggregations that are a latency level and can be drawn as a line on the latency chart. */
const LEVELS = new Set(["avg", "max", "min", "med", "p50", "p90", "p95", "p99", "p999"]);

/** Horizontal lines (ms) for thresholds on http_req_duration's percentiles, avg, med or max. */
export function latencyThresholdLines(
  thresholds: Summary["thresholds"],
): { label: string; value: number }[] {
  const out: { label: string; value: number }[] = [];
  for (const t of thresholds) {
    if (t.metric !== "http_req_duration") continue;
    const e = parseExpression(t.expression);
    if (typeof e === "string" || e.aggregation === null) continue;
    const agg = e.aggregation.toLowerCase();
    if (e.percentile === null && !LEVELS.has(agg)) continue;
    const scale = e.unit === null ? 1 : TIME_UNITS_MS[e.unit];
    if (scale === undefined) continue;
    const key = t.key && t.key !== t.metric ? t.key : t.metric;
    out.push({ label: `${key} ${t.expression}`, value: e.number * scale });
  }
  return out;
}

/** The x axis of the distribution charts (1/(1-p)) and the percentiles behind it. */
function percentileAxis(): { x: number[]; ps: number[] } {
  const x: number[] = [];
  const ps: number[] = [];
  for (let k = 0; k <= STEPS_PER_DECADE * DECADES; k++) {
    const inv = 10 ** (k / STEPS_PER_DECADE);
    x.push(round(inv, 4));
    ps.push(100 * (1 - 1 / inv));
  }
  return { x, ps };
}

/** One line of latency by percentile from the merged series of `metric` matching `filter`. */
function percentileLine(
  snapshot: Snapshot,
  metric: string,
  filter: Record<string, string>,
  ps: readonly number[],
): number[] | null {
  const c = combineSeries(metric, selectSeries(snapshot, metric, filter));
  if (!c.hist || c.count === 0) return null;
  const h = c.hist;
  // Percentiles come from bucket bounds; keep them inside the exact min and max seen.
  const y = ps.map((p) => round(Math.min(Math.max(percentile(h, p), c.min), c.max)));
  releaseHistogram(h);
  return y;
}

/** Latency by percentile from the merged histograms of each metric that has any. */
export function latencyDistribution(snapshot: Snapshot | null): ChartData["distribution"] {
  if (!snapshot) return null;
  const { x, ps } = percentileAxis();
  const series: { label: string; y: number[] }[] = [];
  const metrics = [
    ["http_req_duration", "latency (from schedule)"],
    ["http_req_service_time", "service time"],
  ];
  for (const [metric, label] of metrics) {
    const y = percentileLine(snapshot, metric, {}, ps);
    if (y) series.push({ label, y });
  }
  return series.length ? { x, series } : null;
}

/**
 * Latency by percentile for each of the busiest endpoints, from their own merged histograms
 * (any protocol's request duration, matched by the endpoint's name and method).
 */
export function endpointDistribution(
  summary: Summary,
  snapshot: Snapshot | null,
): ChartData["endpoints"] {
  if (!snapshot || summary.endpoints.length === 0) return null;
  const durations = [
    ...new Set([
      ...(summary.sections ?? []).flatMap((s) => s.requests ? [s.requests.duration] : []),
      "http_req_duration",
    ]),
  ];
  const { x, ps } = percentileAxis();
  const series: { label: string; y: number[] }[] = [];
  for (const ep of summary.endpoints.slice(0, MAX_ENDPOINT_LINES)) {
    const filter = { name: ep.name, method: ep.method };
    for (const metric of durations) {
      const y = percentileLine(snapshot, metric, filter, ps);
      if (!y) continue;
      series.push({ label: shortEndpointName(`${ep.method} ${ep.name}`.trim(), 48), y });
      break;
    }
  }
  return series.length ? { x, series } : null;
}

/** Everything the charts need, bounded in size whatever the run's length. */
export function chartData(summary: Summary, snapshot: Snapshot | null): ChartData {
  const points = downsampleTimeline(summary.timeline);
  const perSecond = (n: number, dt: number) => round(dt > 0 ? (n * 1000) / dt : 0, 2);
  const hasPlan = summary.scenarios.some((s) => s.plan.some((p) => p.rate !== undefined));
  return {
    t: points.map((p) => round(p.t / 1000)),
    achieved: points.map((p) => perSecond(p.requests, p.dt)),
    iterations: points.map((p) => perSecond(p.iterations, p.dt)),
    offered: hasPlan
      ? points.map((p) => round(offeredRate(summary.scenarios, p.t - p.dt, p.t) ?? 0, 2))
      : null,
    p50: points.map((p) => round(p.p50)),
    p90: points.map((p) => round(p.p90)),
    p95: points.map((p) => round(p.p95)),
    p99: points.map((p) => round(p.p99)),
    max: points.map((p) => round(p.max)),
    failed: points.map((p) => perSecond(p.failed, p.dt)),
    dropped: points.map((p) => perSecond(p.dropped, p.dt)),
    vus: points.map((p) => p.vus),
    lagP99: points.map((p) => round(p.lagP99)),
    thresholds: latencyThresholdLines(summary.thresholds),
    distribution: latencyDistribution(snapshot),
    endpoints: endpointDistribution(summary, snapshot),
  };
}
