/**
 * Builds the summary of a finished run: the snapshot's description plus load delivery,
 * generator health and the verdict. Pure: everything it needs is passed in.
 *
 * @module
 */
import type { PlannedScenario } from "../run/runner.ts";
import { encodeSnapshot, selectSeries, type Snapshot } from "../metrics/snapshot.ts";
import {
  decideVerdict,
  DEFAULT_POLICY,
  type EarlyEnd,
  type LateFailure,
  type VerdictPolicy,
} from "./verdict.ts";
import { type Evidence, topReasons } from "../run/evidence.ts";
import type { TimelinePoint } from "../run/timeline.ts";
import type { ProtocolSection } from "../protocol/types.ts";
import { protocolSections } from "../protocol/registry.ts";
import type { Segment } from "../types.ts";
import { describeSnapshot, requestCounts, requestFamilies, trendOf } from "./describe.ts";
import type { Summary, ThresholdSpec } from "./schema.ts";
import { SUMMARY_SCHEMA, SUMMARY_VERSION } from "./schema_id.ts";
import type { Threshold } from "../thresholds/types.ts";

/** Scheduler lag p99 above which latencies include generator delay. */
export const SATURATION_LAG_P99_MS = 5;
/** Event loop lag p99 above which the generator is considered overloaded. */
export const SATURATION_LOOP_LAG_P99_MS = 20;
/** CPU share of one core above which the generator is considered saturated. */
export const SATURATION_CPU = 0.9;

/** The measured facts of a run, whoever ran it (one thread, workers, hosts). */
export interface RunFacts {
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** Elapsed ms, monotonic. */
  readonly durationMs: number;
  /** True when a stop ended the run before its plan did. */
  readonly stopped: boolean;
  /** Everything recorded, merged exactly. */
  readonly total: Snapshot;
  readonly timeline: readonly TimelinePoint[];
  /** Generator CPU use as a fraction of one core over the run. */
  readonly cpu: number;
  /** Share of the run spent yielding just before due arrivals (precise timing's CPU cost). */
  readonly spin: number;
}

/** What the summary is built from. */
export interface SummaryInput {
  readonly version: string;
  readonly result: RunFacts;
  /** The planned scenarios, in order (their results are in `evidence.scenarios`). */
  readonly plans: readonly PlannedScenario[];
  /** Everything known besides the snapshot, merged over every load thread. */
  readonly evidence: Evidence;
  readonly segment: Segment;
  readonly config: Record<string, unknown>;
  /** The run's id. */
  readonly runId?: string;
  /** Protocol sections to describe (default: every registered protocol's). */
  readonly sections?: readonly (ProtocolSection & { protocol: string })[];
  /** Failures found after the load (teardown, lost workers), in order of importance. */
  readonly late?: readonly LateFailure[];
  /** Set when something other than the plan ended the run. */
  readonly endedBy?: EarlyEnd | null;
  /** Threshold results, judged on the merged total. */
  readonly thresholds?: Summary["thresholds"];
  /** The thresholds as defined, recorded in `run.thresholdSpecs` so `rampa merge` can re-judge. */
  readonly thresholdDefs?: readonly Threshold[];
  /** Besides thresholds, what fails the run. */
  readonly policy?: VerdictPolicy;
  /** Per-worker shares, when the run used workers. */
  readonly workers?: readonly WorkerShare[];
}

/** One worker's share of a run, as the worker pool reports it. */
export interface WorkerShare {
  index: number;
  started: number;
  dropped: number;
  interrupted: number;
  lagP99: number;
  lost: boolean;
  reason: string | null;
}

/** Builds the summary of a run. */
export function buildSummary(input: SummaryInput): Summary {
  const r = input.result;
  const seconds = r.durationMs / 1000;
  const sections = input.sections ?? protocolSections();
  const d = describeSnapshot(
    r.total,
    seconds,
    requestFamilies(sections),
  );
  const ev = input.evidence;
  const scenarios = input.plans.map((p) => ({
    ...p,
    result: ev.scenarios[p.name] ?? { started: 0, dropped: 0, interrupted: 0, stopped: false },
  }));

  let planned: number | null = 0;
  let started = 0;
  let dropped = 0;
  let interrupted = 0;
  let offered: number | null = 0;
  let schedMs = 0;
  for (const s of scenarios) {
    started += s.result.started;
    dropped += s.result.dropped;
    interrupted += s.result.interrupted;
    // The window runs to the last planned end, start times included: scenarios one after
    // the other offer their arrivals over the whole window, not each over its own.
    schedMs = Math.max(schedMs, s.startTimeMs + s.plan.durationMs);
    if (planned !== null && openLoop(s.plan)) planned += s.plan.plannedIterations ?? 0;
    else planned = null;
  }
  // Offered and achieved are counted over the same window: planned and started iterations over
  // the scheduling window (not the graceful drain after it), so their ratio is delivery.
  if (planned !== null) offered = schedMs > 0 ? (planned * 1000) / schedMs : 0;
  else offered = null;
  const window = Math.min(r.durationMs, schedMs || r.durationMs) / 1000;
  const achieved = window > 0 ? started / window : 0;
  const requests = requestCounts(d.metrics, requestFamilies(sections));
  const delivered = dropped === 0 && (planned === null || r.stopped || started >= planned);
  const note = dropped > 0
    ? `The planned load was not delivered: ${n(dropped)} of ${n(started + dropped)} arrivals (${
      pct(dropped, started + dropped)
    }) were dropped because every VU was busy` +
      " (raise --max-in-flight or maxVUs)."
    : null;

  const lag = trendOf(r.total, "scheduler_lag");
  const loop = trendOf(r.total, "event_loop_lag");
  const reasons: string[] = [];
  const notes: string[] = [];
  if (dropped > 0) reasons.push(`${dropped} arrivals dropped`);
  // Lag confined to the first second of load is start-up (thread creation, the JIT compiling
  // the hot path): said in the notes, not held against results that were on time ever after.
  // The intervals before the load threads' first delta (the start margin) carry nothing and
  // are not that second.
  const first = r.timeline.findIndex((p) => p.iterations > 0 || p.requests > 0 || p.lagP99 > 0);
  const startUpOnly = (key: "lagP99" | "loopP99", bound: number) =>
    first >= 0 && r.timeline.length - first >= 3 &&
    r.timeline.slice(first + 1).every((p) => (p[key] ?? Infinity) <= bound);
  if (lag.p99 > SATURATION_LAG_P99_MS) {
    const text = `scheduler lag p99 ${lag.p99.toFixed(2)} ms > ${SATURATION_LAG_P99_MS} ms`;
    if (startUpOnly("lagP99", SATURATION_LAG_P99_MS)) {
      notes.push(
        `${text}, all of it in the first second (start-up): later seconds stayed under the bound`,
      );
    } else reasons.push(text);
  }
  if (loop.p99 > SATURATION_LOOP_LAG_P99_MS) {
    const text = `event loop lag p99 ${loop.p99.toFixed(1)} ms > ${SATURATION_LOOP_LAG_P99_MS} ms`;
    if (startUpOnly("loopP99", SATURATION_LOOP_LAG_P99_MS)) {
      notes.push(
        `${text}, all of it in the first second (start-up): later seconds stayed under the bound`,
      );
    } else reasons.push(text);
  }
  // Precise timing yields near due times and so looks busy; only CPU that is not spent waiting
  // for the schedule counts as load on the generator.
  // Under a tenth of a second (a run stopped at its start) CPU shares are clock granularity.
  if (r.cpu > SATURATION_CPU && r.spin < 0.1 && r.durationMs >= 100) {
    reasons.push(`generator CPU ${(r.cpu * 100).toFixed(0)}% of a core`);
  }
  const omission = omissionReasons(r.total, sections);
  let opened = 0;
  for (const s of sections) {
    const m = s.requests?.opened;
    if (m) { for (const d of selectSeries(r.total, m)) opened += d.value; }
  }
  if (opened > 0) {
    notes.push(
      `${opened} connection${opened > 1 ? "s were" : " was"} opened during the run: ` +
        "their connect time is inside request latencies (the target closed connections, or " +
        "the load needed more than the pre-opened pool)",
    );
  }
  if (ev.rehearsed > 0) {
    notes.push(
      `${n(ev.rehearsed)} requests were rehearsed on a stand-in inside rampa before the clock ` +
        "(none reached the target, none is in these results; --no-rehearsal turns it off)",
    );
  }
  const verdict = dropped > 0
    ? "load-not-delivered"
    : reasons.length
    ? "saturated"
    : omission.length
    ? "coordinated-omission"
    : "trustworthy";
  reasons.push(...omission);

  const status = input.endedBy?.status ?? "completed";

  const summary: Summary = {
    schema: SUMMARY_SCHEMA,
    schemaVersion: SUMMARY_VERSION,
    tool: { name: "rampa", version: input.version },
    run: {
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt.toISOString(),
      durationMs: r.durationMs,
      status,
      reason: input.endedBy?.reason ?? null,
      segment: { index: input.segment.index, count: input.segment.count },
      ...(input.runId ? { id: input.runId } : {}),
      config: input.config,
      ...(input.thresholdDefs ? { thresholdSpecs: thresholdSpecsOf(input.thresholdDefs) } : {}),
    },
    scenarios: scenarios.map((s) => ({
      name: s.name,
      executor: s.plan.executor,
      ...(s.target ? { target: s.target } : {}),
      plannedDurationMs: s.plan.durationMs,
      plannedIterations: s.plan.plannedIterations,
      peakRate: s.plan.peakRate,
      peakVUs: s.plan.peakVUs,
      plan: s.plan.timeline.map((p) => ({ ...p })),
      startTimeMs: s.startTimeMs,
      started: s.result.started,
      dropped: s.result.dropped,
      interrupted: s.result.interrupted,
      ...scenarioRates(s, r.durationMs, requests.byScenario.get(s.name) ?? 0),
    })),
    load: {
      planned,
      started,
      dropped,
      interrupted,
      offeredRate: offered,
      achievedRate: achieved,
      // Over the same seconds as the endpoints' rates, so the two always agree.
      requestRate: seconds > 0 ? requests.total / seconds : 0,
      requests: requests.total,
      delivered,
      note,
    },
    metrics: d.metrics,
    endpoints: d.endpoints,
    errors: d.errors.map((e) => ({ ...e, example: ev.errorExamples[e.kind] ?? "" })),
    statuses: d.statuses,
    health: {
      cpu: r.cpu,
      timingSpin: r.spin,
      schedulerLag: lag,
      eventLoopLag: loop,
      verdict,
      reasons,
      ...(notes.length ? { notes } : {}),
      ...(sections.some((s) => s.requests?.opened) ? { connectionsOpened: opened } : {}),
    },
    ...(input.workers
      ? {
        workers: input.workers.map((w) => ({
          ...w,
          achievedRate: window > 0 ? w.started / window : 0,
        })),
      }
      : {}),
    thresholds: input.thresholds ?? [],
    checks: checksOf(r.total, (name) => topReasons(ev, name)),
    iterationErrors: Object.entries(ev.iterationErrors).map(([kind, e]) => ({
      kind,
      count: e.count,
      example: e.example,
    })).sort((a, b) => b.count - a.count),
    verdict: { passed: true, exitCode: 0, summary: "" },
    timeline: [...r.timeline],
    snapshot: encodeSnapshot(r.total),
    sections: sections.map((s) => ({
      protocol: s.protocol,
      title: s.title,
      metrics: [...s.metrics],
      ...(s.requests ? { requests: { ...s.requests } } : {}),
    })),
  };
  summary.verdict = decideVerdict(
    summary,
    input.policy ?? DEFAULT_POLICY,
    input.endedBy,
    input.late,
  );
  return summary;
}

/** Whether a plan offers a rate: arrivals planned in advance (not VUs looping). */
function openLoop(plan: PlannedScenario["plan"]): boolean {
  return plan.plannedIterations !== null && plan.peakRate !== null;
}

/**
 * A scenario's own figures: offered iterations/s (null for VUs), achieved iterations/s and
 * requests/s, all over its scheduling window (its planned duration, cut where the run ended).
 */
function scenarioRates(
  s: PlannedScenario & { result: { started: number } },
  runMs: number,
  requests: number,
): Pick<
  Summary["scenarios"][number],
  "offeredRate" | "achievedRate" | "requests" | "requestRate"
> {
  const windowS = Math.max(0, Math.min(s.plan.durationMs, runMs - s.startTimeMs)) / 1000;
  const per = (n: number) => (windowS > 0 ? n / windowS : 0);
  return {
    offeredRate: openLoop(s.plan)
      ? ((s.plan.plannedIterations ?? 0) * 1000) / Math.max(1, s.plan.durationMs)
      : null,
    achievedRate: per(s.result.started),
    requests,
    requestRate: per(requests),
  };
}

/** Corrected p99 above this multiple of the measured p99 means the closed loop hid stalls. */
export const OMISSION_RATIO = 2;

/**
 * Why a closed loop's latency cannot be trusted: for each protocol with a corrected trend,
 * when its p99 is more than {@link OMISSION_RATIO}× the measured p99 (and at least 1 ms more),
 * the VUs waited through stalls instead of sending, and the measured percentiles hide them.
 */
function omissionReasons(total: Snapshot, sections: readonly ProtocolSection[]): string[] {
  const out: string[] = [];
  for (const s of sections) {
    const f = s.requests;
    if (!f?.corrected) continue;
    const c = trendOf(total, f.corrected);
    const d = trendOf(total, f.duration);
    if (c.count === 0 || d.count === 0) continue;
    if (c.p99 > OMISSION_RATIO * d.p99 && c.p99 - d.p99 >= 1) {
      out.push(
        `coordinated omission: ${f.corrected} p99 ${c.p99.toFixed(1)} ms is ${
          (c.p99 / Math.max(d.p99, 0.001)).toFixed(1)
        }× the measured p99 ${d.p99.toFixed(1)} ms; the closed-loop VUs waited through ` +
          "stalls instead of sending: use --rate for an open-loop test",
      );
    }
  }
  return out;
}

/** The recordable definitions of parsed thresholds (defaults left out). */
export function thresholdSpecsOf(thresholds: readonly Threshold[]): ThresholdSpec[] {
  return thresholds.map((t) => ({
    key: t.key,
    expression: t.expression,
    abortOnFail: t.abortOnFail,
    ...(t.delayAbortEvalMs > 0 ? { delayAbortEval: `${t.delayAbortEvalMs}ms` } : {}),
    ...(t.noData !== "fail" ? { noData: t.noData } : {}),
  }));
}

/** Passes and fails per check name, over every `checks` series (any scenario or group). */
export function checkCounts(total: Snapshot): Map<string, { passes: number; fails: number }> {
  const by = new Map<string, { passes: number; fails: number }>();
  for (const d of total.series.values()) {
    if (d.metric !== "checks") continue;
    const name = d.tags.check ?? "";
    const c = by.get(name) ?? { passes: 0, fails: 0 };
    c.passes += d.value;
    c.fails += d.count - d.value;
    by.set(name, c);
  }
  return by;
}

/** Per-check passes, fails and top failure reasons. */
export function checksOf(
  total: Snapshot,
  reasons?: (name: string) => { reason: string; count: number }[],
): Summary["checks"] {
  return [...checkCounts(total)].map(([name, c]) => ({
    name,
    ...c,
    ...(reasons && c.fails > 0 ? { reasons: reasons(name) } : {}),
  }));
}

function n(v: number): string {
  return v.toLocaleString("en-US");
}

function pct(a: number, b: number): string {
  return b > 0 ? `${((a / b) * 100).toFixed(a / b < 0.01 ? 2 : 1)}%` : "0%";
}
