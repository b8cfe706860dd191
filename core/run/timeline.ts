/**
 * A run's time series at interval resolution, kept in bounded memory: when it reaches its
 * size limit, adjacent points are merged pairwise, halving the resolution. Counts are summed
 * exactly; per-interval percentiles are combined by taking the larger (a conservative bound,
 * since the interval histograms are not kept).
 *
 * @module
 */
import {
  combineSeries,
  selectSeries,
  type SeriesData,
  type Snapshot,
  sumValues,
  trendStats,
} from "../metrics/snapshot.ts";
import { releaseHistogram } from "../metrics/histogram.ts";
import type { RequestFamily } from "../protocol/types.ts";

/** One point of the time series. */
export interface TimelinePoint {
  /** Offset of the interval's end from the run start, ms. */
  t: number;
  /** Interval length, ms. */
  dt: number;
  requests: number;
  failed: number;
  iterations: number;
  dropped: number;
  vus: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  lagP99: number;
  /** Event-loop lag p99 of the load threads in the interval (absent in older files). */
  loopP99?: number;
}

/**
 * Folds `from` into `into`: counts add; percentiles and the maximum take the larger value (an
 * upper bound, since interval histograms are not kept). Time, length and VUs are the caller's,
 * because they combine differently across time (latest, summed) and across shares (summed).
 */
export function foldPoint(into: TimelinePoint, from: TimelinePoint): void {
  into.requests += from.requests;
  into.failed += from.failed;
  into.iterations += from.iterations;
  into.dropped += from.dropped;
  into.p50 = Math.max(into.p50, from.p50);
  into.p90 = Math.max(into.p90, from.p90);
  into.p95 = Math.max(into.p95, from.p95);
  into.p99 = Math.max(into.p99, from.p99);
  into.max = Math.max(into.max, from.max);
  into.lagP99 = Math.max(into.lagP99, from.lagP99);
  if (from.loopP99 !== undefined) into.loopP99 = Math.max(into.loopP99 ?? 0, from.loopP99);
}

/** Default bound on points: 8 hours at 1 s would be 28,800; this keeps files small. */
export const DEFAULT_MAX_POINTS = 1200;

/** Accumulates interval deltas into a bounded series. */
export class Timeline {
  readonly points: TimelinePoint[] = [];
  #max: number;
  #families: readonly RequestFamily[];

  /**
   * `maxPoints` bounds memory and file size whatever the run length; `families` are the
   * protocols' request metrics that `requests`, `failed` and the percentiles count.
   */
  constructor(families: readonly RequestFamily[], maxPoints = DEFAULT_MAX_POINTS) {
    this.#max = Math.max(2, maxPoints);
    this.#families = families;
  }

  /** Adds one interval. */
  add(t: number, dt: number, delta: Snapshot): void {
    const sum = (metric: string) => sumValues(delta, metric);
    let requests = 0;
    let failed = 0;
    const durations: SeriesData[] = [];
    for (const f of this.#families) {
      requests += sum(f.count);
      failed += sum(f.failed);
      durations.push(...selectSeries(delta, f.duration));
    }
    const dur = pooledStats(durations);
    const lag = pooledStats(selectSeries(delta, "scheduler_lag"));
    const loop = pooledStats(selectSeries(delta, "event_loop_lag"));
    this.points.push({
      t,
      dt,
      requests,
      failed,
      iterations: sum("iterations"),
      dropped: sum("dropped_iterations"),
      vus: sum("vus"),
      p50: dur.p50,
      p90: dur.p90,
      p95: dur.p95,
      p99: dur.p99,
      max: dur.max,
      lagP99: lag.p99,
      loopP99: loop.p99,
    });
    if (this.points.length > this.#max) this.#halve();
  }

  #halve(): void {
    const p = this.points;
    const out: TimelinePoint[] = [];
    for (let i = 0; i + 1 < p.length; i += 2) {
      const a = p[i];
      const b = p[i + 1];
      const m = { ...a, t: b.t, dt: a.dt + b.dt, vus: Math.max(a.vus, b.vus) };
      foldPoint(m, b);
      out.push(m);
    }
    if (p.length % 2) out.push(p[p.length - 1]);
    this.points.length = 0;
    this.points.push(...out);
  }
}

/** Trend stats of several series combined in a pooled histogram (no allocation per tick). */
function pooledStats(list: SeriesData[]) {
  if (list.length === 1) return trendStats(list[0]);
  const c = combineSeries("", list);
  const stats = trendStats(c);
  if (c.hist) releaseHistogram(c.hist);
  return stats;
}
