/**
 * The scenario configs a scenario author writes in `options.scenarios`, one interface per
 * executor, discriminated on `executor`. They are plain types (no zod) so that the declaration
 * file `rampa types` prints stays self-contained; `config.ts` proves at compile time that they
 * equal `z.input` of the executor schemas, so the validator and the types cannot drift.
 *
 * @example
 * ```ts
 * import type { ScenarioConfig } from "./scenario_types.ts";
 *
 * const s: ScenarioConfig = {
 *   executor: "constant-arrival-rate",
 *   rate: 50,
 *   duration: "1m",
 *   preAllocatedVUs: 20,
 * };
 * ```
 *
 * @module
 */

/** A duration: a string such as `"30s"` or `"2m30s"`, or a number of milliseconds. */
export type Duration = string | number;

/** Fields every scenario accepts, whatever its executor. */
export interface CommonScenarioFields {
  /** When the scenario starts, from the start of the run. @default "0s" */
  startTime?: Duration;
  /** Time in-flight iterations get after the scenario's end. @default "30s" */
  gracefulStop?: Duration;
  /** The exported function the scenario runs. @default "default" */
  exec?: string;
  /** Tags added to every sample of the scenario. */
  tags?: Record<string, string>;
  /** Environment seen by the scenario's VUs (beside `--env`). */
  env?: Record<string, string>;
}

/** Open loop: `rate` iterations per `timeUnit`, for `duration`. */
export interface ConstantArrivalRateScenario extends CommonScenarioFields {
  executor: "constant-arrival-rate";
  /** Iterations per `timeUnit` (greater than 0). */
  rate: number;
  /** @default "1s" */
  timeUnit?: Duration;
  duration: Duration;
  /** VUs created before the start. */
  preAllocatedVUs: number;
  /** @default preAllocatedVUs */
  maxVUs?: number;
}

/** Open loop with a rate ramped through stages. */
export interface RampingArrivalRateScenario extends CommonScenarioFields {
  executor: "ramping-arrival-rate";
  /** @default 0 */
  startRate?: number;
  /** @default "1s" */
  timeUnit?: Duration;
  /** Each stage ramps linearly to `target` iterations per `timeUnit` over `duration`. */
  stages: { target: number; duration: Duration }[];
  preAllocatedVUs: number;
  /** @default preAllocatedVUs */
  maxVUs?: number;
}

/** Closed loop: `vus` VUs iterating back to back for `duration`. */
export interface ConstantVusScenario extends CommonScenarioFields {
  executor: "constant-vus";
  vus: number;
  duration: Duration;
}

/** Closed loop with the number of VUs ramped through stages. */
export interface RampingVusScenario extends CommonScenarioFields {
  executor: "ramping-vus";
  /** @default 1 */
  startVUs?: number;
  /** Each stage ramps linearly to `target` VUs over `duration`. */
  stages: { target: number; duration: Duration }[];
  /** @default "30s" */
  gracefulRampDown?: Duration;
}

/** Each of `vus` VUs runs `iterations` iterations. */
export interface PerVuIterationsScenario extends CommonScenarioFields {
  executor: "per-vu-iterations";
  vus: number;
  iterations: number;
  /** @default "10m" */
  maxDuration?: Duration;
}

/** `iterations` iterations shared by `vus` VUs. */
export interface SharedIterationsScenario extends CommonScenarioFields {
  executor: "shared-iterations";
  vus: number;
  iterations: number;
  /** @default "10m" */
  maxDuration?: Duration;
}

/** One entry of `options.scenarios`, discriminated on `executor`. */
export type ScenarioConfig =
  | ConstantArrivalRateScenario
  | RampingArrivalRateScenario
  | ConstantVusScenario
  | RampingVusScenario
  | PerVuIterationsScenario
  | SharedIterationsScenario;
