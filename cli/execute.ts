/**
 * The one orchestration of a run, for ad-hoc URLs and scenario files alike: outputs checked
 * before any load, SIGINT/SIGTERM turned into a graceful stop (a second one interrupts
 * in-flight work), the run description's load spread over workers that feed one collector
 * (which judges thresholds live and drives every output), the summary built from the merged
 * snapshot and evidence, and one exit code decided by the verdict. Results already measured
 * always reach the outputs.
 *
 * @module
 */
import { ExitCode, RampaError } from "../core/errors.ts";
import { mergeSnapshot, type Snapshot } from "../core/metrics/snapshot.ts";
import { Collector } from "../core/run/collector.ts";
import type { Output } from "../core/run/output.ts";
import { type PlannedScenario, runInfo } from "../core/run/runner.ts";
import type { RunSpec } from "../core/run/spec.ts";
import { requestFamilies } from "../core/summary/describe.ts";
import { buildSummary } from "../core/summary/build.ts";
import type { Summary } from "../core/summary/schema.ts";
import type { EarlyEnd, LateFailure } from "../core/summary/verdict.ts";
import { parseThresholds } from "../core/thresholds/mod.ts";
import { knownMetrics } from "../core/scenario/thresholds_setup.ts";
import { thresholdAliases } from "../core/protocol/registry.ts";
import type { ThresholdsInput } from "../core/thresholds/types.ts";
import { VERSION } from "../core/version.ts";
import { runOnWorkers } from "./worker/pool.ts";
import { STOP_SIGNALS } from "./stop_signals.ts";
import { standardOutputs } from "./outputs.ts";

/** What to run besides the description itself. */
export interface ExecuteOptions {
  readonly spec: RunSpec;
  /** Whole-run plans (banners, offered load, summaries). */
  readonly plans: readonly PlannedScenario[];
  /** Outputs beyond the description's (a command's own). */
  readonly extraOutputs?: readonly Output[];
  /**
   * Whether the description's outputs (console, summary file, `--out`) are made; a command
   * that only wants the summary value (selfcheck) turns them off. @default true
   */
  readonly standardOutputs?: boolean;
  /** Reports an error line to the user (stderr). */
  readonly report: (line: string) => void;
  /** Runs after the load and before the summary (teardown); a RampaError fails the run. */
  readonly afterRun?: () => Promise<void>;
  /** Metrics recorded outside the load (setup, teardown), merged in before the summary. */
  readonly lifecycleMetrics?: () => Snapshot;
  /** Stops the run from outside (a fleet coordinator); its reason is the abort reason. */
  readonly stopOn?: AbortSignal;
}

/** The run's summary and the process exit code. */
export interface ExecuteResult {
  summary: Summary;
  exitCode: number;
}

/** Why the run was stopped early. */
export type StopReason = EarlyEnd;

/** The offered rate of a single constant-rate scenario, for the live progress line. */
function offeredRate(spec: RunSpec): number | null {
  const list = Object.values(spec.scenarios);
  const c = list[0];
  if (list.length !== 1 || c.executor !== "constant-arrival-rate") return null;
  return (c.rate * 1000) / c.timeUnit;
}

/** Runs to the end and delivers the results; see the module doc. */
export async function execute(opts: ExecuteOptions): Promise<ExecuteResult> {
  const { spec } = opts;
  const thresholds = parseThresholds(
    spec.thresholds as ThresholdsInput,
    knownMetrics(),
    thresholdAliases(),
  );
  const outputs = [
    ...(opts.standardOutputs === false ? [] : standardOutputs(spec.reporting, offeredRate(spec))),
    ...(opts.extraOutputs ?? []),
  ];
  const stop = new AbortController();
  const interrupt = new AbortController();
  let stopReason: StopReason | null = null;
  const end = (reason: StopReason, line?: string) => {
    if (stop.signal.aborted) return;
    stopReason ??= reason;
    if (line) opts.report(line);
    stop.abort();
  };
  const collector = new Collector({
    outputs,
    thresholds,
    families: requestFamilies(),
    report: opts.report,
    tickMs: spec.tickMs,
    maxSeries: spec.maxSeries,
    onAbort: (e) => end(e, `! ${e.reason}: stopping the run`),
  });
  await collector.start({ ...runInfo(opts.plans), thresholds: spec.thresholds });
  opts.stopOn?.addEventListener("abort", () =>
    end(
      {
        status: "aborted",
        reason: `stopped by the coordinator: ${opts.stopOn!.reason}`,
        exitCode: ExitCode.ABORTED_BY_THRESHOLD,
      },
      `! stopped by the coordinator: ${opts.stopOn!.reason}`,
    ), { once: true });

  // After the load, a signal abandons teardown() (which may never settle) but never the summary.
  const afterLoad = new AbortController();
  let loadDone = false;
  const onSignal = () => {
    if (loadDone) {
      opts.report("Stopping: teardown() abandoned, writing the summary");
      afterLoad.abort();
    } else if (!stop.signal.aborted) {
      end(
        { status: "interrupted", reason: "interrupted by signal", exitCode: ExitCode.INTERRUPTED },
        "Stopping: waiting for in-flight requests (press Ctrl-C again to cut them)",
      );
    } else interrupt.abort();
  };
  const signals = STOP_SIGNALS;
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  let ran;
  const late: LateFailure[] = [];
  try {
    ran = await runOnWorkers({
      spec,
      collector,
      stop: stop.signal,
      interrupt: interrupt.signal,
      report: opts.report,
      onUnreachable: (message) =>
        end({ status: "aborted", reason: message, exitCode: ExitCode.TARGET_UNREACHABLE }),
    });
    loadDone = true;
    if (opts.afterRun) await runAfter(opts.afterRun, afterLoad.signal, late, opts.report);
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
  const lost = ran.workers.filter((w) => w.lost);
  if (lost.length) {
    late.push({
      message: `${lost.length} of ${ran.workers.length} workers were lost (${lost[0].reason})`,
      exitCode: ExitCode.WORKER_LOST,
    });
  }
  if (opts.lifecycleMetrics) mergeSnapshot(collector.total, opts.lifecycleMetrics(), "shares");
  const summary = buildSummary({
    version: VERSION,
    runId: spec.id,
    result: {
      startedAt: ran.startedAt,
      endedAt: ran.endedAt,
      durationMs: ran.durationMs,
      stopped: stop.signal.aborted,
      total: collector.total,
      timeline: collector.timeline.points,
      cpu: ran.cpu,
      spin: ran.durationMs > 0 ? ran.evidence.spinMs / ran.durationMs : 0,
    },
    plans: opts.plans,
    evidence: ran.evidence,
    segment: spec.segment,
    config: {
      ...spec.config,
      ...(spec.startAt !== undefined
        ? { startAt: new Date(spec.startAt).toISOString(), startSkewMs: ran.startSkewMs }
        : {}),
    },
    endedBy: stopReason,
    thresholds: collector.thresholdResults(ran.durationMs),
    thresholdDefs: thresholds,
    policy: spec.policy,
    late,
    // One load thread is the ordinary case: a per-worker table only when there are several.
    workers: ran.workers.length > 1 ? ran.workers : undefined,
  });
  let exitCode = summary.verdict.exitCode;
  const stopOutput = async (o: Output) => {
    try {
      await o.stop(summary);
    } catch (e) {
      if (!(e instanceof RampaError)) throw e;
      opts.report(`error: ${e.message}`);
      if (exitCode === ExitCode.OK) {
        exitCode = e.exitCode;
        // The console, stopped last, must not lead with "PASSED" when results were not saved.
        summary.verdict = {
          ...summary.verdict,
          passed: false,
          exitCode,
          summary: `FAILED: ${e.message}`,
        };
      }
    }
  };
  // Streaming sinks flush first, so their delivery counts are in the summary the files and the
  // console then show.
  const sinks = outputs.filter((o) => o.stats);
  for (const o of sinks) await stopOutput(o);
  if (sinks.length) {
    summary.outputs = sinks.map((o) => ({ name: o.describe(), ...o.stats!() }));
    for (const s of summary.outputs) {
      if (s.dropped > 0 || s.failed > 0) {
        opts.report(
          `! output ${s.name}: ${s.sent} sent, ${s.failed} failed, ${s.dropped} dropped` +
            (s.lastError ? ` (last error: ${s.lastError})` : ""),
        );
      }
    }
  }
  for (const o of outputs) if (!o.stats && !o.reportsLast) await stopOutput(o);
  for (const o of outputs) if (!o.stats && o.reportsLast) await stopOutput(o);
  return { summary, exitCode };
}

/** Runs teardown(), which a signal abandons: its failure or abandonment is a late failure. */
async function runAfter(
  afterRun: () => Promise<void>,
  abandon: AbortSignal,
  late: LateFailure[],
  report: (line: string) => void,
): Promise<void> {
  let onAbort!: () => void;
  const abandoned = new Promise<void>((r) => (onAbort = r));
  abandon.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.race([afterRun(), abandoned]);
    if (abandon.aborted) {
      late.push({ message: "teardown() interrupted by signal", exitCode: ExitCode.INTERRUPTED });
    }
  } catch (e) {
    if (!(e instanceof RampaError)) throw e;
    late.push({ message: e.message, exitCode: e.exitCode });
    report(`error: ${e.message}`);
  } finally {
    abandon.removeEventListener("abort", onAbort);
  }
}
