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
  ErrorKind,
  MetricDef,
  MetricKind,
  Plan,
  PlanPoint,
  Segment,
  Tags,
} from "./core/types.ts";
export { ERROR_KINDS, WHOLE_RUN } from "./core/types.ts";
// The HTTP protocol's engine contract (what `--engine` implementations speak).
export type {
  ClientOptions,
  Engine,
  EngineClient,
  Outcome,
  Phase,
  PreparedRequest,
  RequestSpec,
} from "./engines/http/types.ts";
export { createOutcome, resetOutcome } from "./engines/http/types.ts";
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
export { check, type CheckApi, group, sleep } from "./core/scenario/api.ts";
import type { VuContext as CoreVuContext } from "./core/scenario/api.ts";
import { currentVuApi } from "./core/scenario/api.ts";
import { createHttpApi, type HttpApi } from "./engines/http/api.ts";
import { httpEngine } from "./engines/http/protocol.ts";
import { registerBuiltinProtocols } from "./engines/registry.ts";
import { createWsApi, type WsApi } from "./engines/ws/api.ts";
import { createSseApi, type SseApi } from "./engines/sse/api.ts";
import { createGrpcApi, type GrpcApi } from "./engines/grpc/api.ts";
export type { GrpcApi, GrpcConnectOptions } from "./engines/grpc/api.ts";
export type {
  GrpcBidiStream,
  GrpcCallOptions,
  GrpcClient,
  GrpcClientStream,
  GrpcMetadata,
  GrpcResponse,
  GrpcStatus,
  GrpcStream,
} from "./engines/grpc/client.ts";
export type { WsApi, WsConnectOptions } from "./engines/ws/api.ts";
export type { WsClose, WsMessage, WsSession } from "./engines/ws/session.ts";
export type { SseApi, SseConnectOptions, SseEvent, SseStream } from "./engines/sse/api.ts";
export type { CheckFn } from "./core/scenario/checks.ts";
export {
  type BatchRequest,
  type HttpApi,
  type HttpBody,
  type HttpRequestOptions,
  HttpResponse,
  type HttpTimings,
  setExpectedStatuses,
} from "./engines/http/api.ts";
export type { ExpectedStatus } from "./engines/http/expected.ts";
export { Counter, Gauge, Rate, Trend } from "./core/scenario/custom_metrics.ts";
export { Dataset, dataset, type DatasetOptions, type PickMode } from "./core/scenario/dataset.ts";
export type { OptionsLayer as Options } from "./core/scenario/options.ts";
export type {
  CommonScenarioFields,
  ConstantArrivalRateScenario,
  ConstantVusScenario,
  Duration,
  PerVuIterationsScenario,
  RampingArrivalRateScenario,
  RampingVusScenario,
  ScenarioConfig,
  SharedIterationsScenario,
} from "./core/executors/scenario_types.ts";

/**
 * What a scenario function receives: the VU's number, iteration, env, data, `check`, `group`
 * and `sleep`, plus one entry per built-in protocol (`http`). A protocol registered by the
 * scenario itself is on the context under its key too (`ctx[key]`).
 */
export interface VuContext extends CoreVuContext {
  /** The VU's HTTP client. */
  readonly http: HttpApi;
  /** The VU's WebSocket client (sessions belong to the iteration that opened them). */
  readonly ws: WsApi;
  /** The VU's server-sent-events client. */
  readonly sse: SseApi;
  /** The VU's gRPC client (channels reused across the VU's iterations). */
  readonly grpc: GrpcApi;
}

/** The WebSocket client of whichever VU is running (k6's `k6/ws`). */
export const ws: WsApi = currentVuApi("ws", createWsApi);

/** The server-sent-events client of whichever VU is running. */
export const sse: SseApi = currentVuApi("sse", createSseApi);

/** The gRPC client of whichever VU is running (k6's `k6/net/grpc`). */
export const grpc: GrpcApi = currentVuApi("grpc", createGrpcApi);

/** The HTTP client of whichever VU is running (k6's module-level `http`). */
export const http: HttpApi = currentVuApi("http", (vu) => createHttpApi(vu, httpEngine));

// Protocol plug-ins: a scenario (or a library it imports) may add its own protocol.
export { registeredProtocols, registerProtocol } from "./core/protocol/registry.ts";
export type {
  AdHocContext,
  AdHocRequest,
  Protocol,
  ProtocolSection,
  RequestFamily,
  Runtime,
  VuExtension,
  VuState,
} from "./core/protocol/types.ts";
export {
  addCounter,
  addRate,
  addTrend,
  MetricRegistry,
  setGauge,
} from "./core/metrics/registry.ts";
export { type EvidenceLog } from "./core/run/evidence.ts";
export type { ScenarioRun } from "./core/run/runner.ts";

// Importing "rampa" makes the built-in protocols known in this thread (scenario files are
// imported by every load thread; setup() runs on the main thread, which registered them too).
registerBuiltinProtocols();
