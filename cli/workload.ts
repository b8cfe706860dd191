/**
 * What a run executes, described by a serializable {@link WorkloadSpec} and built for one
 * segment of the run in whatever thread runs it: the main thread (`--workers 1`) or each Web
 * Worker. Building the same spec for segments 0..n-1 yields exactly the unsplit run.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import {
  createExecutor,
  type ExecutorConfig,
  ExecutorConfigSchema,
} from "../core/executors/config.ts";
import { CORE_METRICS, HTTP_METRICS } from "../core/metrics/builtin.ts";
import { HttpRecorder } from "../core/metrics/http_recorder.ts";
import { MetricRegistry } from "../core/metrics/registry.ts";
import { createRequestScenario } from "../core/run/request_scenario.ts";
import type { ScenarioRun } from "../core/run/runner.ts";
import { CheckLog } from "../core/scenario/checks.ts";
import { setThreadRegistry } from "../core/scenario/custom_metrics.ts";
import { setDatasetSegment } from "../core/scenario/dataset.ts";
import { type LoadedScenario, loadScenario } from "../core/scenario/loader.ts";
import { envLayer, type OptionsLayer, resolveOptions } from "../core/scenario/options.ts";
import type { ResolvedOptions } from "../core/scenario/options.ts";
import {
  createScenarioRun,
  type IterationErrors,
  type ScenarioFn,
} from "../core/scenario/scenario_run.ts";
import type { Runtime } from "../core/scenario/vu_state.ts";
import { offsetOf } from "../core/schedule/segment.ts";
import { type Segment, WHOLE_RUN } from "../core/types.ts";
import { ENGINES } from "../engines/registry.ts";
import type { RunArgs } from "./commands/run_args.ts";

/** A run's workload, plain data so it can be posted to workers. */
export type WorkloadSpec =
  | { readonly kind: "adhoc"; readonly args: RunArgs; readonly body: Uint8Array | string | null }
  | {
    readonly kind: "scenario";
    readonly args: RunArgs;
    readonly layer: OptionsLayer;
    /** setup()'s result (JSON-safe), handed to every VU. */
    readonly data: unknown;
  };

/** A workload built for one segment in one thread. */
export interface Workload {
  readonly registry: MetricRegistry;
  readonly scenarios: ScenarioRun[];
  /** First message per transport error kind. */
  errorExamples(): Map<string, string>;
  /** Failure reasons per check name. */
  readonly checks: CheckLog;
  readonly iterationErrors: IterationErrors;
}

/** The executor config `rampa run <url>` flags describe. */
export function adHocExecutorConfig(a: RunArgs): ExecutorConfig {
  const common = { gracefulStop: a.gracefulStopMs, startTime: 0 };
  return ExecutorConfigSchema.parse(
    a.mode === "closed"
      ? { executor: "constant-vus", vus: a.vus, duration: a.durationMs, ...common }
      : {
        executor: "constant-arrival-rate",
        rate: a.ratePerSecond,
        timeUnit: 1000,
        duration: a.durationMs,
        preAllocatedVUs: Math.min(a.maxInFlight, 64),
        maxVUs: a.maxInFlight,
        ...common,
      },
  );
}

/** Loads the scenario module and resolves its options (every thread does this itself). */
export async function loadScenarioWorkload(
  a: RunArgs,
  layer: OptionsLayer,
): Promise<{ loaded: LoadedScenario; options: ResolvedOptions; fns: Map<string, ScenarioFn> }> {
  const loaded = await loadScenario(a.url);
  const options = resolveOptions(loaded.module.options, envLayer(Deno.env.toObject()), layer);
  return { loaded, options, fns: resolveFunctions(loaded, options.scenarios) };
}

/** Builds `spec` for `segment`. `onUnreachable` fires once if an ad-hoc target is unreachable. */
export async function buildWorkload(
  spec: WorkloadSpec,
  segment: Segment,
  onUnreachable: (message: string) => void,
): Promise<Workload> {
  const a = spec.args;
  const registry = new MetricRegistry();
  for (const d of [...CORE_METRICS, ...HTTP_METRICS]) registry.define(d);
  const engine = ENGINES[a.engine]();
  const checks = new CheckLog();
  const iterationErrors: IterationErrors = new Map();
  if (spec.kind === "adhoc") {
    const request = engine.prepare({
      method: a.method,
      url: a.url,
      headers: a.headers,
      body: spec.body,
      timeoutMs: a.timeoutMs,
      name: a.name ?? undefined,
    });
    const recorder = new HttpRecorder(registry, { scenario: "default" });
    const executor = createExecutor(adHocExecutorConfig(a), segment);
    const scenario = createRequestScenario({
      name: "default",
      engine,
      request,
      executor,
      recorder,
      maxConnections: Math.max(1, executor.plan().peakVUs),
      insecure: a.insecure,
      onUnreachable,
    });
    return {
      registry,
      scenarios: [scenario],
      errorExamples: () => recorder.errorExamples,
      checks,
      iterationErrors,
    };
  }
  const { options, fns } = await loadScenarioWorkload(a, spec.layer);
  setThreadRegistry(registry);
  setDatasetSegment(segment);
  const rt: Runtime = {
    registry,
    engine,
    insecure: options.insecure || a.insecure,
    recorders: new Map(),
    checks,
    maxEndpoints: 500,
  };
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

/** Reads `--body-file` once on the main thread (workers get the bytes). */
export async function readBody(a: RunArgs): Promise<Uint8Array | string | null> {
  if (a.bodyFile === null) return a.body;
  try {
    return await Deno.readFile(a.bodyFile);
  } catch (e) {
    throw new ConfigError(
      `Cannot read --body-file "${a.bodyFile}": ${e instanceof Error ? e.message : e}`,
    );
  }
}
