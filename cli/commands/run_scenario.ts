/**
 * `rampa run scenario.ts`: imports the user's module, layers its options with RAMPA_*
 * variables and flags, runs setup() once, every named scenario with its executor, then
 * teardown(), and delivers the summary like every other run.
 *
 * @module
 */
import { ExitCode, RampaError } from "../../core/errors.ts";
import { createExecutor } from "../../core/executors/config.ts";
import { MetricRegistry } from "../../core/metrics/registry.ts";
import { CORE_METRICS, HTTP_METRICS } from "../../core/metrics/builtin.ts";
import type { Output } from "../../core/run/output.ts";
import type { ScenarioRun } from "../../core/run/runner.ts";
import { CheckLog } from "../../core/scenario/checks.ts";
import { setThreadRegistry } from "../../core/scenario/custom_metrics.ts";
import { type LoadedScenario, loadScenario } from "../../core/scenario/loader.ts";
import { DEFAULT_POLICY } from "../../core/summary/verdict.ts";
import { collectThresholds } from "../../core/scenario/thresholds_setup.ts";
import { envLayer, type OptionsLayer, resolveOptions } from "../../core/scenario/options.ts";
import { runSetup, runTeardown } from "../../core/scenario/lifecycle.ts";
import {
  createScenarioRun,
  type IterationErrors,
  type ScenarioFn,
} from "../../core/scenario/scenario_run.ts";
import type { Runtime } from "../../core/scenario/vu_state.ts";
import { WHOLE_RUN } from "../../core/types.ts";
import { formatDuration } from "../../core/units.ts";
import { ENGINES } from "../../engines/registry.ts";
import { createConsoleOutput } from "../../outputs/console/mod.ts";
import { createJsonOutput } from "../../outputs/json/mod.ts";
import { createOutputFromFlag } from "../../outputs/registry.ts";
import { execute, type ExecuteResult, type StopReason } from "../execute.ts";
import type { RunArgs } from "./run_args.ts";

/** Flags of a scenario run beyond the ad-hoc ones. */
export interface ScenarioFlags {
  readonly layer: OptionsLayer;
  readonly dryRun: boolean;
}

/** Loads, validates and runs a scenario file. */
export async function runScenarioFile(
  a: RunArgs,
  flags: ScenarioFlags,
  extraOutputs: Output[] = [],
): Promise<ExecuteResult | null> {
  const loaded = await loadScenario(a.url);
  const options = resolveOptions(loaded.module.options, envLayer(Deno.env.toObject()), flags.layer);
  const fns = resolveFunctions(loaded, options.scenarios);
  const thresholds = collectThresholds(options.thresholds, a.thresholds);
  if (flags.dryRun) {
    console.log(formatPlan(loaded.path, options.scenarios));
    return null;
  }

  const registry = new MetricRegistry();
  for (const d of [...CORE_METRICS, ...HTTP_METRICS]) registry.define(d);
  setThreadRegistry(registry);
  const rt: Runtime = {
    registry,
    engine: ENGINES[a.engine](),
    insecure: options.insecure || a.insecure,
    recorders: new Map(),
    checks: new CheckLog(),
    maxEndpoints: 500,
  };
  const data = await runSetup(loaded.module, rt, options);
  const errors: IterationErrors = new Map();
  const scenarios: ScenarioRun[] = [];
  let vuOffset = 0;
  for (const [name, cfg] of Object.entries(options.scenarios)) {
    const executor = createExecutor(cfg, WHOLE_RUN);
    scenarios.push(createScenarioRun(
      {
        name,
        executor,
        startTimeMs: cfg.startTime,
        fn: fns.get(name)!,
        tags: { ...options.tags, ...cfg.tags },
        env: { ...options.env, ...cfg.env },
        vuOffset,
        keepCookies: options.noCookiesReset,
      },
      rt,
      data,
      errors,
    ));
    vuOffset += executor.plan().peakVUs;
  }

  const stop = new AbortController();
  const stopReason: { current: StopReason | null } = { current: null };
  const tty = Deno.stderr.isTerminal();
  const outputs: Output[] = [
    createConsoleOutput({ color: a.color && tty, quiet: a.quiet, tty, targetRate: null }),
  ];
  if (a.summaryPath) outputs.push(createJsonOutput(a.summaryPath));
  for (const spec of a.outs) outputs.push(createOutputFromFlag(spec));
  outputs.push(...extraOutputs);
  try {
    return await execute({
      scenarios,
      registry,
      outputs,
      config: { scenario: loaded.path, engine: a.engine, options: describeOptions(options) },
      errorExamples: () => mergedExamples(rt),
      checkReasons: (name) => rt.checks.top(name),
      iterationErrors: errors,
      stop,
      report: (line) => console.error(line),
      afterRun: () => runTeardown(loaded.module, rt, options, data),
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

function mergedExamples(rt: Runtime): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of rt.recorders.values()) {
    for (const [k, v] of r.errorExamples) if (!m.has(k)) m.set(k, v);
  }
  return m;
}

/** Every scenario's `exec` function, or one error listing each missing export. */
function resolveFunctions(
  loaded: LoadedScenario,
  scenarios: Record<string, { exec: string }>,
): Map<string, ScenarioFn> {
  const out = new Map<string, ScenarioFn>();
  const issues: string[] = [];
  for (const [name, sc] of Object.entries(scenarios)) {
    const fn = loaded.module[sc.exec];
    if (typeof fn !== "function") {
      issues.push(
        sc.exec === "default"
          ? `${loaded.path}: No default export: export default async function (ctx) { … } or set options.scenarios.${name}.exec`
          : `options.scenarios.${name}.exec: "${sc.exec}" is not an exported function of ${loaded.path}`,
      );
    } else out.set(name, fn as ScenarioFn);
  }
  if (issues.length) throw new RampaError(issues.join("; "), ExitCode.INVALID_CONFIG);
  return out;
}

function describeOptions(o: ReturnType<typeof resolveOptions>): Record<string, unknown> {
  return { scenarios: o.scenarios, thresholds: o.thresholds, tags: o.tags };
}

/** The `--dry-run` text: per scenario its executor, timeline, peak rate and peak VUs. */
export function formatPlan(
  path: string,
  scenarios: Record<string, Parameters<typeof createExecutor>[0]>,
): string {
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
