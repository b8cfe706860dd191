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
import { CORE_METRICS } from "../../core/metrics/builtin.ts";
import { MetricRegistry } from "../../core/metrics/registry.ts";
import type { Output } from "../../core/run/output.ts";
import { EvidenceLog } from "../../core/run/evidence.ts";
import { newRunId, type RunSpec } from "../../core/run/spec.ts";
import { registeredProtocols } from "../../core/protocol/registry.ts";
import { setThreadRegistry } from "../../core/scenario/custom_metrics.ts";
import { runSetup, runTeardown } from "../../core/scenario/lifecycle.ts";
import { loadScenario } from "../../core/scenario/loader.ts";
import {
  envLayer,
  type OptionsLayer,
  parseStages,
  resolveOptions,
} from "../../core/scenario/options.ts";
import { scenarioFunctions } from "../../core/scenario/scenario_workload.ts";
import { ExitCode } from "../../core/errors.ts";
import { collectThresholds, thresholdFlags } from "../../core/scenario/thresholds_setup.ts";
import { createRuntime } from "../../core/scenario/vu_state.ts";
import { DEFAULT_POLICY } from "../../core/summary/verdict.ts";
import { WHOLE_RUN } from "../../core/types.ts";
import { formatDuration } from "../../core/units.ts";
import type { PlannedScenario } from "../../core/run/runner.ts";
import { execute, type ExecuteResult } from "../execute.ts";
import { reportingOf, thresholdsInput } from "../run_spec.ts";
import { chooseWorkers } from "../workers_auto.ts";
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
  const loaded = await loadScenario(a.url);
  const options = resolveOptions(loaded.module.options, envLayer(Deno.env.toObject()), flags.layer);
  scenarioFunctions(loaded, options.scenarios);
  // Checked before setup() runs: a malformed threshold must cost nothing.
  collectThresholds(options.thresholds, a.thresholds);
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
  for (const d of CORE_METRICS) registry.define(d);
  setThreadRegistry(registry);
  const protocolOptions = { insecure: options.insecure || a.insecure, engine: a.engine };
  const rt = createRuntime(registry, new EvidenceLog(), registeredProtocols(), protocolOptions);
  const data = await runSetup(loaded.module, rt, options);

  const peakRate = plans.every((p) => p.plan.peakRate !== null)
    ? plans.reduce((s, p) => s + (p.plan.peakRate ?? 0), 0)
    : null;
  const choice = a.workers !== null
    ? { workers: a.workers, reason: `--workers ${a.workers}` }
    : chooseWorkers(peakRate, plans.reduce((s, p) => s + p.plan.peakVUs, 0));
  const workers = choice.workers;
  const spec: RunSpec = {
    id: newRunId(),
    workload: { kind: "scenario", path: loaded.path, options, data },
    scenarios: options.scenarios,
    targets: {},
    protocol: protocolOptions,
    thresholds: thresholdsInput(options.thresholds, thresholdFlags(a.thresholds)),
    policy: {
      failOnCheck: options.failOnCheck || a.failOnCheck,
      maxDroppedFraction: a.maxDropped ?? options.maxDropped ??
        DEFAULT_POLICY.maxDroppedFraction,
    },
    reporting: reportingOf(a),
    timing: a.timing,
    warmupMs: 0,
    workers,
    tickMs: 1000,
    segment: WHOLE_RUN,
    config: {
      scenario: loaded.path,
      engine: a.engine,
      workers,
      workersReason: choice.reason,
      scenarios: options.scenarios,
      thresholds: options.thresholds,
      thresholdFlags: a.thresholds,
      tags: options.tags,
    },
  };
  try {
    return await execute({
      spec,
      plans,
      extraOutputs,
      report: (line) => console.error(line),
      afterRun: () => runTeardown(loaded.module, rt, options, data),
      // setup() and teardown() requests count too (tagged scenario setup/teardown).
      lifecycleMetrics: () => registry.drain(),
    });
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
