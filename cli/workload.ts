/**
 * What a run executes, described by a serializable {@link WorkloadSpec} and built for one
 * segment of the run in whatever thread runs it: the main thread (`--workers 1`) or each Web
 * Worker. Building the same spec for segments 0..n-1 yields exactly the unsplit run.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { ExecutorConfig } from "../core/executors/config.ts";
import { createExecutor } from "../core/executors/factory.ts";
import { CORE_METRICS, HTTP_METRICS } from "../core/metrics/builtin.ts";
import { HttpRecorder } from "../core/metrics/http_recorder.ts";
import { MetricRegistry } from "../core/metrics/registry.ts";
import { createRequestScenario } from "../core/run/request_scenario.ts";
import {
  type BodyValidator,
  createResponseChecker,
  needsResponse,
  type ResponseExpectations,
} from "../core/run/response_checks.ts";
import { compileJsonSchema } from "../core/run/json_schema.ts";
import type { ScenarioRun } from "../core/run/runner.ts";
import { holdWaker } from "../core/schedule/wait.ts";
import { CheckLog } from "../core/scenario/checks.ts";
import type { OptionsLayer } from "../core/scenario/options.ts";
import type { IterationErrors } from "../core/scenario/scenario_run.ts";
import type { Plan, Segment } from "../core/types.ts";
import { ENGINES } from "../engines/registry.ts";
import type { RunArgs } from "./commands/run_args.ts";

/** A run's workload, plain data so it can be posted to workers. */
export type WorkloadSpec =
  | {
    readonly kind: "adhoc";
    readonly args: RunArgs;
    readonly body: Uint8Array | string | null;
    /** The parsed `--expect-body-json` schema, read once on the main thread. */
    readonly bodySchema?: unknown;
  }
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
  /** First message per transport error kind (for ad-hoc workloads, the recorder's own map). */
  errorExamples(): Map<string, string>;
  /** Failure reasons per check name. */
  readonly checks: CheckLog;
  readonly iterationErrors: IterationErrors;
}

/**
 * The executor config `rampa run <url>` flags describe. Built directly (the flags are already
 * validated), so ad-hoc runs never load the config schemas: start-up time matters.
 */
export function adHocExecutorConfig(a: RunArgs): ExecutorConfig {
  const common = {
    gracefulStop: a.gracefulStopMs,
    startTime: 0,
    exec: "default",
    tags: {},
    env: {},
  };
  return a.mode === "closed"
    ? { executor: "constant-vus", vus: a.vus, duration: a.durationMs, ...common }
    : {
      executor: "constant-arrival-rate",
      rate: a.ratePerSecond,
      timeUnit: 1000,
      duration: a.durationMs,
      preAllocatedVUs: Math.min(a.maxInFlight, 64),
      maxVUs: a.maxInFlight,
      ...common,
    };
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
      keepResponse: needsResponse(expectations(a, null)),
    });
    const recorder = new HttpRecorder(registry, { scenario: "default" });
    const validate = a.expectBodyJson
      ? await compileJsonSchema(spec.bodySchema, a.expectBodyJson)
      : null;
    const check = createResponseChecker(
      expectations(a, validate),
      registry,
      { scenario: "default" },
      checks,
    );
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
      check,
      warmConnections: warmCount(executor.plan()),
    });
    await scenario.prepare?.();
    return {
      registry,
      scenarios: [scenario],
      errorExamples: () => recorder.errorExamples,
      checks,
      iterationErrors,
    };
  }
  // Scenario support (module loading, cookies, datasets) is loaded only when needed.
  const { buildScenarioWorkload } = await import("./workload_scenario.ts");
  return buildScenarioWorkload(spec, segment, { registry, engine, checks, iterationErrors });
}

/**
 * Connections to open before the clock starts: closed loop, one per VU; open loop, enough for a
 * burst of ~5 ms of arrivals (what piles up behind a GC pause or a late timer), at most 64.
 * Opening more would only delay the first request of a slow test.
 */
function warmCount(plan: Plan): number {
  const want = plan.peakRate === null ? plan.peakVUs : Math.ceil(plan.peakRate / 200);
  return Math.min(64, plan.peakVUs, Math.max(1, want));
}

/** The `--expect-*` flags as expectations. */
function expectations(a: RunArgs, validate: BodyValidator | null): ResponseExpectations {
  return {
    statuses: a.expectStatus,
    headers: a.expectHeaders,
    body: a.expectBodyJson
      ? { name: `body matches ${a.expectBodyJson}`, validate: validate ?? (() => null) }
      : null,
  };
}

/** Reads `--expect-body-json` once on the main thread (workers get the parsed schema). */
export async function readBodySchema(a: RunArgs): Promise<unknown> {
  if (!a.expectBodyJson) return undefined;
  try {
    return JSON.parse(await Deno.readTextFile(a.expectBodyJson));
  } catch (e) {
    throw new ConfigError(
      `Cannot read JSON Schema "${a.expectBodyJson}": ${e instanceof Error ? e.message : e}`,
    );
  }
}

/**
 * Runs `w`, the workload the measured run will use, for `a.warmupMs` first, unmeasured: the
 * same connections, series and closures, so what the warm-up warmed is what the run uses. A
 * separate warm-up workload left the run fresh objects, and the JIT recompiled the hot path
 * for them during the first measured seconds (TurboFan jobs of up to 18 ms on V8's background
 * thread, measured), and its connections were closed rather than kept warm.
 *
 * What the warm-up recorded is discarded: the runner drains the registry at its end (into a
 * throwaway aggregate), and error examples, check reasons and iteration errors are cleared.
 *
 * Returns a release for the warm-up's hold on the waker (ADR 10): the caller releases it once
 * the measured run holds the waker itself (or has ended), so both share one helper thread.
 * A second thread would block this one 30–45 ms to create and then compete for the core with
 * its own start-up during the first measured second.
 */
export async function warmUp(
  w: Workload,
  spec: WorkloadSpec,
  segment: Segment,
  stop?: AbortSignal,
): Promise<() => void> {
  const a = spec.args;
  if (spec.kind !== "adhoc" || a.warmupMs <= 0) return () => {};
  const warm = createExecutor(
    adHocExecutorConfig({ ...a, durationMs: a.warmupMs, gracefulStopMs: 1000 }),
    segment,
  );
  // The same iterate (same client, recorder and checks) on the warm-up's schedule, and no
  // close: the measured run keeps the connections.
  const scenarios: ScenarioRun[] = w.scenarios.map((s) => ({
    name: s.name,
    startTimeMs: s.startTimeMs,
    target: s.target,
    executor: warm,
    iterate: (vu, scheduled, interrupt) => s.iterate(vu, scheduled, interrupt),
    prepare: s.prepare && (() => s.prepare!()),
  }));
  const { needsWaker, runScenarios } = await import("../core/run/runner.ts");
  const release = needsWaker(scenarios) ? holdWaker() : () => {};
  try {
    await runScenarios({ scenarios, registry: w.registry, stop });
  } catch (e) {
    release();
    for (const s of w.scenarios) s.close?.();
    throw e;
  }
  // Stopped during the warm-up (an unreachable target, Ctrl-C): the measured run ends at once,
  // and what the warm-up saw is the only evidence of why, so it stays.
  if (stop?.aborted) return release;
  w.registry.resetGauges();
  w.errorExamples().clear();
  w.checks.reasons.clear();
  w.iterationErrors.clear();
  return release;
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
