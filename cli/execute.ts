/**
 * Runs prepared scenarios the way every CLI command does: outputs checked before any load,
 * SIGINT/SIGTERM turned into a graceful stop (a second one interrupts in-flight requests),
 * the summary built and handed to every output, and one exit code decided. Results already
 * measured always reach the outputs, whatever ended the run.
 *
 * @module
 */
import { ExitCode, RampaError } from "../core/errors.ts";
import type { MetricRegistry } from "../core/metrics/registry.ts";
import type { Output } from "../core/run/output.ts";
import { runInfo, runScenarios, type ScenarioRun } from "../core/run/runner.ts";
import { buildSummary } from "../core/summary/build.ts";
import type { Summary } from "../core/summary/schema.ts";
import { VERSION } from "../core/version.ts";
import type { Tick } from "../core/run/output.ts";
import { type Threshold, ThresholdEvaluator } from "../core/thresholds/mod.ts";
import type { EarlyEnd, VerdictPolicy } from "../core/summary/verdict.ts";
import { formatDuration } from "../core/units.ts";

/** What to run and where results go. */
export interface ExecuteOptions {
  readonly scenarios: readonly ScenarioRun[];
  readonly registry: MetricRegistry;
  /** Every output, console included; stopped in order, so put the console first. */
  readonly outputs: readonly Output[];
  readonly config: Record<string, unknown>;
  /** First error message per kind, read after the run. */
  readonly errorExamples: () => ReadonlyMap<string, string>;
  /** Aborted by the caller to stop the run early, with `reason`. */
  readonly stop: AbortController;
  /** Reports an error line to the user (stderr). */
  readonly report: (line: string) => void;
  /** Extra summary inputs of scenario runs. */
  readonly checkReasons?: (name: string) => { reason: string; count: number }[];
  readonly iterationErrors?: ReadonlyMap<string, { count: number; example: string }>;
  /** Runs after the load and before the summary (teardown); a RampaError sets the exit code. */
  readonly afterRun?: () => Promise<void>;
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

/** Runs to the end and delivers the results; see the module doc. */
export async function execute(
  opts: ExecuteOptions,
  stopReason: { current: StopReason | null },
): Promise<ExecuteResult> {
  const info = runInfo(opts.scenarios);
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
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const evaluator = new ThresholdEvaluator([...(opts.thresholds ?? [])]);
  const onTick = (tk: Tick) => {
    const { abort } = evaluator.onTick(tk.elapsedMs, tk.delta, tk.total);
    if (abort && !opts.stop.signal.aborted) {
      const t = abort.threshold;
      stopReason.current ??= {
        status: "aborted",
        reason: `threshold "${t.key}: ${t.expression}" crossed at ${
          formatDuration(abort.atMs)
        } (observed ${round(abort.observed)})`,
        exitCode: ExitCode.ABORTED_BY_THRESHOLD,
      };
      opts.stop.abort();
    }
  };
  let result;
  try {
    result = await runScenarios({
      scenarios: opts.scenarios,
      registry: opts.registry,
      outputs: opts.outputs,
      stop: opts.stop.signal,
      interrupt: interrupt.signal,
      onTick,
    });
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
  const ended = stopReason.current;
  const summary = buildSummary({
    version: VERSION,
    result,
    segment: { index: 0, count: 1 },
    config: opts.config,
    errorExamples: opts.errorExamples(),
    checkReasons: opts.checkReasons,
    iterationErrors: opts.iterationErrors,
    endedBy: ended,
    thresholds: evaluator.results(result.total, result.durationMs),
    policy: opts.policy,
  });
  if (afterRunError && summary.verdict.exitCode === ExitCode.OK) {
    summary.verdict = {
      passed: false,
      exitCode: afterRunError.exitCode,
      summary: `FAILED: ${afterRunError.message}`,
    };
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
