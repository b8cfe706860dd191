/**
 * A rehearsal of an open-loop run's hot path before its clock starts (ADR 23). V8 compiles the
 * code that schedules, sends, parses and records only after it ran thousands of times, on a
 * background thread that competes with the load thread: at 20,000 arrivals/s the first
 * measured second had a scheduler lag p99 of 6–15 ms (0.5–3 ms later; 3–7 ms rehearsed).
 * `--warmup` fixes that with real load, which the
 * user has to ask for; a rehearsal sends the run's own requests, through the run's own
 * scenario, recorder and checks, to a stand-in server on the load thread (each engine decides
 * whether it can stand in: {@link ScenarioRun.rehearse}), and nothing reaches the target.
 *
 * What the rehearsal recorded is discarded like a warm-up's: the caller hands its deltas to the
 * collector as warm-up deltas (rehearsed there and thrown away), and the evidence is cleared.
 *
 * @module
 */
import { createExecutor } from "../executors/factory.ts";
import type { ExecutorConfig } from "../executors/config.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import type { Segment } from "../types.ts";
import type { ScenarioRun } from "./runner.ts";
import type { RunSpec } from "./spec.ts";
import type { Workload } from "./workload.ts";

/** Arrivals one load thread rehearses: what V8 needed to compile the hot path (ADR 23). */
export const REHEARSAL_ITERATIONS = 2000;
/** Their rate per load thread: high, so the rehearsal costs ~0.1 s of start-up. */
export const REHEARSAL_RATE = 20_000;
/**
 * Planned peak rate of a load thread from which its run rehearses: below it no gain was
 * measurable (5,000/s: lag p99 0.96 ms without, 1.21 with, medians of 5) for ~0.1 CPU-s
 * (ADR 23).
 */
export const REHEARSAL_MIN_RATE = 10_000;
/** Concurrent rehearsed arrivals, at most: the stand-in answers at once. */
const REHEARSAL_VUS = 64;

/** What a rehearsal did, for the run's log and tests. */
export interface RehearsalResult {
  /** Arrivals rehearsed (0: it did not rehearse). */
  readonly iterations: number;
  /** Why it did not rehearse, when it did not. */
  readonly skipped?: string;
}

/**
 * Rehearses `w` when it is an ad-hoc open-loop run of at least {@link REHEARSAL_MIN_RATE} per
 * thread without a warm-up and every scenario can stand in; call before `prepareWorkload`
 * (the run's own connections are opened after, to the target).
 */
export async function rehearse(
  w: Workload,
  spec: RunSpec,
  segment: Segment,
  stop?: AbortSignal,
  onDelta?: (delta: Snapshot) => void,
): Promise<RehearsalResult> {
  if (spec.rehearse === false) return { iterations: 0, skipped: "--no-rehearsal" };
  if (spec.workload.kind !== "adhoc") return { iterations: 0, skipped: "scenario file" };
  if (spec.warmupMs > 0) return { iterations: 0, skipped: "--warmup" };
  let rate = 0;
  for (const s of w.scenarios) rate += s.executor.plan().peakRate ?? 0;
  if (rate < REHEARSAL_MIN_RATE) return { iterations: 0, skipped: "rate" };
  const ends: (() => Promise<void>)[] = [];
  const endAll = async () => {
    for (const end of ends.splice(0)) await end();
  };
  for (const s of w.scenarios) {
    const end = s.rehearse ? await s.rehearse() : null;
    if (end === null) {
      await endAll();
      return { iterations: 0, skipped: "engine" };
    }
    ends.push(end);
  }
  const cfg = spec.scenarios.default;
  // Per thread, whatever the segment count: the factory splits the whole run's rate.
  const config: Extract<ExecutorConfig, { executor: "constant-arrival-rate" }> = {
    executor: "constant-arrival-rate",
    rate: REHEARSAL_RATE * segment.count,
    timeUnit: 1000,
    duration: (REHEARSAL_ITERATIONS / REHEARSAL_RATE) * 1000,
    preAllocatedVUs: REHEARSAL_VUS * segment.count,
    maxVUs: REHEARSAL_VUS * segment.count,
    startTime: 0,
    gracefulStop: 1000,
    exec: "default",
    tags: cfg.tags,
    env: cfg.env,
  };
  const executor = createExecutor(config, segment);
  const scenarios: ScenarioRun[] = w.scenarios.map((s) => ({
    name: s.name,
    startTimeMs: 0,
    target: s.target,
    executor,
    iterate: (vu, scheduled, interrupt) => s.iterate(vu, scheduled, interrupt),
  }));
  const { runScenarios } = await import("./runner.ts");
  let iterations = 0;
  try {
    const r = await runScenarios({ scenarios, registry: w.registry, stop, onDelta, tickMs: 1000 });
    for (const s of r.scenarios) iterations += s.result.started;
  } finally {
    await endAll();
  }
  w.registry.resetGauges();
  w.evidence.clear();
  return { iterations };
}
