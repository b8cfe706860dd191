/**
 * Load models: k6's six executors behind one seam. A scenario's executor config is validated
 * (every issue at once, each with its path), then turned into an {@link Executor} for this
 * process's segment of the run; `plan()` describes it for `--dry-run`, `run(ctx)` drives
 * iterations through the runner's {@link ExecutionContext}.
 *
 * @example
 * ```ts
 * import { createExecutor, validateExecutorConfig } from "./mod.ts";
 *
 * const { config, issues } = validateExecutorConfig({
 *   executor: "ramping-vus",
 *   stages: [{ target: 20, duration: "30s" }, { target: 0, duration: "10s" }],
 * }, "scenarios.browse");
 * if (!config) throw new Error(issues.join("\n"));
 * const plan = createExecutor(config, { index: 0, count: 1 }).plan();
 * console.log(plan.peakVUs); // 20
 * ```
 *
 * @module
 */
export type { ExecutionContext, Executor, ExecutorResult } from "./executor.ts";
export { InFlight } from "./executor.ts";
export {
  type ConstantArrivalRateConfig,
  type ConstantVusScenarioConfig,
  type ExecutorConfig,
  ExecutorConfigSchema,
  type PerVuIterationsConfig,
  type RampingArrivalRateConfig,
  type RampingVusConfig,
  type SharedIterationsConfig,
  validateExecutorConfig,
} from "./config.ts";
export { createExecutor } from "./factory.ts";
export { EXECUTOR_KINDS, type ExecutorKind } from "./kinds.ts";
export { type ArrivalRateConfig, createArrivalRateExecutor } from "./arrival_rate.ts";
export { type ConstantVusConfig, createConstantVusExecutor } from "./constant_vus.ts";
export { createConstantArrivalRateExecutor } from "./constant_arrival_rate.ts";
export {
  type ArrivalRun,
  createArrivalRun,
  createRampingArrivalRateExecutor,
} from "./ramping_arrival_rate.ts";
export {
  createRampingVusExecutor,
  rampingVusSteps,
  vusAt,
  type VuStage,
  type VuStep,
} from "./ramping_vus.ts";
export { createPerVuIterationsExecutor } from "./per_vu_iterations.ts";
export { createSharedIterationsExecutor, sharedIterationsShare } from "./shared_iterations.ts";
