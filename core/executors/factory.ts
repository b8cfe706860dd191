/**
 * Turns a validated executor config into an {@link Executor} for one segment of the run. Kept
 * apart from the zod schemas in config.ts so that runs which build configs themselves (ad-hoc
 * `rampa run <url>`) never load zod: start-up time is a feature of a load generator.
 *
 * @module
 */
import type { Segment } from "../types.ts";
import { shareOf } from "../schedule/segment.ts";
import type { Executor } from "./executor.ts";
import type { ConstantVusScenarioConfig, ExecutorConfig } from "./config.ts";
import type { ExecutorKind } from "./kinds.ts";
import { createConstantVusExecutor } from "./constant_vus.ts";
import { createConstantArrivalRateExecutor } from "./constant_arrival_rate.ts";
import { createRampingArrivalRateExecutor } from "./ramping_arrival_rate.ts";
import { createRampingVusExecutor } from "./ramping_vus.ts";
import { createPerVuIterationsExecutor } from "./per_vu_iterations.ts";
import { createSharedIterationsExecutor } from "./shared_iterations.ts";

/** The segment's share of `constant-vus`; the executor itself predates configs. */
function constantVusFor(c: ConstantVusScenarioConfig, segment: Segment): Executor {
  const vus = shareOf(c.vus, segment);
  return createConstantVusExecutor({ vus, durationMs: c.duration, gracefulStopMs: c.gracefulStop });
}

/** Static map (keeps `deno compile` honest); registering an executor is one line here. */
const FACTORIES: {
  [K in ExecutorKind]: (c: Extract<ExecutorConfig, { executor: K }>, s: Segment) => Executor;
} = {
  "constant-arrival-rate": createConstantArrivalRateExecutor,
  "ramping-arrival-rate": createRampingArrivalRateExecutor,
  "constant-vus": constantVusFor,
  "ramping-vus": createRampingVusExecutor,
  "per-vu-iterations": createPerVuIterationsExecutor,
  "shared-iterations": createSharedIterationsExecutor,
};

/** Creates the executor for `config`, running only `segment`'s slice of it. */
export function createExecutor(config: ExecutorConfig, segment: Segment): Executor {
  const factory = FACTORIES[config.executor] as (c: ExecutorConfig, s: Segment) => Executor;
  return factory(config, segment);
}
