/**
 * What a threshold measures, read from a snapshot. The series matching the threshold's tag
 * filter are merged first and the aggregation is taken from the merged series, so that a
 * percentile over `{name:/api}` across many status codes is the true percentile of all of
 * them, and the values equal what the summary reports for the same series.
 *
 * @module
 */
import { percentile } from "../metrics/histogram.ts";
import {
  combineSeries,
  selectSeries,
  type SeriesData,
  type Snapshot,
} from "../metrics/snapshot.ts";
import type { Threshold } from "./types.ts";

/** The series of `snapshot` that `t` applies to, merged into one. */
export function matchingSeries(snapshot: Snapshot, t: Threshold): SeriesData {
  return combineSeries(t.metric, selectSeries(snapshot, t.metric, t.tags), t.tags);
}

/** Whether a merged series holds anything to judge: a sample, an addition or a set. */
export function hasSamples(s: SeriesData): boolean {
  return s.count > 0;
}

/**
 * The value of `t`'s aggregation over `s`. `elapsedMs` is the time `s` covers (the run so
 * far, or the window): a counter's rate is per second of it, and 0 when no time has passed.
 */
export function observeSeries(t: Threshold, s: SeriesData, elapsedMs: number): number {
  switch (t.aggregation) {
    case "count":
      // A counter's count is what was counted; a trend's is how many samples it has.
      return t.kind === "counter" ? s.value : s.count;
    case "rate":
      if (t.kind === "counter") return elapsedMs > 0 ? (s.value * 1000) / elapsedMs : 0;
      return s.count > 0 ? s.value / s.count : 0;
    case "value":
      return s.value;
    case "min":
      return Number.isFinite(s.min) ? s.min : s.value;
    case "max":
      return Number.isFinite(s.max) ? s.max : s.value;
    case "avg":
      return s.count > 0 ? s.sum / s.count : 0;
    case "med":
      return trendPercentile(s, 50);
    case "p":
      return trendPercentile(s, t.percentile ?? 50);
  }
}

/** A percentile from the merged histogram, clamped to the exact min and max like the summary. */
function trendPercentile(s: SeriesData, p: number): number {
  if (!s.hist || s.count === 0) return 0;
  return Math.min(Math.max(percentile(s.hist, p), s.min), s.max);
}
