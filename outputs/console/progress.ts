/**
 * The live progress line. Split in two pure steps so both are tested without a clock or a
 * terminal: {@link progressFromTick} reduces a tick to the few figures a person watches, and
 * {@link formatProgress} lays them out on one line.
 *
 * Interval figures (rate, p95) come from the tick's delta, so they show what is happening
 * now; counts (requests, errors, dropped) come from the total, so they never go backwards.
 *
 * @module
 */
import type { Tick } from "../../core/run/output.ts";
import {
  combineSeries,
  selectSeries,
  type SeriesData,
  type Snapshot,
  sumValues,
  trendStats,
} from "../../core/metrics/snapshot.ts";
import { formatDuration } from "../../core/units.ts";
import { releaseHistogram } from "../../core/metrics/histogram.ts";
import { fitLine, formatClock, painter } from "./_text.ts";
import { formatRate, groupInt, percentOf } from "../_numbers.ts";

/** What the progress line shows, derived from one tick. */
export interface ProgressState {
  /** Elapsed ms since the run started. */
  elapsedMs: number;
  /** Planned duration in ms; 0 when unknown (then no total is shown). */
  plannedMs: number;
  /** Requests per second during the last interval. */
  intervalRate: number;
  /**
   * Iterations completed per second during the last interval: what an offered rate is
   * compared with (an iteration may make several requests). Absent: not shown.
   */
  intervalIterations?: number;
  /** The offered rate, for open-loop runs; null for closed loop. */
  targetRate: number | null;
  /** VUs busy at the end of the interval. */
  vus: number;
  /** Requests so far. */
  requests: number;
  /** Failed requests so far (transport errors and statuses ≥ 400). */
  failed: number;
  /** p95 latency of the last interval; null when no request finished in it. */
  p95Ms: number | null;
  /** Dropped iterations so far. */
  dropped: number;
  /** Dropped iterations in the last interval, for the first-drop warning. */
  intervalDropped: number;
  /** Scheduler lag p99 of the last interval; null when nothing was scheduled. */
  lagP99Ms: number | null;
  /** Exceptions thrown by scenario code so far. */
  iterationErrors: number;
}

/** How to lay out the progress line. */
export interface ProgressFormatOptions {
  /** Emit ANSI colours. */
  color: boolean;
  /** Columns available; the line is cut to fit. */
  width: number;
  /** A scenario's name, shown first on its own line (several scenarios). */
  label?: string;
}

function select(s: Snapshot, metric: string, scenario?: string): SeriesData[] {
  return selectSeries(s, metric, scenario === undefined ? {} : { scenario });
}

function sum(s: Snapshot, metric: string, scenario?: string): number {
  return sumValues(s, metric, scenario === undefined ? {} : { scenario });
}

function p(s: Snapshot, metric: string, q: "p95" | "p99", scenario?: string): number | null {
  const list = select(s, metric, scenario);
  if (list.length === 1) return list[0].count > 0 ? trendStats(list[0])[q] : null;
  const c = combineSeries(metric, list);
  const v = c.count > 0 ? trendStats(c)[q] : null;
  // Once a second on the generator's thread: hand the merged histogram back to the pool.
  if (c.hist) releaseHistogram(c.hist);
  return v;
}

/** Reduces a tick to the progress figures, of the whole run or of one `scenario`. Pure. */
export function progressFromTick(
  tick: Tick,
  plannedDurationMs: number,
  targetRate: number | null,
  scenario?: string,
): ProgressState {
  const sc = scenario;
  const seconds = tick.intervalMs / 1000;
  // Gauges in the delta hold the value at the interval's end (the registry keeps them);
  // fall back to the total when a scenario's gauge was not touched this interval.
  const vusDelta = select(tick.delta, "vus", sc);
  return {
    elapsedMs: tick.elapsedMs,
    plannedMs: plannedDurationMs,
    intervalRate: seconds > 0 ? sum(tick.delta, "http_reqs", sc) / seconds : 0,
    // Absent when the run records no iterations (then only requests are shown).
    intervalIterations: seconds > 0 && select(tick.delta, "iterations", sc).length
      ? sum(tick.delta, "iterations", sc) / seconds
      : undefined,
    targetRate,
    vus: vusDelta.length ? sum(tick.delta, "vus", sc) : sum(tick.total, "vus", sc),
    requests: sum(tick.total, "http_reqs", sc),
    failed: sum(tick.total, "http_req_failed", sc),
    p95Ms: p(tick.delta, "http_req_duration", "p95", sc),
    dropped: sum(tick.total, "dropped_iterations", sc),
    iterationErrors: sum(tick.total, "iteration_errors", sc),
    intervalDropped: sum(tick.delta, "dropped_iterations", sc),
    lagP99Ms: p(tick.delta, "scheduler_lag", "p99", sc),
  };
}

/**
 * One progress line, e.g.
 * `12s/30s  498.0/s of 500.0/s  vus 12  reqs 5,976  err 3 (0.05%)  p95 12.3ms  dropped 0`.
 * Errors and drops are coloured only when non-zero, so colour always means "look here".
 */
export function formatProgress(p: ProgressState, opts: ProgressFormatOptions): string {
  const paint = painter(opts.color);
  const time = p.plannedMs > 0
    ? `${formatClock(p.elapsedMs)}/${formatClock(p.plannedMs)}`
    : formatClock(p.elapsedMs);
  // The offered rate counts iterations: it sits beside iterations/s, never beside requests/s.
  const rate = p.targetRate !== null && p.intervalIterations !== undefined
    ? `req ${formatRate(p.intervalRate)}  it ${formatRate(p.intervalIterations)} of ${
      formatRate(p.targetRate)
    }`
    : p.targetRate !== null
    ? `${formatRate(p.intervalRate)} of ${formatRate(p.targetRate)}`
    : `req ${formatRate(p.intervalRate)}`;
  const err = `err ${groupInt(p.failed)} (${percentOf(p.failed, p.requests)})`;
  const dropped = `dropped ${groupInt(p.dropped)}`;
  const parts = [
    ...(opts.label ? [`  ${opts.label}`] : []),
    paint("bold", time),
    rate,
    `vus ${groupInt(p.vus)}`,
    `reqs ${groupInt(p.requests)}`,
    p.failed > 0 ? paint("red", err) : err,
    `p95 ${p.p95Ms === null ? "-" : formatDuration(p.p95Ms)}`,
    p.dropped > 0 ? paint("bold", paint("yellow", dropped)) : dropped,
    // Only when there are some: scenario exceptions must be visible while the run goes on.
    ...(p.iterationErrors > 0 ? [paint("red", `threw ${groupInt(p.iterationErrors)}`)] : []),
  ];
  return fitLine(parts.join("  "), opts.width);
}
