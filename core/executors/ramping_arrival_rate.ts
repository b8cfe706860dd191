/**
 * `ramping-arrival-rate`: open-loop load whose rate moves linearly through stages, k6's way of
 * finding a breaking point without coordinated omission. The scheduling itself is the shared
 * arrival-rate executor; this file turns a config (a rate per `timeUnit`) into its pacer, its
 * plan timeline and this segment's VU budget. `constant-arrival-rate` is the one-stage case.
 *
 * @module
 */
import type { PlanPoint, Segment } from "../types.ts";
import { createRampingPacer, type RateStage } from "../schedule/pacer.ts";
import { shareOf, stripedCount } from "../schedule/segment.ts";
import { createArrivalRateExecutor } from "./arrival_rate.ts";
import type { Executor } from "./executor.ts";
import type { RampingArrivalRateConfig } from "./config.ts";

/** An arrival-rate run in the pacer's units (arrivals per second, milliseconds). */
export interface ArrivalRun {
  readonly kind: "constant-arrival-rate" | "ramping-arrival-rate";
  /** Arrivals per second at time zero. */
  readonly startPerSecond: number;
  /** Stages with targets in arrivals per second. */
  readonly stages: readonly RateStage[];
  readonly preAllocatedVUs: number;
  readonly maxVUs: number;
  readonly gracefulStopMs: number;
}

/**
 * Builds an arrival-rate executor for one segment. VUs are split with shareOf; a segment
 * that has any arrival gets at least one VU (and never fewer than its preallocated share),
 * so the segments' VU budgets may sum to slightly more than the unsplit run's: a run split
 * over more processes than it has VUs must still deliver every arrival. A segment without
 * arrivals allocates nothing.
 */
export function createArrivalRun(run: ArrivalRun, segment: Segment): Executor {
  const pacer = createRampingPacer(run.startPerSecond, run.stages);
  const hasArrivals = stripedCount(pacer.total, segment) > 0;
  const pre = hasArrivals ? shareOf(run.preAllocatedVUs, segment) : 0;
  const max = hasArrivals ? Math.max(shareOf(run.maxVUs, segment), pre, 1) : 0;
  const timeline: PlanPoint[] = [{ atMs: 0, rate: run.startPerSecond }];
  let t = 0;
  for (const s of run.stages) {
    t += s.durationMs;
    timeline.push({ atMs: t, rate: s.target });
  }
  return createArrivalRateExecutor({
    kind: run.kind,
    pacer,
    timeline,
    preAllocatedVUs: pre,
    maxVUs: max,
    gracefulStopMs: run.gracefulStopMs,
    segmentIndex: segment.index,
    segmentCount: segment.count,
  });
}

/** Creates a `ramping-arrival-rate` executor running `segment`'s share of `config`. */
export function createRampingArrivalRateExecutor(
  config: RampingArrivalRateConfig,
  segment: Segment,
): Executor {
  const perSecond = 1000 / config.timeUnit;
  return createArrivalRun({
    kind: "ramping-arrival-rate",
    startPerSecond: config.startRate * perSecond,
    stages: config.stages.map((s) => ({ target: s.target * perSecond, durationMs: s.duration })),
    preAllocatedVUs: config.preAllocatedVUs,
    maxVUs: config.maxVUs,
    gracefulStopMs: config.gracefulStop,
  }, segment);
}
