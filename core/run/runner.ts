/**
 * The runner, the load thread's loop: starts each scenario's executor at its start time, wires
 * executors to iterations, and on every tick drains what was recorded into a delta that it
 * hands over (`onDelta`) — to a worker's message port, never to an output. It owns neither the
 * protocol (the scenario's `iterate` does) nor any sink: aggregation, thresholds, progress and
 * outputs live in the collector (`collector.ts`), on another thread.
 *
 * @module
 */
import type { Segment } from "../types.ts";
import type { Executor, ExecutorResult } from "../executors/executor.ts";
import { addCounter, addTrend, type MetricRegistry, setGauge } from "../metrics/registry.ts";
import { CORE_METRICS } from "../metrics/builtin.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import { prepareCpuTime, processCpuMs } from "./cpu_time.ts";
import { holdWaker, spinTimeMs, waitUntil, wakerMinRate } from "../schedule/wait.ts";
import { iterationEnded, iterationStarted, resetIdleWaits } from "../schedule/idle_wait.ts";
import type { RunInfo } from "./output.ts";
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
  /**
   * Optional, called before {@link ScenarioRun.prepare}: points the scenario at a stand-in
   * server on this thread for a rehearsal of its hot path (`core/run/rehearsal.ts`), and
   * resolves to the rehearsal's end, which points it back at its target and forgets what the
   * rehearsal left (counts, pace); null when it cannot rehearse.
   */
  rehearse?(): Promise<(() => Promise<void>) | null>;
  /** Called once after the scenario ended (close connections). */
  close?(): void;
}

/** How to run. */
export interface RunOptions {
  readonly scenarios: readonly ScenarioRun[];
  /** The registry scenarios record into (shared, so ticks see everything). */
  readonly registry: MetricRegistry;
  /**
   * Receives each tick's delta. Valid only during the call: its histograms are reused for the
   * next interval, so a receiver encodes or merges it before returning. Default: discarded.
   */
  readonly onDelta?: (delta: Snapshot) => void;
  readonly segment?: Segment;
  /** Aborts to stop starting iterations (SIGINT, threshold abort). */
  readonly stop?: AbortSignal;
  /** Aborts to cut in-flight iterations at once (a second SIGINT). */
  readonly interrupt?: AbortSignal;
  /** Tick interval, ms (default 1000). */
  readonly tickMs?: number;
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

/** What one load thread did. */
export interface LoadResult {
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** Elapsed ms, monotonic. */
  readonly durationMs: number;
  /** True when `stop` ended the run before its plan did. */
  readonly stopped: boolean;
  readonly scenarios: readonly ScenarioResult[];
  /** CPU time of the process over the run, ms. */
  readonly cpuMs: number;
  /** Time spent yielding just before due arrivals, ms (precise timing's CPU cost). */
  readonly spinMs: number;
}

/**
 * True when these scenarios pace arrivals fast enough for the waker to pay (see
 * `wakerMinRate`: any open-loop rate in the default `slice` timing). VU runs never need it.
 */
export function needsWaker(scenarios: readonly ScenarioRun[]): boolean {
  let rate = 0;
  for (const s of scenarios) rate += s.executor.plan().peakRate ?? 0;
  return rate > 0 && rate >= wakerMinRate();
}

/**
 * Runs every scenario to its end and returns the merged results. Holds the waker when
 * `needsWaker`; a caller that must not block at the start instant (a load worker) holds it
 * earlier itself.
 */
export async function runScenarios(opts: RunOptions): Promise<LoadResult> {
  const releaseWaker = needsWaker(opts.scenarios) ? holdWaker() : () => {};
  try {
    return await runAll(opts);
  } finally {
    releaseWaker();
  }
}

async function runAll(opts: RunOptions): Promise<LoadResult> {
  const reg = opts.registry;
  for (const d of CORE_METRICS) reg.define(d);
  const segment = opts.segment ?? { index: 0, count: 1 };
  const stop = opts.stop ?? new AbortController().signal;
  const tickMs = opts.tickMs ?? 1000;
  resetIdleWaits();
  await prepareCpuTime();

  if (opts.startAt !== undefined && opts.startAt > performance.now()) {
    await waitUntil(opts.startAt);
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const cpu0 = processCpuMs();
  const spin0 = spinTimeMs();
  const tick = () => {
    const delta = reg.drain();
    opts.onDelta?.(delta);
    reg.recycle(delta);
  };

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
  return {
    startedAt,
    endedAt: new Date(),
    durationMs: performance.now() - t0,
    stopped: stop.aborted,
    scenarios: results,
    cpuMs: processCpuMs() - cpu0,
    spinMs: spinTimeMs() - spin0,
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
      // Counted per thread: while none is in flight, waits may block the thread (ADR 24).
      iterationStarted();
      try {
        await s.iterate(vu, scheduled, signal);
      } finally {
        iterationEnded();
      }
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
    hardStop: cut.signal,
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
