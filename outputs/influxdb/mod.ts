/**
 * The InfluxDB output (`--out influxdb=http://host:8086/DB`, 1.x; `?token=&org=&bucket=`
 * for 2.x).
 *
 * @example
 * ```ts
 * import { createInfluxOutput } from "./mod.ts";
 * const out = createInfluxOutput("http://127.0.0.1:8086/rampa", {
 *   intervalMs: 5_000,
 *   required: false,
 * });
 * ```
 *
 * @module
 */
export { createInfluxOutput, type InfluxOptions, type InfluxOutput } from "./influxdb_output.ts";
export { escapeMeasurement, escapeTag, intervalLines } from "./line_protocol.ts";
