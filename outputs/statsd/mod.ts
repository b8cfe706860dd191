/**
 * The StatsD and DogStatsD outputs (`--out statsd=host:8125`, `--out datadog=host:8125`).
 *
 * @example
 * ```ts
 * import { createStatsdOutput } from "./mod.ts";
 * const out = createStatsdOutput("127.0.0.1:8125", {
 *   flavor: "datadog",
 *   intervalMs: 1_000,
 *   required: false,
 * });
 * ```
 *
 * @module
 */
export {
  createStatsdOutput,
  DEFAULT_MTU,
  parseHostPort,
  type StatsdOptions,
  type StatsdOutput,
} from "./statsd_output.ts";
export { packLines, type StatsdFlavor, statsdLines, statsdName } from "./lines.ts";
