/**
 * The summary file's schema, `rampa.summary` version 1. This zod schema is the source of truth:
 * the TypeScript type is inferred from it, files are validated against it when read back
 * (`rampa merge`, `rampa report`), and `docs/summary.schema.json` is generated from it.
 *
 * All durations are milliseconds; rates of counters are per second; a `rate` metric's `rate`
 * is the share of true samples (0–1).
 *
 * @module
 */
import { z } from "zod";

import { SUMMARY_SCHEMA, SUMMARY_VERSION } from "./schema_id.ts";

export { SUMMARY_SCHEMA, SUMMARY_VERSION };

const tags = z.record(z.string(), z.string());

/** Statistics of a trend metric. */
export const TrendStatsSchema = z.object({
  count: z.number(),
  avg: z.number(),
  min: z.number(),
  med: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
});

const counterValues = z.object({ count: z.number(), rate: z.number() });
const rateValues = z.object({
  count: z.number(),
  passes: z.number(),
  fails: z.number(),
  rate: z.number(),
});
const gaugeValues = z.object({ value: z.number(), min: z.number(), max: z.number() });

/** One metric in the summary, with its per-series breakdown. */
export const MetricSummarySchema = z.discriminatedUnion("type", [
  counterValues.extend({
    type: z.literal("counter"),
    unit: z.string().optional(),
    breakdown: z.array(counterValues.extend({ tags })),
  }),
  rateValues.extend({ type: z.literal("rate"), breakdown: z.array(rateValues.extend({ tags })) }),
  gaugeValues.extend({
    type: z.literal("gauge"),
    breakdown: z.array(gaugeValues.extend({ tags })),
  }),
  TrendStatsSchema.extend({
    type: z.literal("trend"),
    unit: z.string(),
    breakdown: z.array(TrendStatsSchema.extend({ tags })),
  }),
]);

/** One threshold's definition, in the long form a scenario's options accept. */
export const ThresholdSpecSchema = z.object({
  /** The key as written: `http_req_duration{name:/api}`, `error_rate`. */
  key: z.string(),
  expression: z.string(),
  abortOnFail: z.boolean(),
  /** A duration such as `30s`; absent when 0. */
  delayAbortEval: z.string().optional(),
  /** Absent when "fail" (the default). */
  noData: z.enum(["fail", "pass", "ignore"]).optional(),
});

/** Per-endpoint results (an endpoint is a request name and method). */
export const EndpointSchema = z.object({
  name: z.string(),
  method: z.string(),
  requests: z.number(),
  rate: z.number(),
  failed: z.number(),
  statuses: z.record(z.string(), z.number()),
  errors: z.record(z.string(), z.number()),
  duration: TrendStatsSchema,
  serviceTime: TrendStatsSchema,
});

/** The whole summary file. */
export const SummarySchema = z.object({
  schema: z.literal(SUMMARY_SCHEMA),
  schemaVersion: z.literal(SUMMARY_VERSION),
  tool: z.object({ name: z.literal("rampa"), version: z.string() }),
  run: z.object({
    startedAt: z.string(),
    endedAt: z.string(),
    durationMs: z.number(),
    status: z.enum(["completed", "interrupted", "aborted"]),
    /** Why the run ended early, when it did. */
    reason: z.string().nullable(),
    segment: z.object({ index: z.number(), count: z.number() }),
    /** The run's unique id (absent in files written before it existed, and in merges). */
    id: z.string().optional(),
    /** The resolved configuration, as the user would read it (no secrets filtering yet). */
    config: z.record(z.string(), z.unknown()),
    /**
     * The thresholds as defined (not their results), so `rampa merge` can judge them again on
     * merged data. Absent in files written before it existed.
     */
    thresholdSpecs: z.array(ThresholdSpecSchema).optional(),
  }),
  scenarios: z.array(z.object({
    name: z.string(),
    executor: z.string(),
    target: z.string().optional(),
    plannedDurationMs: z.number(),
    plannedIterations: z.number().nullable(),
    peakRate: z.number().nullable(),
    peakVUs: z.number(),
    /** The planned rate or VU curve (offset ms → rate/s or VUs), for "offered" charts. */
    plan: z.array(z.object({
      atMs: z.number(),
      rate: z.number().optional(),
      vus: z.number().optional(),
    })),
    startTimeMs: z.number(),
    started: z.number(),
    dropped: z.number(),
    interrupted: z.number(),
    /**
     * Iterations per second its plan called for, over its own scheduling window; null for a
     * closed-loop (VU) scenario, which offers no rate. Absent in files written before it existed.
     */
    offeredRate: z.number().nullable().optional(),
    /** Iterations started per second of its own scheduling window. */
    achievedRate: z.number().optional(),
    /** Requests it made (every protocol's request counter, tagged with its name). */
    requests: z.number().optional(),
    /** Requests per second of its own scheduling window. */
    requestRate: z.number().optional(),
  })),
  load: z.object({
    /** Open loop: iterations the schedule called for; null for closed loop. */
    planned: z.number().nullable(),
    started: z.number(),
    dropped: z.number(),
    interrupted: z.number(),
    /**
     * Iterations per second the schedule called for: planned arrivals over the scheduling
     * window (from the run's start to the last scenario's planned end); null when any scenario
     * is closed loop (VUs offer no rate).
     */
    offeredRate: z.number().nullable(),
    /** Iterations started per second over the same window as `offeredRate`. */
    achievedRate: z.number(),
    /**
     * Requests per second over the run's duration: the sum of the endpoints' rates (and
     * `http_reqs.rate` for HTTP). Absent in files written before it existed.
     */
    requestRate: z.number().optional(),
    /** Requests made, every protocol's request counter summed. */
    requests: z.number().optional(),
    /** False when arrivals were dropped: the planned load was not delivered. */
    delivered: z.boolean(),
    note: z.string().nullable(),
  }),
  metrics: z.record(z.string(), MetricSummarySchema),
  endpoints: z.array(EndpointSchema),
  errors: z.array(z.object({ kind: z.string(), count: z.number(), example: z.string() })),
  statuses: z.record(z.string(), z.number()),
  health: z.object({
    /** Generator CPU as a fraction of one core. */
    cpu: z.number(),
    /** Share of the run spent yielding just before due arrivals (precise timing). */
    timingSpin: z.number(),
    schedulerLag: TrendStatsSchema,
    eventLoopLag: TrendStatsSchema,
    verdict: z.enum(["trustworthy", "saturated", "load-not-delivered", "coordinated-omission"]),
    reasons: z.array(z.string()),
    /** What was seen but not held against the results (e.g. lag only in the first second). */
    notes: z.array(z.string()).optional(),
    /**
     * Connections opened during the measured run (after warm-up and pre-connect): each one's
     * connect time is inside some request's latency. Against a healthy keep-alive target, a
     * defect of the generator's pool sizing.
     */
    connectionsOpened: z.number().optional(),
  }),
  /** Per-worker shares when the run used workers (`--workers`); absent on one thread. */
  workers: z.array(z.object({
    index: z.number(),
    started: z.number(),
    dropped: z.number(),
    interrupted: z.number(),
    /** Delivered (started) iterations per second of this worker. */
    achievedRate: z.number(),
    lagP99: z.number(),
    lost: z.boolean(),
    reason: z.string().nullable(),
  })).optional(),
  thresholds: z.array(z.object({
    metric: z.string(),
    expression: z.string(),
    observed: z.number().nullable(),
    passed: z.boolean(),
    abortOnFail: z.boolean(),
    /** The key as written, when it differs from `metric` (an alias). */
    key: z.string().optional(),
    status: z.enum(["passed", "failed", "no-data", "ignored"]).optional(),
    /** Why it failed or was ignored: "no data", "aborted the run at 3s", a breached window. */
    reason: z.string().optional(),
    /** For windowed thresholds: the window length and its worst value. */
    window: z.object({ ms: z.number(), worst: z.number(), atMs: z.number() }).optional(),
    abortedAtMs: z.number().optional(),
  })),
  checks: z.array(z.object({
    name: z.string(),
    passes: z.number(),
    fails: z.number(),
    /** The most frequent failure reasons. */
    reasons: z.array(z.object({ reason: z.string(), count: z.number() })).optional(),
  })),
  /** Exceptions thrown by scenario code, by error name; the VU went on with its next iteration. */
  iterationErrors: z.array(z.object({ kind: z.string(), count: z.number(), example: z.string() })),
  verdict: z.object({
    passed: z.boolean(),
    exitCode: z.number(),
    summary: z.string(),
    /** Set when the generator's health makes the results untrustworthy, whatever passed. */
    warning: z.string().optional(),
  }),
  timeline: z.array(z.object({
    t: z.number(),
    dt: z.number(),
    requests: z.number(),
    failed: z.number(),
    iterations: z.number(),
    dropped: z.number(),
    vus: z.number(),
    p50: z.number(),
    p90: z.number(),
    p95: z.number(),
    p99: z.number(),
    max: z.number(),
    lagP99: z.number(),
    /** Event-loop lag p99 of the interval (absent in files written before it existed). */
    loopP99: z.number().optional(),
  })),
  /** Streaming outputs' deliveries (absent when the run had none). */
  outputs: z.array(z.object({
    name: z.string(),
    sent: z.number(),
    failed: z.number(),
    dropped: z.number(),
    lastError: z.string().nullable(),
  })).optional(),
  /**
   * One section per protocol the run knew: its title, its metric family in display order, and
   * its request-like metrics (what endpoints and the time series count). Reports render these
   * without knowing any protocol. Absent in files written before it existed (HTTP only).
   */
  sections: z.array(z.object({
    protocol: z.string(),
    title: z.string(),
    metrics: z.array(z.string()),
    requests: z.object({
      count: z.string(),
      failed: z.string(),
      duration: z.string(),
      serviceTime: z.string().optional(),
      corrected: z.string().optional(),
      opened: z.string().optional(),
    }).optional(),
  })).optional(),
  /** The merged metrics with encoded histograms: what `rampa merge` and reports read. */
  snapshot: z.object({
    histogram: z.object({ scale: z.number(), lowest: z.number(), significantDigits: z.number() }),
    metrics: z.array(z.object({
      name: z.string(),
      kind: z.enum(["counter", "rate", "gauge", "trend"]),
      unit: z.enum(["ms", "bytes", "none"]).optional(),
      description: z.string().optional(),
    })),
    series: z.array(z.object({
      metric: z.string(),
      tags,
      value: z.number(),
      count: z.number(),
      sum: z.number(),
      min: z.number().nullable(),
      max: z.number().nullable(),
      hdr: z.string().optional(),
    })),
  }),
});

/** A run summary, as written to `rampa-summary.json`. */
export type Summary = z.infer<typeof SummarySchema>;
/** Trend statistics as they appear in a summary. */
export type TrendSummary = z.infer<typeof TrendStatsSchema>;
/** One metric's entry in a summary. */
export type MetricSummary = z.infer<typeof MetricSummarySchema>;
/** One endpoint's entry in a summary. */
export type EndpointSummary = z.infer<typeof EndpointSchema>;
/** One protocol's section in a summary. */
export type SectionSummary = NonNullable<Summary["sections"]>[number];
/** One threshold definition as recorded in `run.thresholdSpecs`. */
export type ThresholdSpec = z.infer<typeof ThresholdSpecSchema>;
