/**
 * `constant-arrival-rate`: open-loop load at a fixed `rate` per `timeUnit` for `duration`,
 * whatever the target does; arrivals that find no free VU are dropped and counted, never
 * delayed. It is the one-stage case of `ramping-arrival-rate`, so both share one scheduler
 * and one segment split, and cannot drift apart.
 *
 * @module
 */
import type { Segment } from "../types.ts";
import type { Executor } from "./executor.ts";
import type { ConstantArrivalRateConfig } from "./config.ts";
import { createArrivalRun } from "./ramping_arrival_rate.ts";

/** Creates a `constant-arrival-rate` executor running `segment`'s share of `config`. */
export function createConstantArrivalRateExecutor(
  config: ConstantArrivalRateConfig,
  segment: Segment,
): Executor {
  const perSecond = (config.rate * 1000) / config.timeUnit;
  return createArrivalRun({
    kind: "constant-arrival-rate",
    startPerSecond: perSecond,
    stages: [{ target: perSecond, durationMs: config.duration }],
    preAllocatedVUs: config.preAllocatedVUs,
    maxVUs: config.maxVUs,
    gracefulStopMs: config.gracefulStop,
  }, segment);
}
