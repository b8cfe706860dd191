/**
 * The runner: starts each scenario's executor at its start time, wires executors to
 * iterations, drains metrics into snapshots on a tick for outputs and live checks, and returns
 * the run's cumulative snapshot. It owns neither the protocol (the scenario's `iterate` does)
 * nor any sink (outputs only read what it hands them).
 *
 * @module
 */
import type { Segment } from "../types.ts";
import type { Executor, ExecutorResult } from "../executors/executor.ts";
import { addCounter, addTrend, type MetricRegistry, setGauge } from "../metrics/registry.ts";
import { CORE_METRICS } from "../metrics/builtin.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import { prepareCpuTime, processCpuMs } from "./cpu_time.ts";
import type { Timeline } from "./timeline.ts";
import { Aggregator } from "./aggregator.ts";
import { holdWaker, spinTimeMs, waitUntil } from "../schedule/wait.ts";
import type { Output, RunInfo, Tick } from "./output.ts";
import type { Plan } from "../types.ts";

/** One scenario as the runner sees it. */
export interface ScenarioRun {
  readonly name: string;
  readonly executor: Executor;
  /** Delay from the run's start, ms. */
  readonly startTimeMs: number;
  /** Human description of the target, for banners. */
  readonly target?: string;
  /**
   * Runs one iteration on VU `vu`. `interrupt` aborts when graceful stop has run out.
   * Never rejects: failures are recorded as metrics.
   */
  iterate(vu: number, scheduled: number, interrupt: AbortSignal): Promise<void>;
  /**
   * Called once before the run starts (e.g. to open connections), so that set-up cost never
   * lands in the first measured seconds.
   */
  prepare?(): Promise<void>;
  /** Called once after the scenario ended (close connections). */
  close?(): void;
}

/** How to run. */
export interface RunOptions {
  readonly scenarios: readonly ScenarioRun[];
  /** The registry scenarios record into (shared, so ticks see everything). */
  readonly registry: MetricRegistry;
  readonly outputs?: readonly Output[];
  readonly segment?: Segment;
  /** Aborts to stop starting iterations (SIGINT, threshold abort). */
  readonly stop?: AbortSignal;
  /** Aborts to cut in-flight iterations at once (a second SIGINT). */
  readonly interrupt?: AbortSignal;
  /** Tick interval, ms (default 1000). */
  readonly tickMs?: number;
  /** Called on every tick after outputs, e.g. for live thresholds. */
  readonly onTick?: (tick: Tick) => void;
  /**
   * `performance.now()` value at which the run starts (workers of one run share an instant);
   * default now.
   */
  readonly startAt?: number;
}

/** One scenario's outcome. */
export interface ScenarioResult {
  readonly name: string;
  readonly startTimeMs: number;
  readonly plan: Plan;
  readonly result: ExecutorResult;
  readonly target?: string;
}

/** A finished run. */
export interface RunResult {
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** Elapsed ms, monotonic. */
  readonly durationMs: number;
  /** True when `stop` ended the run before its plan did. */
  readonly stopped: boolean;
  readonly total: Snapshot;
  readonly timeline: Timeline;
  readonly scenarios: readonly ScenarioResult[];
  /** Generator CPU use as a fraction of one core over the run. */
  readonly cpu: number;
  /** Share of the run spent yielding just before due arrivals (precise timing's CPU cost). */
  readonly spin: number;
}

/**
 * Arrival rate (per load thread) from which precise waits use the waker thread (ADR 10). Below
 * it, yielding the last 1.5 ms costs under ~30% of a core, while creating the thread blocks this
 * one for 30–45 ms: too much for the start-up of a small test.
 */
export const WAKER_MIN_RATE = 200;

/**
 * True when these scenarios pace arrivals fast enough for the waker to pay. Only arrival-rate
 * executors wait on a schedule; VU runs never need it.
 */
export function needsWaker(scenarios: readonly ScenarioRun[]): boolean {
  let rate = 0;
  for (const s of scenarios) rate += s.executor.plan().peakRate ?? 0;
  return rate >= WAKER_MIN_RATE;
}

/**
 * Runs every scenario to its end and returns the merged results. Holds the waker when
 * `needsWaker`; a caller that must not block at the start instant (a load worker) holds it
 * earlier itself.
 */
export async function runScenarios(opts: RunOptions): Promise<RunResult> {
  const releaseWaker = needsWaker(opts.scenarios) ? holdWaker() : () => {};
  try {
    return await runAll(opts);
  } finally {
    releaseWaker();
  }
}

async function runAll(opts: RunOptions): Promise<RunResult> {
  const reg = opts.registry;
  for (const d of CORE_METRICS) reg.define(d);
  const segment = opts.segment ?? { index: 0, count: 1 };
  const stop = opts.stop ?? new AbortController().signal;
  const outputs = opts.outputs ?? [];
  const tickMs = opts.tickMs ?? 1000;
  const agg = new Aggregator(outputs, opts.onTick, (d) => reg.recycle(d));
  await prepareCpuTime();

  if (opts.startAt !== undefined && opts.startAt > performance.now()) {
    await waitUntil(opts.startAt);
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const cpu0 = processCpuMs();
  const spin0 = spinTimeMs();
  agg.begin(t0);
  const tick = () => agg.tick(reg.drain());

  // The generator watches its own event loop: a late probe means measurements are late too.
  const loopLag = reg.series("event_loop_lag");
  let probeDue = t0 + 100;
  const probe = setInterval(() => {
    const now = performance.now();
    addTrend(loopLag, Math.max(0, now - probeDue));
    probeDue = now + 100;
  }, 100);
  const ticker = setInterval(tick, tickMs);

  const results = await Promise.all(
    opts.scenarios.map((s) => runOne(s, reg, segment, stop, opts.interrupt, t0)),
  );
  clearInterval(ticker);
  clearInterval(probe);
  tick();
  const cpuMs = processCpuMs() - cpu0;
  const durationMs = performance.now() - t0;
  return {
    startedAt,
    endedAt: new Date(),
    durationMs,
    stopped: stop.aborted,
    total: agg.total,
    timeline: agg.timeline,
    scenarios: results,
    cpu: cpuMs / durationMs,
    spin: (spinTimeMs() - spin0) / durationMs,
  };
}

/** A scenario's whole-run plan, known before it runs (banners, offered load, summaries). */
export interface PlannedScenario {
  readonly name: string;
  readonly plan: Plan;
  readonly startTimeMs: number;
  readonly target?: string;
}

/** The plan of a scenario run. */
export function planOf(s: ScenarioRun): PlannedScenario {
  return { name: s.name, plan: s.executor.plan(), startTimeMs: s.startTimeMs, target: s.target };
}

/** Planned-run information for outputs' `start`. */
export function runInfo(plans: readonly PlannedScenario[]): RunInfo {
  return {
    startedAt: new Date(),
    plannedDurationMs: Math.max(0, ...plans.map((p) => p.startTimeMs + p.plan.durationMs)),
    scenarios: plans.map((p) => ({ name: p.name, executor: p.plan.executor, target: p.target })),
  };
}

async function runOne(
  s: ScenarioRun,
  reg: MetricRegistry,
  segment: Segment,
  stop: AbortSignal,
  hard: AbortSignal | undefined,
  t0: number,
): Promise<ScenarioResult> {
  const tags = { scenario: s.name };
  const iterations = reg.series("iterations", tags);
  const dropped = reg.series("dropped_iterations", tags);
  const interrupted = reg.series("interrupted_iterations", tags);
  const vus = reg.series("vus", tags);
  const vusMax = reg.series("vus_max", tags);
  const cut = new AbortController();
  const onHard = () => cut.abort();
  hard?.addEventListener("abort", onHard, { once: true });

  if (s.startTimeMs > 0) {
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + s.startTimeMs - performance.now())));
  }
  // Per-VU cuts only for executors that interrupt single VUs (ramp-down); the rest share `cut`.
  const perVu = s.executor.interruptsVus === true;
  const vuCuts = new Map<number, AbortController>();
  const result = await s.executor.run({
    segment,
    stop,
    startAt: t0 + s.startTimeMs,
    iterate: async (vu, scheduled) => {
      let signal = cut.signal;
      let own: AbortController | undefined;
      if (perVu) {
        own = new AbortController();
        vuCuts.set(vu, own);
        signal = AbortSignal.any([cut.signal, own.signal]);
      }
      await s.iterate(vu, scheduled, signal);
      if (own) vuCuts.delete(vu);
      if (!signal.aborted) addCounter(iterations, 1);
    },
    interruptVu: (vu) => {
      vuCuts.get(vu)?.abort();
      vuCuts.delete(vu);
    },
    dropped: () => addCounter(dropped, 1),
    vus: (active, allocated) => {
      setGauge(vus, active);
      setGauge(vusMax, allocated);
    },
    interrupt: () => cut.abort(),
  });
  // Zero drops and zero interruptions are measurements, not missing data: record them, so a
  // threshold such as dropped_iterations count<10 judges 0 instead of failing for "no data".
  addCounter(interrupted, result.interrupted);
  addCounter(dropped, 0);
  hard?.removeEventListener("abort", onHard);
  s.close?.();
  return {
    name: s.name,
    startTimeMs: s.startTimeMs,
    plan: s.executor.plan(),
    result,
    target: s.target,
  };
}
