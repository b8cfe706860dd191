/**
 * A run's workload built for one segment in the thread that runs it, from the run
 * description alone. Building the same {@link RunSpec} for segments 0..n-1 yields exactly the
 * unsplit run. Ad-hoc URLs are built by the protocol owning their scheme; scenario files are
 * imported here (every load thread imports the user's module itself).
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { createExecutor } from "../executors/factory.ts";
import { CORE_METRICS } from "../metrics/builtin.ts";
import { MetricRegistry } from "../metrics/registry.ts";
import { registeredProtocols } from "../protocol/registry.ts";
import type { Runtime } from "../protocol/types.ts";
import { holdWaker } from "../schedule/wait.ts";
import { createRuntime } from "../scenario/vu_state.ts";
import type { Segment } from "../types.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import { EvidenceLog } from "./evidence.ts";
import type { ScenarioRun } from "./runner.ts";
import type { RunSpec } from "./spec.ts";

/** A workload built for one segment in one thread. */
export interface Workload {
  readonly registry: MetricRegistry;
  readonly runtime: Runtime;
  readonly scenarios: ScenarioRun[];
  /** Error examples, check reasons and iteration errors of this thread. */
  readonly evidence: EvidenceLog;
}

/**
 * Builds `spec` for `segment`; {@link prepareWorkload} then opens what it needs before the run.
 * `onUnreachable` fires once if an ad-hoc target is unreachable.
 */
export async function buildWorkload(
  spec: RunSpec,
  segment: Segment,
  onUnreachable: (message: string) => void,
): Promise<Workload> {
  const registry = new MetricRegistry();
  if (spec.maxSeries !== undefined) registry.maxSeries = spec.maxSeries;
  for (const d of CORE_METRICS) registry.define(d);
  const evidence = new EvidenceLog();
  const w = spec.workload;
  if (w.kind === "adhoc") {
    const protocol = registeredProtocols().find((p) => p.name === w.protocol);
    if (!protocol?.adHoc) {
      throw new ConfigError(`No protocol "${w.protocol}" can run ad-hoc URLs in this thread`);
    }
    const runtime = createRuntime(registry, evidence, registeredProtocols(), spec.protocol);
    const cfg = spec.scenarios.default;
    const scenario = await protocol.adHoc(w.request, {
      runtime,
      executor: createExecutor(cfg, segment),
      segment,
      tags: { ...cfg.tags, scenario: "default" },
      onUnreachable,
    });
    return { registry, runtime, scenarios: [scenario], evidence };
  }
  // Scenario support (module loading, cookies, datasets) is loaded only when needed.
  const { buildScenarioWorkload } = await import("../scenario/scenario_workload.ts");
  return buildScenarioWorkload(spec, w, segment, registry, evidence);
}

/**
 * Lets every scenario of `w` set up before the run (an ad-hoc run's pool opens its connections
 * to the target), after any rehearsal: set-up cost never lands in the measured seconds.
 */
export async function prepareWorkload(w: Workload): Promise<void> {
  for (const s of w.scenarios) await s.prepare?.();
}

/**
 * Runs `w`, the workload the measured run will use, for `spec.warmupMs` first, unmeasured: the
 * same connections, series and closures, so what the warm-up warmed is what the run uses. A
 * separate warm-up workload left the run fresh objects, and the JIT recompiled the hot path
 * for them during the first measured seconds (TurboFan jobs of up to 18 ms on V8's background
 * thread, measured), and its connections were closed rather than kept warm.
 *
 * What the warm-up recorded is discarded: the registry is drained at its end and the evidence
 * cleared; deltas handed to `onDelta` are the caller's to rehearse with and throw away.
 *
 * Returns a release for the warm-up's hold on the waker (ADR 10): the caller releases it once
 * the measured run holds the waker itself (or has ended), so both share one helper thread.
 */
export async function warmUp(
  w: Workload,
  spec: RunSpec,
  segment: Segment,
  stop?: AbortSignal,
  onDelta?: (delta: Snapshot) => void,
): Promise<() => void> {
  if (spec.workload.kind !== "adhoc" || spec.warmupMs <= 0) return () => {};
  const cfg = spec.scenarios.default;
  // A warm-up repeats a steady load; a ramp has no single load to repeat.
  if (!("duration" in cfg)) return () => {};
  const warm = createExecutor(
    { ...cfg, duration: spec.warmupMs, gracefulStop: 1000 } as typeof cfg,
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
  const { needsWaker, runScenarios } = await import("./runner.ts");
  const release = needsWaker(scenarios) ? holdWaker() : () => {};
  try {
    // Its deltas may go to the collector too (marked as warm-up): the collector's own code then
    // is compiled before the measured run, instead of competing with it in the first seconds.
    await runScenarios({ scenarios, registry: w.registry, stop, onDelta, tickMs: spec.tickMs });
  } catch (e) {
    release();
    for (const s of w.scenarios) s.close?.();
    throw e;
  }
  // Stopped during the warm-up (an unreachable target, Ctrl-C): the measured run ends at once,
  // and what the warm-up saw is the only evidence of why, so it stays.
  if (stop?.aborted) return release;
  w.registry.resetGauges();
  w.evidence.clear();
  return release;
}
