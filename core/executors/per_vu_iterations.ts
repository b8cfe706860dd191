/**
 * `per-vu-iterations`: every VU runs exactly `iterations` iterations (or stops at
 * `maxDuration`), the model for "each simulated user does the journey N times". It is
 * constant-vus with a per-VU limit, so it reuses that loop; a segment runs shareOf(vus) VUs,
 * each still doing all of its iterations, so the segments sum to vus × iterations.
 *
 * @module
 */
import type { Plan, Segment } from "../types.ts";
import { shareOf } from "../schedule/segment.ts";
import { createConstantVusExecutor } from "./constant_vus.ts";
import type { ExecutionContext, Executor, ExecutorResult } from "./executor.ts";
import type { PerVuIterationsConfig } from "./config.ts";

/** Creates a `per-vu-iterations` executor running `segment`'s share of `config`. */
export function createPerVuIterationsExecutor(
  config: PerVuIterationsConfig,
  segment: Segment,
): Executor {
  const vus = shareOf(config.vus, segment);
  const loop = createConstantVusExecutor({
    vus,
    durationMs: config.maxDuration,
    gracefulStopMs: config.gracefulStop,
    iterationsPerVu: config.iterations,
  });
  return {
    kind: "per-vu-iterations",
    plan(): Plan {
      return {
        executor: "per-vu-iterations",
        durationMs: config.maxDuration,
        plannedIterations: vus * config.iterations,
        peakRate: null,
        peakVUs: vus,
        timeline: [{ atMs: 0, vus }, { atMs: config.maxDuration, vus: 0 }],
      };
    },
    run(ctx: ExecutionContext): Promise<ExecutorResult> {
      return loop.run(ctx);
    },
  };
}
