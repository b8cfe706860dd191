/**
 * The OpenTelemetry output (`--out otlp=http://host:4318/v1/metrics`, OTLP/HTTP protobuf or
 * `?encoding=json`).
 *
 * @example
 * ```ts
 * import { createOtlpOutput } from "./mod.ts";
 * const out = createOtlpOutput("http://127.0.0.1:4318/v1/metrics", {
 *   intervalMs: 5_000,
 *   required: false,
 * });
 * ```
 *
 * @module
 */
export {
  createOtlpOutput,
  type OtlpOptions,
  type OtlpOutput,
  parseEncoding,
  requestOf,
} from "./otlp_output.ts";
export { exportMetricsServiceRequest } from "./otlp_proto.ts";
