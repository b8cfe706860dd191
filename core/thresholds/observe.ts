/**
 * What a threshold measures, read from a snapshot. The series matching the threshold's tag
 * filter are merged first and the aggregation is taken from the merged series, so that a
 * percentile over `{name:/api}` across many status codes is the true percentile of all of
 * them, and the values equal what the summary reports for the same series.
 *
 * @module
 */
import { percentile, releaseHistogram } from "../metrics/histogram.ts";
import {
  combineSeries,
  selectSeries,
  type SeriesData,
  type Snapshot,
} from "../metrics/snapshot.ts";
import type { Threshold } from "./types.ts";

/**
 * The series of `snapshot` that `t` applies to, merged into a new series the caller owns (its
 * histogram comes from the pool: hand it back with `releaseHistogram` when done). A tick's
 * histograms are reused after the tick, so whatever outlives it must be such a copy.
 */
export function matchingSeries(snapshot: Snapshot, t: Threshold): SeriesData {
  return combineSeries(t.metric, selectSeries(snapshot, t.metric, t.tags), t.tags);
}

/**
 * The value of `t` on `snapshot` right now, or null when no matching series has a sample.
 * Reads a single matching series in place and releases any merged copy, so judging the live
 * total on every tick allocates no histogram.
 */
export function observeSnapshot(
  t: Threshold,
  snapshot: Snapshot,
  elapsedMs: number,
): number | null {
  const list = selectSeries(snapshot, t.metric, t.tags);
  const s = list.length === 1 ? list[0] : combineSeries(t.metric, list, t.tags);
  const value = hasSamples(s) ? observeSeries(t, s, elapsedMs) : null;
  if (list.length !== 1 && s.hist) releaseHistogram(s.hist);
  return value;
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
