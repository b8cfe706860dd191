/**
 * Sliding windows for `… over 30s` thresholds. Each windowed threshold keeps only what it
 * needs: for every tick interval, the one series combining the interval's series that match
 * its tag filter (histograms copied, so the tick's snapshot can be released). The window's
 * histogram is kept as a running sum, adding each interval as it enters and subtracting it as
 * it leaves; bucket counts are integers, so this is exact, and a windowed percentile is the
 * true percentile of the window, never an average of per-interval percentiles. Scalars (sums,
 * extremes) are recomputed from the intervals, so no rounding accumulates over a long run.
 *
 * @module
 */
import type { MetricKind } from "../types.ts";
import {
  acquireHistogram,
  addHistogram,
  type Histogram,
  releaseHistogram,
} from "../metrics/histogram.ts";
import type { SeriesData } from "../metrics/snapshot.ts";

interface Interval {
  readonly startMs: number;
  readonly endMs: number;
  readonly series: SeriesData;
}

/** A window's merged series and how much time it actually covers. */
export interface WindowView {
  /** The merged series of the intervals in the window; its histogram is valid until the next push. */
  readonly series: SeriesData;
  /** Time covered by those intervals, ms: the divisor for a counter's rate. */
  readonly spanMs: number;
  /**
   * False until the run is about one window long: a count or a rate over a window that has
   * barely begun says nothing about the window.
   */
  readonly full: boolean;
  /** Whether the metric had a sample to judge (for gauges: was ever set). */
  readonly hasData: boolean;
}

/**
 * A ring buffer of per-interval series covering the last `windowMs`. Ticks are never exactly
 * periodic, so an interval belongs to the window when most of it (its midpoint) lies inside.
 */
export class SlidingWindow {
  /** Window length, ms. */
  readonly windowMs: number;
  readonly #kind: MetricKind;
  #buf: (Interval | undefined)[] = new Array(8);
  #head = 0;
  #size = 0;
  #everSet = false;
  /** The sum of the held intervals' histograms (trends only). */
  #hist: Histogram | null = null;

  /** Creates an empty window of `windowMs` over a metric of `kind`. */
  constructor(windowMs: number, kind: MetricKind) {
    this.windowMs = windowMs;
    this.#kind = kind;
  }

  /** Number of intervals held (for tests: the buffer must not grow with the run). */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds the interval (startMs, endMs] and drops intervals that left the window. The window
   * takes `series` over: its histogram goes back to the pool when the interval leaves.
   */
  push(startMs: number, endMs: number, series: SeriesData): void {
    if (series.count > 0) this.#everSet = true;
    if (series.hist && series.hist.totalCount > 0) {
      addHistogram(this.#hist ??= acquireHistogram(), series.hist);
    }
    if (this.#size === this.#buf.length) this.#grow();
    this.#buf[(this.#head + this.#size) % this.#buf.length] = { startMs, endMs, series };
    this.#size++;
    const from = endMs - this.windowMs;
    while (this.#size > 1) {
      const first = this.#at(0);
      if ((first.startMs + first.endMs) / 2 > from) break;
      if (first.series.hist && first.series.hist.totalCount > 0) {
        this.#hist!.subtract(first.series.hist);
      }
      if (first.series.hist) releaseHistogram(first.series.hist);
      this.#buf[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#buf.length;
      this.#size--;
    }
  }

  /** The window ending at the last pushed interval; null before any push. */
  view(): WindowView | null {
    if (this.#size === 0) return null;
    const last = this.#at(this.#size - 1);
    const first = this.#at(0);
    const series: SeriesData = {
      metric: last.series.metric,
      tags: last.series.tags,
      value: 0,
      count: 0,
      sum: 0,
      min: Infinity,
      max: -Infinity,
      hist: this.#hist,
    };
    for (let i = 0; i < this.#size; i++) {
      const s = this.#at(i).series;
      series.value += s.value;
      series.count += s.count;
      series.sum += s.sum;
      if (s.min < series.min) series.min = s.min;
      if (s.max > series.max) series.max = s.max;
    }
    // Gauges hold a level, not a flow: the window's value is the latest one.
    if (this.#kind === "gauge") series.value = last.series.value;
    const spanMs = last.endMs - first.startMs;
    return {
      series,
      spanMs,
      full: spanMs >= this.windowMs - (first.endMs - first.startMs) / 2,
      hasData: this.#kind === "gauge" ? this.#everSet : series.count > 0,
    };
  }

  #at(i: number): Interval {
    return this.#buf[(this.#head + i) % this.#buf.length]!;
  }

  #grow(): void {
    const next: (Interval | undefined)[] = new Array(this.#buf.length * 2);
    for (let i = 0; i < this.#size; i++) next[i] = this.#at(i);
    this.#buf = next;
    this.#head = 0;
  }
}
