/**
 * Thresholds: pass/fail criteria on a run's metrics, in the syntax k6 users know
 * (`p(99)<500`), with units (`500ms`, `1%`), SLO-style aliases (`error_rate`, `rps`, `p99`),
 * sliding windows (`over 30s`) and an explicit policy for metrics that never saw a sample.
 *
 * Thresholds are type-checked against the run's metric definitions before any load is sent;
 * every problem is reported at once in one ConfigError. During the run, the evaluator is fed
 * each tick and says when an `abortOnFail` threshold should stop it; at the end it judges
 * every threshold on the merged total.
 *
 * @example
 * ```ts
 * import { parseThresholdFlag, parseThresholds, ThresholdEvaluator } from "./mod.ts";
 * import { CORE_METRICS } from "../metrics/builtin.ts";
 * import { createSnapshot } from "../metrics/snapshot.ts";
 *
 * // Core metrics plus what the run's protocols register (here one HTTP metric).
 * const metrics = new Map([
 *   ...CORE_METRICS.map((m) => [m.name, m] as const),
 *   ["http_req_duration", { name: "http_req_duration", kind: "trend", unit: "ms" }] as const,
 *   ["http_req_failed", { name: "http_req_failed", kind: "rate" }] as const,
 * ]);
 * const aliases = { error_rate: { metric: "http_req_failed", aggregation: "rate" } } as const;
 * const thresholds = parseThresholds({
 *   error_rate: ["< 1%"],
 *   http_req_duration: [
 *     "p99 < 500ms",
 *     { threshold: "p(95) < 300ms over 30s", abortOnFail: true, delayAbortEval: "1m" },
 *   ],
 *   "http_req_duration{name:/api}": ["avg < 200"],
 * }, metrics, aliases);
 *
 * // The CLI form: `--threshold 'http_req_duration{name:/api}: p(99)<500ms'`.
 * const { key, expression } = parseThresholdFlag("http_req_duration{name:/api}: p(99)<500ms");
 * parseThresholds({ [key]: [expression] }, metrics);
 *
 * const evaluator = new ThresholdEvaluator(thresholds);
 * const total = createSnapshot();
 * // on every tick: const { abort } = evaluator.onTick(tick.elapsedMs, tick.delta, tick.total);
 * const results = evaluator.results(total); // each fits the summary's `thresholds` items
 * ```
 *
 * @module
 */
export type {
  Aggregation,
  NoDataPolicy,
  Operator,
  Threshold,
  ThresholdOptions,
  ThresholdResult,
  ThresholdsInput,
  ThresholdStatus,
  WindowResult,
} from "./types.ts";
export { type KeyAliases, parseThresholds } from "./parser.ts";
export { type ParsedKey, parseThresholdFlag, parseThresholdKey } from "./key.ts";
export { type ThresholdAbort, ThresholdEvaluator, type TickVerdict } from "./evaluator.ts";
export { type ExpressionParts, parseExpression, TIME_UNITS_MS } from "./expression.ts";
