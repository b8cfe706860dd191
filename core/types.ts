/**
 * The protocol-neutral contracts every part of rampa is built against: error kinds, metric
 * kinds and definitions, tags, segments and plans. Protocol contracts (an HTTP request's
 * Outcome and Engine) live with their protocol under `engines/`. This file has no dependencies so
 * that engines, outputs and workers can share it without dragging in anything else.
 *
 * All times are milliseconds on the monotonic `performance.now()` clock of the process (or
 * worker) that measured them; only durations derived from them leave that process.
 *
 * @module
 */

/**
 * Why a request, call or session failed below its protocol's own status (HTTP statuses and
 * gRPC status codes are values, not errors). Every protocol tags failures with these kinds,
 * so one `error` tag means the same across HTTP, WebSocket and gRPC.
 */
export type ErrorKind =
  | "refused"
  | "dns"
  | "reset"
  | "timeout"
  | "tls"
  | "malformed"
  | "aborted"
  | "other";

/** Every error kind, in the order summaries list them. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  "refused",
  "dns",
  "reset",
  "timeout",
  "tls",
  "malformed",
  "aborted",
  "other",
];

/** Metric kinds, with k6's meanings. */
export type MetricKind = "counter" | "rate" | "gauge" | "trend";

/** A metric's static description. */
export interface MetricDef {
  readonly name: string;
  readonly kind: MetricKind;
  /** For trends: the unit of recorded values. Time trends are recorded in ms. */
  readonly unit?: "ms" | "bytes" | "none";
  readonly description?: string;
}

/** Tag set of a series. Values are low-cardinality by design (never a full URL or VU id). */
export type Tags = Readonly<Record<string, string>>;

/**
 * A slice of a run: segment `index` of `count` equal segments. Arrival-rate executors take
 * every `count`-th arrival starting at `index`; VU executors take their share of VUs. The same
 * mechanism splits a run across workers and across hosts, and the union of all segments is
 * exactly the unsplit run.
 */
export interface Segment {
  readonly index: number;
  readonly count: number;
}

/** The whole run, unsplit. */
export const WHOLE_RUN: Segment = { index: 0, count: 1 };

/** One point of an executor's plan, for `--dry-run` and reports. */
export interface PlanPoint {
  /** Offset from the scenario start, ms. */
  atMs: number;
  /** Target arrival rate per second at that point (arrival-rate executors). */
  rate?: number;
  /** Target VUs at that point (VU executors). */
  vus?: number;
}

/** An executor's resolved plan. */
export interface Plan {
  executor: string;
  /** Planned duration without graceful stop, ms. */
  durationMs: number;
  /** Planned iterations when known in advance (arrival-rate and iteration executors). */
  plannedIterations: number | null;
  peakRate: number | null;
  peakVUs: number;
  timeline: PlanPoint[];
}
