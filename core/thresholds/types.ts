/**
 * The shapes of the threshold language: what users write, what the parser resolves it to, and
 * what the evaluator reports. Kept apart from the parser and the evaluator so that config
 * loading, the runner and outputs can share them without importing either.
 *
 * @module
 */
import type { MetricKind, Tags } from "../types.ts";

/** Comparison operators, in the form users type them. */
export type Operator = "<" | "<=" | ">" | ">=" | "==" | "!=";

/**
 * What a threshold measures. Percentiles are `"p"` with the rank in
 * {@link Threshold.percentile}, so `p(99)`, `p99` and `p(99.0)` all compare equal.
 */
export type Aggregation = "count" | "rate" | "value" | "avg" | "min" | "max" | "med" | "p";

/**
 * What a threshold does when its metric (with its tag filter) never received a sample: a
 * threshold on a misspelt tag value would otherwise pass silently, so the default is `"fail"`.
 */
export type NoDataPolicy = "fail" | "pass" | "ignore";

/** The long form of one threshold, for the options a bare expression string cannot carry. */
export interface ThresholdOptions {
  /** The expression, e.g. `p(99)<500ms over 30s`. */
  threshold: string;
  /**
   * Stop the run as soon as the threshold is breached (checked on every tick).
   * @default false
   */
  abortOnFail?: boolean;
  /**
   * A duration (`30s`) before which abort checks are skipped, so a cold start cannot abort.
   * @default "0"
   */
  delayAbortEval?: string;
  /**
   * What happens when the metric never received a sample.
   * @default "fail"
   */
  noData?: NoDataPolicy;
}

/**
 * Thresholds as configured: keys are `metric` or `metric{tag:value,…}` (or the aliases
 * `error_rate` and `rps`), each with one or more expressions.
 */
export type ThresholdsInput = Readonly<
  Record<string, string | ThresholdOptions | ReadonlyArray<string | ThresholdOptions>>
>;

/** One threshold, resolved and type-checked against the run's metric definitions. */
export interface Threshold {
  /** The key as written (`error_rate`, `http_req_duration{name:/api}`). */
  readonly key: string;
  /** The metric the key resolved to (aliases resolved). */
  readonly metric: string;
  /** The metric's kind, so evaluation needs no metric map. */
  readonly kind: MetricKind;
  /** The tag filter: a series matches when its tags include every pair. */
  readonly tags: Tags;
  /** The expression as written. */
  readonly expression: string;
  readonly aggregation: Aggregation;
  /** The percentile rank (0, 100] when `aggregation` is `"p"`, else null. */
  readonly percentile: number | null;
  readonly op: Operator;
  /** The bound, normalised: ms for time trends, a fraction (0–1) for rates. */
  readonly value: number;
  /** Sliding window length in ms, or null for the whole run. */
  readonly windowMs: number | null;
  readonly abortOnFail: boolean;
  /** Abort checks are skipped before this much elapsed time, ms. */
  readonly delayAbortEvalMs: number;
  readonly noData: NoDataPolicy;
}

/** How a threshold ended. */
export type ThresholdStatus = "passed" | "failed" | "no-data" | "ignored";

/** The worst sliding window of a windowed threshold. */
export interface WindowResult {
  /** Window length, ms. */
  ms: number;
  /** The window value furthest on the failing side of the bound. */
  worst: number;
  /** Elapsed ms at the end of that window. */
  atMs: number;
}

/**
 * A threshold's outcome, shaped to be an item of the summary's `thresholds` array (the first
 * five fields are that schema's; the rest are optional additions).
 */
export interface ThresholdResult {
  /** The resolved metric with its tag filter, e.g. `http_req_failed{name:/api}`. */
  metric: string;
  /** The expression as written. */
  expression: string;
  /** The value that decided the outcome (the worst window for windowed thresholds). */
  observed: number | null;
  /** False when the threshold failed; true when it passed or was ignored. */
  passed: boolean;
  abortOnFail: boolean;
  /** The key as written, when it differs from `metric` (an alias, differently spelt tags). */
  key?: string;
  status?: ThresholdStatus;
  /** Why it failed or was ignored, for people: "no data", "aborted the run at 12.0s". */
  reason?: string;
  window?: WindowResult;
  /** Elapsed ms when this threshold aborted the run. */
  abortedAtMs?: number;
}
