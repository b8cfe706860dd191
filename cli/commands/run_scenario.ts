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
import type { Output } from "../../core/run/output.ts";
import { newRunId, type RunSpec } from "../../core/run/spec.ts";
import { envLayer, type OptionsLayer, parseStages } from "../../core/scenario/options.ts";
import { ExitCode } from "../../core/errors.ts";
import { collectThresholds, thresholdFlags } from "../../core/scenario/thresholds_setup.ts";
import { DEFAULT_POLICY } from "../../core/summary/verdict.ts";
import { checkEngine } from "../../core/protocol/registry.ts";
import { WHOLE_RUN } from "../../core/types.ts";
import { formatDuration } from "../../core/units.ts";
import type { PlannedScenario } from "../../core/run/runner.ts";
import { execute, type ExecuteResult } from "../execute.ts";
import { k6FlagsConfig, reportingOf, thresholdsInput } from "../run_spec.ts";
import { chooseWorkers } from "../workers_auto.ts";
import { scenarioPermissions } from "../worker/permissions.ts";
import { ScenarioHost } from "../worker/scenario_host.ts";
import { openConsoleFile } from "../console_file.ts";
import type { RunArgs } from "./run_args.ts";

/** Flags of a scenario run beyond the ad-hoc ones. */
export interface ScenarioFlags {
  readonly layer: OptionsLayer;
  readonly dryRun: boolean;
}

/** `rampa run file.ts`: flags become the options layer; returns the exit code. */
export async function runScenarioCommand(a: RunArgs): Promise<number> {
  const r = await runScenarioFile(a, { layer: scenarioLayer(a), dryRun: a.dryRun });
  return r?.exitCode ?? ExitCode.OK;
}

/** The options layer `rampa run file.ts` flags make (k6's precedence: flags win). */
export function scenarioLayer(a: RunArgs): OptionsLayer {
  return {
    ...(a.given.rate !== undefined ? { rate: a.given.rate } : {}),
    ...(a.given.vus !== undefined ? { vus: a.given.vus } : {}),
    ...(a.given.duration !== undefined ? { duration: a.given.duration } : {}),
    ...(a.given.iterations !== undefined ? { iterations: a.given.iterations } : {}),
    ...(a.given.stages !== undefined ? { stages: parseStages(a.given.stages) } : {}),
    ...(a.given.env !== undefined ? { env: a.given.env } : {}),
    ...(a.given.tags !== undefined ? { tags: a.given.tags } : {}),
    ...(a.insecure ? { insecureSkipTLSVerify: true } : {}),
  };
}

/** Loads, validates and runs a scenario file; null for a dry run. */
export async function runScenarioFile(
  a: RunArgs,
  flags: ScenarioFlags,
  extraOutputs: Output[] = [],
  stopOn?: AbortSignal,
): Promise<ExecuteResult | null> {
  // The scenario's code runs on its own thread with the scenario permissions, never here.
  const permissions = scenarioPermissions(a.url, a.grants);
  // --console-output: opened (and checked) before any scenario code runs, import included.
  const consoleFile = a.consoleOutput !== null && !flags.dryRun
    ? await openConsoleFile(a.consoleOutput)
    : null;
  try {
    return await runOnHost(a, flags, permissions, extraOutputs, stopOn);
  } finally {
    await consoleFile?.close();
  }
}

async function runOnHost(
  a: RunArgs,
  flags: ScenarioFlags,
  permissions: ReturnType<typeof scenarioPermissions>,
  extraOutputs: Output[],
  stopOn: AbortSignal | undefined,
): Promise<ExecuteResult | null> {
  const host = await ScenarioHost.open({
    path: a.url,
    cwd: Deno.cwd(),
    envLayer: envLayer(Deno.env.toObject()),
    flagLayer: flags.layer,
    permissions,
    importTimeoutMs: a.importTimeoutMs ?? undefined,
  });
  let closed = false;
  try {
    const options = host.options;
    // --no-thresholds drops the file's thresholds too (the flags' are already dropped).
    if (a.noThresholds) options.thresholds = {};
    // Checked before setup() runs: a malformed threshold must cost nothing.
    collectThresholds(options.thresholds, a.thresholds);
    if (flags.dryRun) {
      console.log(formatPlan(host.path, options.scenarios));
      return null;
    }
    const plans: PlannedScenario[] = Object.entries(options.scenarios).map(([name, cfg]) => ({
      name,
      plan: createExecutor(cfg, a.segment).plan(),
      startTimeMs: cfg.startTime,
    }));
    // The file may choose its engine (`options.engine`); --engine on the command line wins.
    const engine = a.given.engine ?? options.engine ?? a.engine;
    if (engine !== a.engine) checkEngine(engine, "options.engine");
    const protocolOptions = {
      insecure: options.insecure || a.insecure,
      engine,
      ...a.http,
    };
    const data = await host.setup(protocolOptions);

    const peakRate = plans.every((p) => p.plan.peakRate !== null)
      ? plans.reduce((s, p) => s + (p.plan.peakRate ?? 0), 0)
      : null;
    const choice = a.workers !== null
      ? { workers: a.workers, reason: `--workers ${a.workers}` }
      : chooseWorkers(peakRate, plans.reduce((s, p) => s + p.plan.peakVUs, 0));
    const workers = choice.workers;
    const spec: RunSpec = {
      id: newRunId(),
      workload: { kind: "scenario", path: host.path, options, data },
      scenarios: options.scenarios,
      targets: {},
      protocol: protocolOptions,
      thresholds: thresholdsInput(options.thresholds, thresholdFlags(a.thresholds)),
      policy: {
        failOnCheck: options.failOnCheck || a.failOnCheck,
        maxDroppedFraction: a.maxDropped ?? options.maxDropped ??
          DEFAULT_POLICY.maxDroppedFraction,
        maxIterationErrorFraction: a.maxIterationErrors ?? options.maxIterationErrors ??
          DEFAULT_POLICY.maxIterationErrorFraction,
      },
      reporting: reportingOf(a),
      timing: a.timing,
      warmupMs: 0,
      workers,
      tickMs: 1000,
      ...(a.maxSeries !== null ? { maxSeries: a.maxSeries } : {}),
      permissions,
      segment: a.segment,
      ...(a.startAt !== null ? { startAt: a.startAt } : {}),
      config: {
        scenario: host.path,
        engine,
        workers,
        workersReason: choice.reason,
        scenarios: options.scenarios,
        thresholds: options.thresholds,
        thresholdFlags: a.thresholds,
        tags: options.tags,
        permissions: describePermissions(permissions),
        ...k6FlagsConfig(a),
      },
    };
    return await execute({
      spec,
      plans,
      extraOutputs,
      report: (line) => console.error(line),
      afterRun: async () => {
        try {
          await host.teardown(data);
        } finally {
          host.close();
          closed = true;
        }
      },
      // setup() and teardown() requests count too (tagged scenario setup/teardown).
      lifecycleMetrics: () => host.metrics,
      stopOn,
    });
  } finally {
    if (!closed) host.close();
  }
}

/** One line for the summary's config: what scenario code was allowed. */
function describePermissions(p: ReturnType<typeof scenarioPermissions>): string {
  if (p === "inherit") return "all (--allow-all)";
  const parts = ["net", `read ${p.read.join(",")}`];
  if (p.write) parts.push(`write ${(p.write as string[]).join(",")}`);
  if (p.run) parts.push(`run ${(p.run as string[]).join(",")}`);
  if (p.sys) parts.push("sys");
  parts.push("env");
  return parts.join("; ");
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
