/**
 * Snapshots: the mergeable state of a run's metrics. The same shape carries an interval's
 * deltas (from the hot side), a cumulative total, a worker's or a host's share; merging two
 * snapshots is exact because trends keep whole HDR histograms and percentiles are only ever
 * computed from a merged histogram.
 *
 * @module
 */
import type { MetricDef, Tags } from "../types.ts";
import {
  acquireHistogram,
  addHistogram,
  decodeHistogram,
  decodeHistogramBuckets,
  encodeHistogram,
  encodeHistogramBuckets,
  type Histogram,
  HISTOGRAM_SETTINGS,
  percentile,
} from "./histogram.ts";

/** Values of one series; which fields are set depends on the metric's kind. */
export interface SeriesData {
  readonly metric: string;
  readonly tags: Tags;
  /** Counter: sum of added values. Rate: number of true samples. Gauge: last value. */
  value: number;
  /** Counter: number of additions. Rate: number of samples. Gauge: number of sets. Trend: count. */
  count: number;
  /** Trend: sum of values (for avg). */
  sum: number;
  min: number;
  max: number;
  /** Trend only. */
  hist: Histogram | null;
}

/** A set of series plus the definitions of their metrics. */
export interface Snapshot {
  metrics: Map<string, MetricDef>;
  /** Keyed by {@link seriesKey}. */
  series: Map<string, SeriesData>;
}

/** Stable key of a series: metric name plus tags in sorted order. */
export function seriesKey(metric: string, tags: Tags): string {
  const keys = Object.keys(tags);
  if (keys.length === 0) return metric;
  keys.sort();
  let k = metric + "{";
  for (let i = 0; i < keys.length; i++) {
    k += (i ? "," : "") + keys[i] + ":" + tags[keys[i]];
  }
  return k + "}";
}

/** An empty snapshot. */
export function createSnapshot(): Snapshot {
  return { metrics: new Map(), series: new Map() };
}

/** A fresh series with no samples. */
export function createSeries(metric: string, tags: Tags): SeriesData {
  return {
    metric,
    tags,
    value: 0,
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
    // Trends get their histogram on first use: series that never see a value (a phase the
    // engine cannot observe) cost nothing.
    hist: null,
  };
}

/**
 * How two snapshots relate: `shares` are parts of the same time span (workers, hosts), so a
 * gauge's values add up (VUs of two workers); `time` means `from` comes later than `into`, so a
 * gauge takes the later value. Counters, rates and trends add either way.
 */
export type MergeMode = "shares" | "time";

/** Merges `from` into `into` exactly; min and max keep the extremes seen by either side. */
export function mergeSnapshot(into: Snapshot, from: Snapshot, mode: MergeMode = "shares"): void {
  for (const [name, def] of from.metrics) {
    const known = into.metrics.get(name);
    if (!known) into.metrics.set(name, def);
    else if (known.kind !== def.kind) {
      throw new Error(
        `Cannot merge metric "${name}": it is a ${known.kind} in one snapshot and a ${def.kind} in another`,
      );
    }
  }
  for (const [key, s] of from.series) {
    let t = into.series.get(key);
    if (!t) {
      t = createSeries(s.metric, s.tags);
      into.series.set(key, t);
    }
    mergeSeries(t, s, mode === "time" && into.metrics.get(s.metric)?.kind === "gauge");
  }
}

function mergeSeries(into: SeriesData, from: SeriesData, replaceValue = false): void {
  into.value = replaceValue ? from.value : into.value + from.value;
  into.count += from.count;
  into.sum += from.sum;
  if (from.min < into.min) into.min = from.min;
  if (from.max > into.max) into.max = from.max;
  if (from.hist) {
    if (!into.hist) into.hist = acquireHistogram();
    addHistogram(into.hist, from.hist);
  }
}

/** Deep copy (histograms included), for handing a snapshot to a reader that keeps it. */
export function cloneSnapshot(s: Snapshot): Snapshot {
  const c = createSnapshot();
  mergeSnapshot(c, s);
  return c;
}

/** The JSON form of a series; the histogram is encoded. */
export interface EncodedSeries {
  metric: string;
  tags: Record<string, string>;
  value: number;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** The histogram, compressed and base64-encoded (files). */
  hdr?: string;
  /** The histogram's non-empty buckets as `[index, count, …]` (between threads). */
  buckets?: Float64Array;
}

/** The JSON form of a snapshot, as stored in summary files and sent between workers. */
export interface EncodedSnapshot {
  histogram: { scale: number; lowest: number; significantDigits: number };
  metrics: MetricDef[];
  series: EncodedSeries[];
}

/**
 * Serializes a snapshot. For files (the default) histograms are compressed and base64-encoded;
 * `"thread"` keeps them as bucket arrays, which cost a load thread no compression (pass
 * {@link transferablesOf} the result as postMessage's transfer list).
 */
export function encodeSnapshot(s: Snapshot, form: "file" | "thread" = "file"): EncodedSnapshot {
  const series: EncodedSeries[] = [];
  for (const d of s.series.values()) {
    const e: EncodedSeries = {
      metric: d.metric,
      tags: { ...d.tags },
      value: d.value,
      count: d.count,
      sum: d.sum,
      min: Number.isFinite(d.min) ? d.min : null,
      max: Number.isFinite(d.max) ? d.max : null,
    };
    if (d.hist) {
      if (form === "thread") e.buckets = encodeHistogramBuckets(d.hist);
      else e.hdr = encodeHistogram(d.hist);
    }
    series.push(e);
  }
  return {
    histogram: { ...HISTOGRAM_SETTINGS },
    metrics: [...s.metrics.values()].map((m) => ({ ...m })),
    series,
  };
}

/** The buffers of a thread-form snapshot, to transfer instead of copy. */
export function transferablesOf(e: EncodedSnapshot): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const s of e.series) if (s.buckets) out.push(s.buckets.buffer as ArrayBuffer);
  return out;
}

/**
 * Rebuilds a snapshot from its JSON form. Throws when its histogram settings differ from this
 * build's, since such histograms cannot be merged exactly.
 */
export function decodeSnapshot(e: EncodedSnapshot): Snapshot {
  const h = e.histogram;
  if (
    h.scale !== HISTOGRAM_SETTINGS.scale || h.lowest !== HISTOGRAM_SETTINGS.lowest ||
    h.significantDigits !== HISTOGRAM_SETTINGS.significantDigits
  ) {
    throw new Error(
      `Cannot read snapshot: histogram settings ${JSON.stringify(h)} differ from ${
        JSON.stringify(HISTOGRAM_SETTINGS)
      }`,
    );
  }
  const s = createSnapshot();
  for (const m of e.metrics) s.metrics.set(m.name, m);
  for (const es of e.series) {
    const d: SeriesData = {
      metric: es.metric,
      tags: es.tags,
      value: es.value,
      count: es.count,
      sum: es.sum,
      min: es.min ?? Infinity,
      max: es.max ?? -Infinity,
      hist: es.buckets
        ? decodeHistogramBuckets(es.buckets)
        : es.hdr
        ? decodeHistogram(es.hdr)
        : null,
    };
    s.series.set(seriesKey(es.metric, es.tags), d);
  }
  return s;
}

/** Series of `metric` whose tags include every pair in `filter`. */
export function selectSeries(s: Snapshot, metric: string, filter: Tags = {}): SeriesData[] {
  const out: SeriesData[] = [];
  const fk = Object.keys(filter);
  for (const d of s.series.values()) {
    if (d.metric !== metric) continue;
    if (fk.every((k) => d.tags[k] === filter[k])) out.push(d);
  }
  return out;
}

/** Sum of `value` over the series of `metric` whose tags include `filter` (counts, gauges). */
export function sumValues(s: Snapshot, metric: string, filter: Tags = {}): number {
  let v = 0;
  for (const d of selectSeries(s, metric, filter)) v += d.value;
  return v;
}

/** Sums several series of one metric into one (exact for every kind). */
export function combineSeries(
  metric: string,
  list: readonly SeriesData[],
  tags: Tags = {},
): SeriesData {
  const c = createSeries(metric, tags);
  for (const d of list) mergeSeries(c, d);
  return c;
}

/** Trend statistics in the metric's unit, computed from a (merged) series. */
export interface TrendStats {
  count: number;
  avg: number;
  min: number;
  med: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** Computes trend statistics; min and max are exact, percentiles come from the histogram. */
export function trendStats(d: SeriesData): TrendStats {
  const h = d.hist;
  const n = d.count;
  if (!h || n === 0) {
    return { count: 0, avg: 0, min: 0, med: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  }
  const p50 = percentile(h, 50);
  // Percentiles come from bucket upper bounds; clamp into the exact [min, max] seen.
  const clamp = (v: number) => Math.min(Math.max(v, d.min), d.max);
  return {
    count: n,
    avg: d.sum / n,
    min: d.min,
    med: clamp(p50),
    p50: clamp(p50),
    p90: clamp(percentile(h, 90)),
    p95: clamp(percentile(h, 95)),
    p99: clamp(percentile(h, 99)),
    p999: clamp(percentile(h, 99.9)),
    max: d.max,
  };
}
