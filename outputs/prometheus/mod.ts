/**
 * The Prometheus remote write output (`--out prometheus=http://host:9090/api/v1/write`).
 *
 * @example
 * ```ts
 * import { createPrometheusOutput } from "./mod.ts";
 * const out = createPrometheusOutput("http://127.0.0.1:9090/api/v1/write", {
 *   intervalMs: 5_000,
 *   required: false,
 * });
 * ```
 *
 * @module
 */
export {
  createPrometheusOutput,
  DEFAULT_BUCKETS,
  NATIVE_SCHEMA,
  nativeHistogramOf,
  type PrometheusOptions,
  promName,
  seriesOf,
  type StreamingOutput,
} from "./prometheus_output.ts";
export { decodeWriteRequest, encodeWriteRequest } from "./remote_write.ts";
