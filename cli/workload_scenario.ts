/**
 * The scenario half of {@link buildWorkload}: imports the user's module in this thread,
 * resolves its options, and builds one scenario run per named scenario for the segment, with
 * globally unique VU ids. Loaded on demand, so ad-hoc runs start without it.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { createExecutor } from "../core/executors/factory.ts";
import type { MetricRegistry } from "../core/metrics/registry.ts";
import type { ScenarioRun } from "../core/run/runner.ts";
import type { CheckLog } from "../core/scenario/checks.ts";
import { setThreadRegistry } from "../core/scenario/custom_metrics.ts";
import { setDatasetSegment } from "../core/scenario/dataset.ts";
import { type LoadedScenario, loadScenario } from "../core/scenario/loader.ts";
import {
  envLayer,
  type OptionsLayer,
  type ResolvedOptions,
  resolveOptions,
} from "../core/scenario/options.ts";
import {
  createScenarioRun,
  type IterationErrors,
  type ScenarioFn,
} from "../core/scenario/scenario_run.ts";
import { createRuntime } from "../core/scenario/vu_state.ts";
import { offsetOf } from "../core/schedule/segment.ts";
import { type Engine, type Segment, WHOLE_RUN } from "../core/types.ts";
import type { RunArgs } from "./commands/run_args.ts";
import type { Workload, WorkloadSpec } from "./workload.ts";

/** Loads the scenario module and resolves its options (every thread does this itself). */
export async function loadScenarioWorkload(
  a: RunArgs,
  layer: OptionsLayer,
): Promise<{ loaded: LoadedScenario; options: ResolvedOptions; fns: Map<string, ScenarioFn> }> {
  const loaded = await loadScenario(a.url);
  const options = resolveOptions(loaded.module.options, envLayer(Deno.env.toObject()), layer);
  return { loaded, options, fns: resolveFunctions(loaded, options.scenarios) };
}

/** What the shared part of buildWorkload already made. */
export interface Shared {
  readonly registry: MetricRegistry;
  readonly engine: Engine;
  readonly checks: CheckLog;
  readonly iterationErrors: IterationErrors;
}

/** Builds a scenario workload for `segment`. */
export async function buildScenarioWorkload(
  spec: Extract<WorkloadSpec, { kind: "scenario" }>,
  segment: Segment,
  shared: Shared,
): Promise<Workload> {
  const a = spec.args;
  const { registry, engine, checks, iterationErrors } = shared;
  const { options, fns } = await loadScenarioWorkload(a, spec.layer);
  setThreadRegistry(registry);
  setDatasetSegment(segment);
  const rt = createRuntime(registry, engine, options.insecure || a.insecure, checks);
  const scenarios: ScenarioRun[] = [];
  let vuBase = 0;
  for (const [name, cfg] of Object.entries(options.scenarios)) {
    const whole = createExecutor(cfg, WHOLE_RUN).plan().peakVUs;
    scenarios.push(createScenarioRun(
      {
        name,
        executor: createExecutor(cfg, segment),
        startTimeMs: cfg.startTime,
        fn: fns.get(name)!,
        tags: { ...options.tags, ...cfg.tags },
        env: { ...options.env, ...cfg.env },
        // Global VU ids: scenarios after one another, segments within a scenario.
        vuOffset: vuBase + offsetOf(whole, segment),
        keepCookies: options.noCookiesReset,
      },
      rt,
      spec.data,
      iterationErrors,
    ));
    vuBase += whole;
  }
  return {
    registry,
    scenarios,
    errorExamples: () => {
      const m = new Map<string, string>();
      for (const r of rt.recorders.values()) {
        for (const [k, v] of r.errorExamples) if (!m.has(k)) m.set(k, v);
      }
      return m;
    },
    checks,
    iterationErrors,
  };
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
  if (issues.length) throw new ConfigError(issues);
  return out;
}
