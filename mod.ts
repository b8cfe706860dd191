/**
 * rampa's public library surface: the contracts (outcomes, engines, executors, outputs), the
 * summary schema, snapshot merging, unit parsing and exit codes. User scenario files import
 * from here as `"rampa"`.
 *
 * @example
 * ```ts
 * import { parseRate, perSecond } from "rampa";
 * perSecond(parseRate("6000/1m")); // 100
 * ```
 *
 * @module
 */
export type {
  ClientOptions,
  Engine,
  EngineClient,
  ErrorKind,
  MetricDef,
  MetricKind,
  Outcome,
  Phase,
  Plan,
  PlanPoint,
  PreparedRequest,
  RequestSpec,
  Segment,
  Tags,
} from "./core/types.ts";
export { createOutcome, ERROR_KINDS, resetOutcome, WHOLE_RUN } from "./core/types.ts";
export { ConfigError, ExitCode, type ExitCodeValue, RampaError } from "./core/errors.ts";
export {
  formatDuration,
  parseDuration,
  parseRate,
  perSecond,
  type Rate as ParsedRate,
} from "./core/units.ts";
export { VERSION } from "./core/version.ts";
export type { ExecutionContext, Executor, ExecutorResult } from "./core/executors/executor.ts";
export type { Output, RunInfo, Tick } from "./core/run/output.ts";
export {
  decodeSnapshot,
  type EncodedSnapshot,
  encodeSnapshot,
  mergeSnapshot,
  type Snapshot,
} from "./core/metrics/snapshot.ts";
export {
  type Summary,
  SUMMARY_SCHEMA,
  SUMMARY_VERSION,
  SummarySchema,
} from "./core/summary/schema.ts";

// Scenario API: what user scenario files import as "rampa".
export { check, type CheckApi, group, http, sleep, type VuContext } from "./core/scenario/api.ts";
export type { CheckFn } from "./core/scenario/checks.ts";
export {
  type HttpApi,
  type HttpBody,
  type HttpRequestOptions,
  HttpResponse,
  type HttpTimings,
} from "./core/scenario/http_api.ts";
export { Counter, Gauge, Rate, Trend } from "./core/scenario/custom_metrics.ts";
export { Dataset, dataset, type DatasetOptions, type PickMode } from "./core/scenario/dataset.ts";
export type { OptionsLayer as Options } from "./core/scenario/options.ts";
