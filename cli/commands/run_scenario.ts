/**
 * `rampa run scenario.ts`: imports the user's module, layers its options with RAMPA_*
 * variables and flags, runs setup() once on this thread, every named scenario with its
 * executor (here or split over workers), then teardown(), and delivers the summary like every
 * other run.
 *
 * @module
 */
import type { ExecutorConfig } from "../../core/executors/config.ts";
import { createExecutor } from "../../core/executors/factory.ts";
import { CORE_METRICS, HTTP_METRICS } from "../../core/metrics/builtin.ts";
import { MetricRegistry } from "../../core/metrics/registry.ts";
import type { Output } from "../../core/run/output.ts";
import { CheckLog } from "../../core/scenario/checks.ts";
import { setThreadRegistry } from "../../core/scenario/custom_metrics.ts";
import { runSetup, runTeardown } from "../../core/scenario/lifecycle.ts";
import { type OptionsLayer, parseStages } from "../../core/scenario/options.ts";
import { ExitCode } from "../../core/errors.ts";
import { collectThresholds } from "../../core/scenario/thresholds_setup.ts";
import { createRuntime } from "../../core/scenario/vu_state.ts";
import { DEFAULT_POLICY } from "../../core/summary/verdict.ts";
import { WHOLE_RUN } from "../../core/types.ts";
import { formatDuration } from "../../core/units.ts";
import { ENGINES } from "../../engines/registry.ts";
import { execute, type ExecuteResult, type Placement, type StopReason } from "../execute.ts";
import { standardOutputs } from "../outputs.ts";
import { buildWorkload, type WorkloadSpec } from "../workload.ts";
import { loadScenarioWorkload } from "../workload_scenario.ts";
import type { PlannedScenario } from "../worker/pool.ts";
import { autoWorkers } from "./run.ts";
import type { RunArgs } from "./run_args.ts";

/** Flags of a scenario run beyond the ad-hoc ones. */
export interface ScenarioFlags {
  readonly layer: OptionsLayer;
  readonly dryRun: boolean;
}

/** `rampa run file.ts`: flags become the options layer; returns the exit code. */
export async function runScenarioCommand(a: RunArgs): Promise<number> {
  const layer: OptionsLayer = {
    ...(a.given.rate !== undefined ? { rate: a.given.rate } : {}),
    ...(a.given.vus !== undefined ? { vus: a.given.vus } : {}),
    ...(a.given.duration !== undefined ? { duration: a.given.duration } : {}),
    ...(a.given.iterations !== undefined ? { iterations: a.given.iterations } : {}),
    ...(a.given.stages !== undefined ? { stages: parseStages(a.given.stages) } : {}),
    ...(a.given.env !== undefined ? { env: a.given.env } : {}),
    ...(a.insecure ? { insecureSkipTLSVerify: true } : {}),
  };
  const r = await runScenarioFile(a, { layer, dryRun: a.dryRun });
  return r?.exitCode ?? ExitCode.OK;
}

/** Loads, validates and runs a scenario file; null for a dry run. */
export async function runScenarioFile(
  a: RunArgs,
  flags: ScenarioFlags,
  extraOutputs: Output[] = [],
): Promise<ExecuteResult | null> {
  const { loaded, options } = await loadScenarioWorkload(a, flags.layer);
  const thresholds = collectThresholds(options.thresholds, a.thresholds);
  if (flags.dryRun) {
    console.log(formatPlan(loaded.path, options.scenarios));
    return null;
  }
  const plans: PlannedScenario[] = Object.entries(options.scenarios).map(([name, cfg]) => ({
    name,
    plan: createExecutor(cfg, WHOLE_RUN).plan(),
    startTimeMs: cfg.startTime,
  }));

  // setup() and teardown() run once, here, with a runtime of their own.
  const registry = new MetricRegistry();
  for (const d of [...CORE_METRICS, ...HTTP_METRICS]) registry.define(d);
  setThreadRegistry(registry);
  const rt = createRuntime(
    registry,
    ENGINES[a.engine](),
    options.insecure || a.insecure,
    new CheckLog(),
  );
  const data = await runSetup(loaded.module, rt, options);

  const stop = new AbortController();
  const stopReason: { current: StopReason | null } = { current: null };
  const spec: WorkloadSpec = { kind: "scenario", args: a, layer: flags.layer, data };
  const peakRate = plans.every((p) => p.plan.peakRate !== null)
    ? plans.reduce((s, p) => s + (p.plan.peakRate ?? 0), 0)
    : null;
  const workers = a.workers ??
    autoWorkers(peakRate, plans.reduce((s, p) => s + p.plan.peakVUs, 0));
  const placement: Placement = workers > 1
    ? { kind: "workers", spec, workers, timing: a.timing }
    : { kind: "local", workload: await buildWorkload(spec, WHOLE_RUN, () => {}) };
  try {
    return await execute({
      placement,
      plans,
      outputs: [...standardOutputs(a, null), ...extraOutputs],
      config: {
        scenario: loaded.path,
        engine: a.engine,
        workers,
        scenarios: options.scenarios,
        thresholds: options.thresholds,
        thresholdFlags: a.thresholds,
        tags: options.tags,
      },
      stop,
      report: (line) => console.error(line),
      afterRun: () => runTeardown(loaded.module, rt, options, data),
      // setup() and teardown() requests count too (tagged scenario setup/teardown).
      lifecycleMetrics: () => registry.drain(),
      thresholds,
      policy: {
        failOnCheck: options.failOnCheck || a.failOnCheck,
        maxDroppedFraction: a.maxDropped ?? options.maxDropped ??
          DEFAULT_POLICY.maxDroppedFraction,
      },
    }, stopReason);
  } finally {
    setThreadRegistry(null);
  }
}

/** The `--dry-run` text: per scenario its executor, timeline, peak rate and peak VUs. */
export function formatPlan(path: string, scenarios: Record<string, ExecutorConfig>): string {
  const lines = [`plan for ${path} (nothing is sent)`];
  for (const [name, cfg] of Object.entries(scenarios)) {
    const p = createExecutor(cfg, WHOLE_RUN).plan();
    const start = cfg.startTime ? ` from ${formatDuration(cfg.startTime)}` : "";
    lines.push(
      `  ${name}: ${p.executor}${start}, ${formatDuration(p.durationMs)}` +
        (p.plannedIterations !== null ? `, ${p.plannedIterations} iterations` : "") +
        (p.peakRate !== null ? `, peak ${round(p.peakRate)}/s` : "") +
        `, peak ${p.peakVUs} VUs, exec ${cfg.exec}`,
    );
    const tl = p.timeline.map((t) =>
      `${formatDuration(t.atMs)}→${t.rate !== undefined ? `${round(t.rate)}/s` : `${t.vus} VUs`}`
    );
    if (tl.length) lines.push(`    timeline: ${tl.join(", ")}`);
  }
  return lines.join("\n");
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
