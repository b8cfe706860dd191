/**
 * The hot side of metrics: series objects that the runner resolves once and then records into
 * with plain field updates, and a `drain()` that hands over everything recorded since the last
 * drain as a snapshot. Nothing here awaits or allocates per sample.
 *
 * @module
 */
import type { MetricDef, Tags } from "../types.ts";
import { recordValue } from "./histogram.ts";
import {
  createSeries,
  createSnapshot,
  type SeriesData,
  seriesKey,
  type Snapshot,
} from "./snapshot.ts";
import { acquireHistogram, releaseHistogram } from "./histogram.ts";

/** Adds `v` to a counter series. */
export function addCounter(s: SeriesData, v: number): void {
  s.value += v;
  s.count++;
}

/** Adds one sample to a rate series (`ok` true counts as a pass, i.e. a "true" sample). */
export function addRate(s: SeriesData, ok: boolean): void {
  if (ok) s.value++;
  s.count++;
}

/** Sets a gauge series. */
export function setGauge(s: SeriesData, v: number): void {
  s.value = v;
  s.count++;
  if (v < s.min) s.min = v;
  if (v > s.max) s.max = v;
}

/** Adds one value to a trend series. */
export function addTrend(s: SeriesData, v: number): void {
  s.count++;
  s.sum += v;
  if (v < s.min) s.min = v;
  if (v > s.max) s.max = v;
  recordValue(s.hist ??= acquireHistogram(), v);
}

/**
 * Distinct tag sets a metric may have in one thread before further ones fold into
 * `(other)`. Every trend series costs an HDR histogram (~100 KB at a 1 s range, measured: 1,000
 * names × 11 HTTP trends took 1.2 GB), so unbounded names or tags (a request id in a name)
 * would otherwise grow memory and the summary without limit; 250 covers any hand-written set
 * of endpoints.
 */
export const DEFAULT_MAX_SERIES = 250;

/** The value overflowing tags take once a metric has reached its series cap. */
export const OTHER = "(other)";

/**
 * Tags whose values are few by construction: they survive a fold, so an overflowed series
 * still says which scenario, status or error it belongs to.
 */
const BOUNDED_TAGS = new Set([
  "scenario",
  "method",
  "status",
  "error",
  "proto",
  "expected_response",
]);

/** Records metrics for one process or worker; drained into snapshots on an interval. */
export class MetricRegistry {
  #snap: Snapshot = createSnapshot();
  #perMetric = new Map<string, number>();
  /** Series cap per metric (see {@link DEFAULT_MAX_SERIES}). */
  maxSeries: number = DEFAULT_MAX_SERIES;

  /** Declares a metric; redeclaring with the same kind is a no-op. */
  define(def: MetricDef): void {
    const known = this.#snap.metrics.get(def.name);
    if (known && known.kind !== def.kind) {
      throw new Error(`Metric "${def.name}" is already a ${known.kind}, not a ${def.kind}`);
    }
    if (!known) this.#snap.metrics.set(def.name, def);
  }

  /** The definition of a metric, if declared. */
  get(name: string): MetricDef | undefined {
    return this.#snap.metrics.get(name);
  }

  /** Resolves (creating on first use) the series of `metric` with `tags`. Keep the result. */
  series(metric: string, tags: Tags = {}): SeriesData {
    const key = seriesKey(metric, tags);
    let s = this.#snap.series.get(key);
    if (!s) {
      const def = this.#snap.metrics.get(metric);
      if (!def) throw new Error(`Metric "${metric}" is not defined`);
      const n = this.#perMetric.get(metric) ?? 0;
      if (n >= this.maxSeries) return this.#folded(metric, tags);
      this.#perMetric.set(metric, n + 1);
      s = createSeries(metric, { ...tags });
      this.#snap.series.set(key, s);
    }
    return s;
  }

  /** The `(other)` series a tag set over the cap is recorded into. */
  #folded(metric: string, tags: Tags): SeriesData {
    const folded: Record<string, string> = {};
    for (const [k, v] of Object.entries(tags)) folded[k] = BOUNDED_TAGS.has(k) ? v : OTHER;
    const key = seriesKey(metric, folded);
    let s = this.#snap.series.get(key);
    if (!s) {
      s = createSeries(metric, folded);
      this.#snap.series.set(key, s);
    }
    return s;
  }

  /**
   * Takes back the histograms of a snapshot returned by {@link drain} once nobody reads it any
   * more (after the tick), so the next interval reuses them instead of allocating.
   */
  recycle(delta: Snapshot): void {
    for (const s of delta.series.values()) {
      if (s.hist) releaseHistogram(s.hist);
      s.hist = null;
    }
  }

  /**
   * Forgets gauges' extremes (a warm-up's peak `vus_max` must not show in the measured run);
   * their current values stay.
   */
  resetGauges(): void {
    for (const s of this.#snap.series.values()) {
      if (this.#snap.metrics.get(s.metric)!.kind !== "gauge") continue;
      s.count = 0;
      s.min = Infinity;
      s.max = -Infinity;
    }
  }

  /**
   * Records a spread of made-up values (0.01 ms to 10 s) into every series that is not a gauge,
   * so that the next {@link drain} is shaped like a real interval's. A load thread drains and
   * posts one as a rehearsal before its clock starts (the collector discards it): the first real
   * tick then runs compiled code on both threads, where its cold encode and merge stalled the
   * schedule for 10–60 ms at 5,000–20,000/s (issue 13). Call only before measuring: the values
   * are not real.
   */
  fillForRehearsal(): void {
    for (const s of this.#snap.series.values()) {
      const kind = this.#snap.metrics.get(s.metric)!.kind;
      if (kind === "counter") addCounter(s, 1);
      else if (kind === "rate") addRate(s, true);
      else if (kind === "trend") {
        for (let v = 0.01; v < 10_000; v *= 1.2) addTrend(s, v);
      }
    }
  }

  /**
   * Everything recorded since the previous drain, as a snapshot the caller owns. Series stay
   * resolved (callers' references stay valid): their counts are zeroed and trends get a fresh
   * histogram. Gauges keep their current value.
   */
  drain(): Snapshot {
    const out = createSnapshot();
    for (const [k, v] of this.#snap.metrics) out.metrics.set(k, v);
    for (const [key, s] of this.#snap.series) {
      const kind = this.#snap.metrics.get(s.metric)!.kind;
      if (s.count === 0 && kind !== "gauge") continue;
      out.series.set(key, { ...s, tags: s.tags });
      if (kind === "gauge") {
        s.count = 0;
        s.min = s.value;
        s.max = s.value;
        continue;
      }
      s.value = 0;
      s.count = 0;
      s.sum = 0;
      s.min = Infinity;
      s.max = -Infinity;
      s.hist = null;
    }
    return out;
  }
}
