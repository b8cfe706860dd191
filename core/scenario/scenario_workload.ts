/**
 * The scenario half of `buildWorkload`: imports the user's module in this thread (which also
 * runs any `registerProtocol` and custom-metric declarations it makes), takes the options the
 * main thread resolved, and builds one scenario run per named scenario for the segment, with
 * globally unique VU ids. Loaded on demand, so ad-hoc runs start without it.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { createExecutor } from "../executors/factory.ts";
import type { MetricRegistry } from "../metrics/registry.ts";
import { registeredProtocols } from "../protocol/registry.ts";
import type { Runtime } from "../protocol/types.ts";
import type { EvidenceLog } from "../run/evidence.ts";
import type { ScenarioRun } from "../run/runner.ts";
import type { RunSpec, ScenarioWorkload } from "../run/spec.ts";
import { offsetOf } from "../schedule/segment.ts";
import { type Segment, WHOLE_RUN } from "../types.ts";
import { setThreadRegistry } from "./custom_metrics.ts";
import { setDatasetSegment } from "./dataset.ts";
import { type LoadedScenario, loadScenario } from "./loader.ts";
import { createScenarioRun, type ScenarioFn } from "./scenario_run.ts";
import { createRuntime } from "./vu_state.ts";

/** Builds a scenario workload for `segment`. */
export async function buildScenarioWorkload(
  spec: RunSpec,
  w: ScenarioWorkload,
  segment: Segment,
  registry: MetricRegistry,
  evidence: EvidenceLog,
): Promise<{
  registry: MetricRegistry;
  runtime: Runtime;
  scenarios: ScenarioRun[];
  evidence: EvidenceLog;
}> {
  setThreadRegistry(registry);
  setDatasetSegment(segment);
  const loaded = await loadScenario(w.path);
  const fns = scenarioFunctions(loaded, w.options.scenarios);
  const options = w.options;
  const runtime = createRuntime(registry, evidence, registeredProtocols(), spec.protocol);
  const scenarios: ScenarioRun[] = [];
  let vuBase = 0;
  for (const [name, cfg] of Object.entries(spec.scenarios)) {
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
      runtime,
      w.data,
    ));
    vuBase += whole;
  }
  return { registry, runtime, scenarios, evidence };
}

/** Every scenario's `exec` function, or one error listing each missing export. */
export function scenarioFunctions(
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
