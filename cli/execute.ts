/**
 * Runs a workload the way every CLI command does: outputs checked before any load,
 * SIGINT/SIGTERM turned into a graceful stop (a second one interrupts in-flight requests),
 * thresholds watched live on the merged snapshot, the summary built and handed to every output,
 * and one exit code decided. The workload runs on this thread or on a pool of workers; the
 * results are judged the same way. Results already measured always reach the outputs.
 *
 * @module
 */
import { ExitCode, RampaError } from "../core/errors.ts";
import { mergeSnapshot, type Snapshot } from "../core/metrics/snapshot.ts";
import type { Output, Tick } from "../core/run/output.ts";
import { runInfo, type RunResult, runScenarios } from "../core/run/runner.ts";
import { buildSummary } from "../core/summary/build.ts";
import type { Summary } from "../core/summary/schema.ts";
import type { EarlyEnd, VerdictPolicy } from "../core/summary/verdict.ts";
import { type Threshold, ThresholdEvaluator } from "../core/thresholds/mod.ts";
import { formatDuration } from "../core/units.ts";
import { VERSION } from "../core/version.ts";
import { type PlannedScenario, runOnWorkers, type WorkerReport } from "./worker/pool.ts";
import type { TimingMode } from "../core/schedule/wait.ts";
import type { Workload, WorkloadSpec } from "./workload.ts";

/** Where the load runs. */
export type Placement =
  | { readonly kind: "local"; readonly workload: Workload }
  | {
    readonly kind: "workers";
    readonly spec: WorkloadSpec;
    readonly workers: number;
    readonly timing: TimingMode;
  };

/** What to run and where results go. */
export interface ExecuteOptions {
  readonly placement: Placement;
  /** Whole-run plans (banners, offered load, summaries). */
  readonly plans: readonly PlannedScenario[];
  /** Every output, console first (it is stopped first). */
  readonly outputs: readonly Output[];
  readonly config: Record<string, unknown>;
  /** Aborted by the caller to stop the run early; set `stopReason` first. */
  readonly stop: AbortController;
  /** Reports an error line to the user (stderr). */
  readonly report: (line: string) => void;
  /** Runs after the load and before the summary (teardown); a RampaError sets the exit code. */
  readonly afterRun?: () => Promise<void>;
  /** Metrics recorded outside the load (setup, teardown), merged in before the summary. */
  readonly lifecycleMetrics?: () => Snapshot;
  /** Parsed thresholds, evaluated live on every tick and finally on the merged total. */
  readonly thresholds?: readonly Threshold[];
  /** What fails the run besides thresholds. */
  readonly policy?: VerdictPolicy;
}

/** The run's summary and the process exit code. */
export interface ExecuteResult {
  summary: Summary;
  exitCode: number;
}

/** Why the run was stopped early, set by whoever aborts `stop`. */
export type StopReason = EarlyEnd;

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

interface Ran {
  result: RunResult;
  errorExamples: ReadonlyMap<string, string>;
  checkReasons: (name: string) => { reason: string; count: number }[];
  iterationErrors: ReadonlyMap<string, { count: number; example: string }>;
  workers: WorkerReport[] | null;
}

/** Runs to the end and delivers the results; see the module doc. */
export async function execute(
  opts: ExecuteOptions,
  stopReason: { current: StopReason | null },
): Promise<ExecuteResult> {
  const info = runInfo(opts.plans);
  for (const o of opts.outputs) await o.start(info);

  const interrupt = new AbortController();
  const onSignal = () => {
    if (!opts.stop.signal.aborted) {
      stopReason.current ??= {
        status: "interrupted",
        reason: "interrupted by signal",
        exitCode: ExitCode.INTERRUPTED,
      };
      opts.stop.abort();
      opts.report("Stopping: waiting for in-flight requests (press Ctrl-C again to cut them)");
    } else interrupt.abort();
  };
  const evaluator = new ThresholdEvaluator([...(opts.thresholds ?? [])]);
  const onTick = (tk: Tick) => {
    const { abort, warnings } = evaluator.onTick(tk.elapsedMs, tk.delta, tk.total);
    for (const w of warnings) {
      opts.report(
        `! threshold "${w.threshold.key}: ${w.threshold.expression}" is failing (observed ${
          round(w.observed)
        }); the run aborts at ${formatDuration(w.threshold.delayAbortEvalMs)} unless it recovers`,
      );
    }
    if (abort && !opts.stop.signal.aborted) {
      const t = abort.threshold;
      stopReason.current ??= {
        status: "aborted",
        reason: `threshold "${t.key}: ${t.expression}" crossed at ${
          formatDuration(abort.atMs)
        } (observed ${round(abort.observed)})`,
        exitCode: ExitCode.ABORTED_BY_THRESHOLD,
      };
      opts.report(`! ${stopReason.current.reason}: stopping the run`);
      opts.stop.abort();
    }
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  let ran: Ran;
  try {
    ran = await place(opts, stopReason, interrupt.signal, onTick);
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }

  let afterRunError: RampaError | null = null;
  if (opts.afterRun) {
    try {
      await opts.afterRun();
    } catch (e) {
      if (!(e instanceof RampaError)) throw e;
      afterRunError = e;
      opts.report(`error: ${e.message}`);
    }
  }
  if (opts.lifecycleMetrics) mergeSnapshot(ran.result.total, opts.lifecycleMetrics(), "shares");
  const lost = ran.workers?.filter((w) => w.lost) ?? [];
  const summary = buildSummary({
    version: VERSION,
    result: ran.result,
    segment: { index: 0, count: 1 },
    config: opts.config,
    errorExamples: ran.errorExamples,
    checkReasons: ran.checkReasons,
    iterationErrors: ran.iterationErrors,
    endedBy: stopReason.current,
    thresholds: evaluator.results(ran.result.total, ran.result.durationMs),
    thresholdDefs: opts.thresholds ?? [],
    policy: opts.policy,
    workers: ran.workers ?? undefined,
  });
  if (summary.verdict.exitCode === ExitCode.OK) {
    const late: RampaError | null = afterRunError ??
      (lost.length
        ? new RampaError(
          `${lost.length} of ${ran.workers!.length} workers were lost (${lost[0].reason})`,
          ExitCode.WORKER_LOST,
        )
        : null);
    if (late) {
      summary.verdict = {
        passed: false,
        exitCode: late.exitCode,
        summary: `FAILED: ${late.message}`,
      };
    }
  }
  let exitCode = summary.verdict.exitCode;
  for (const o of opts.outputs) {
    try {
      await o.stop(summary);
    } catch (e) {
      if (!(e instanceof RampaError)) throw e;
      opts.report(`error: ${e.message}`);
      if (exitCode === ExitCode.OK) exitCode = e.exitCode;
    }
  }
  return { summary, exitCode };
}

async function place(
  opts: ExecuteOptions,
  stopReason: { current: StopReason | null },
  interrupt: AbortSignal,
  onTick: (tk: Tick) => void,
): Promise<Ran> {
  const p = opts.placement;
  if (p.kind === "local") {
    const w = p.workload;
    const result = await runScenarios({
      scenarios: w.scenarios,
      registry: w.registry,
      outputs: opts.outputs,
      stop: opts.stop.signal,
      interrupt,
      onTick,
    });
    return {
      result,
      errorExamples: w.errorExamples(),
      checkReasons: (name) => w.checks.top(name),
      iterationErrors: w.iterationErrors,
      workers: null,
    };
  }
  const r = await runOnWorkers({
    spec: p.spec,
    workers: p.workers,
    plans: opts.plans,
    outputs: opts.outputs,
    onTick,
    stop: opts.stop.signal,
    interrupt,
    timing: p.timing,
    report: opts.report,
    onUnreachable: (message) => {
      stopReason.current ??= {
        status: "aborted",
        reason: message,
        exitCode: ExitCode.TARGET_UNREACHABLE,
      };
      opts.stop.abort();
    },
  });
  return {
    result: r.result,
    errorExamples: r.errorExamples,
    checkReasons: (name) => r.checks.top(name),
    iterationErrors: r.iterationErrors,
    workers: r.workers,
  };
}
