/**
 * Runs a workload on N Web Workers, one segment each, and folds their per-tick deltas into one
 * run, exactly as if one thread had recorded everything. Workers start at one shared instant;
 * each tick message is also a heartbeat. A worker that errors or falls silent is terminated and
 * reported as lost with its share of the load; the others carry on and their results are kept.
 *
 * @module
 */
import { ExitCode, RampaError } from "../../core/errors.ts";
import type { ExecutorResult } from "../../core/executors/executor.ts";
import { releaseHistogram } from "../../core/metrics/histogram.ts";
import {
  createSnapshot,
  decodeSnapshot,
  mergeSnapshot,
  type Snapshot,
} from "../../core/metrics/snapshot.ts";
import { Aggregator } from "../../core/run/aggregator.ts";
import { prepareCpuTime, processCpuMs } from "../../core/run/cpu_time.ts";
import type { Output, Tick } from "../../core/run/output.ts";
import type { PlannedScenario, RunResult, ScenarioResult } from "../../core/run/runner.ts";

export type { PlannedScenario };
import type { WorkloadSpec } from "../workload.ts";
import { CheckLog } from "../../core/scenario/checks.ts";
import type { FromWorker, ToWorker, WorkerDone } from "./protocol.ts";
import { trendOf } from "../../core/summary/describe.ts";
import type { WorkerShare } from "../../core/summary/build.ts";
import type { TimingMode } from "../../core/schedule/wait.ts";

/** How to run on workers. */
export interface PoolOptions {
  readonly spec: WorkloadSpec;
  readonly workers: number;
  readonly plans: readonly PlannedScenario[];
  readonly outputs: readonly Output[];
  readonly onTick?: (tick: Tick) => void;
  readonly stop: AbortSignal;
  readonly interrupt: AbortSignal;
  readonly onUnreachable: (message: string) => void;
  /** The run's `--timing` mode, applied in each worker. */
  readonly timing: TimingMode;
  readonly tickMs?: number;
  /** Silence after which a worker counts as lost. */
  readonly heartbeatMs?: number;
  /** Reports a line to the user. */
  readonly report: (line: string) => void;
}

/** One worker's share, for the summary. */
export type WorkerReport = WorkerShare;

/** What a pooled run returns besides the RunResult. */
export interface PoolResult {
  result: RunResult;
  errorExamples: Map<string, string>;
  /** Failure reasons of checks, summed over the workers. */
  checks: CheckLog;
  iterationErrors: Map<string, { count: number; example: string }>;
  workers: WorkerReport[];
}

interface Slot {
  worker: Worker;
  lastSeen: number;
  done: WorkerDone | null;
  lost: string | null;
  lag: Snapshot;
  settle: () => void;
}

const WORKER_URL = new URL("./worker_main.ts", import.meta.url);

/** Runs the pool to its end. */
export async function runOnWorkers(o: PoolOptions): Promise<PoolResult> {
  const tickMs = o.tickMs ?? 1000;
  const heartbeatMs = o.heartbeatMs ?? Math.max(3000, tickMs * 3);
  let pending = createSnapshot();
  const slots: Slot[] = [];
  const ready: Promise<void>[] = [];
  const finished: Promise<void>[] = [];

  for (let i = 0; i < o.workers; i++) {
    const worker = new Worker(WORKER_URL, { type: "module" });
    let onReady!: () => void;
    let onFail!: (e: Error) => void;
    ready.push(new Promise<void>((res, rej) => ((onReady = res), (onFail = rej))));
    let settle!: () => void;
    finished.push(new Promise<void>((r) => (settle = r)));
    const slot: Slot = {
      worker,
      lastSeen: performance.now(),
      done: null,
      lost: null,
      lag: createSnapshot(),
      settle,
    };
    slots.push(slot);
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      slot.lastSeen = performance.now();
      if (m.type === "ready") onReady();
      else if (m.type === "error") onFail(new RampaError(m.message, m.exitCode as 2));
      else if (m.type === "tick") {
        const d = decodeSnapshot(m.delta);
        for (const [k, s] of d.series) {
          if (s.metric === "scheduler_lag") {
            const only = createSnapshot();
            only.metrics.set(s.metric, d.metrics.get(s.metric)!);
            only.series.set(k, s);
            mergeSnapshot(slot.lag, only, "time");
          }
        }
        mergeSnapshot(pending, d, "shares");
        releaseAll(d);
      } else if (m.type === "unreachable") o.onUnreachable(m.message);
      else if (m.type === "done") {
        slot.done = m.report;
        worker.terminate();
        settle();
      }
    };
    worker.onerror = (e) => {
      // Without preventDefault an error in a worker ends the whole process.
      e.preventDefault();
      lose(slot, `worker ${i} crashed: ${e.message}`);
      onFail(new RampaError(`Worker ${i} failed to start: ${e.message}`, ExitCode.WORKER_LOST));
    };
    const init: ToWorker = {
      type: "init",
      spec: o.spec,
      segment: { index: i, count: o.workers },
      tickMs,
      timing: o.timing,
    };
    worker.postMessage(init);
  }

  // Stops reach the workers from now on, warm-up included: a worker that finds the target
  // unreachable while warming up stops the run, and the others must not warm up (or run) on.
  const post = (m: ToWorker) => {
    for (const s of slots) if (!s.done && !s.lost) s.worker.postMessage(m);
  };
  const onStop = () => post({ type: "stop" });
  const onInterrupt = () => post({ type: "interrupt" });
  o.stop.addEventListener("abort", onStop, { once: true });
  o.interrupt.addEventListener("abort", onInterrupt, { once: true });
  if (o.stop.aborted) onStop();
  if (o.interrupt.aborted) onInterrupt();

  function lose(slot: Slot, reason: string): void {
    if (slot.done || slot.lost) return;
    slot.lost = reason;
    slot.worker.terminate();
    o.report(`! ${reason}; its share of the load is lost, the other workers carry on`);
    slot.settle();
  }

  try {
    await Promise.all([...ready, prepareCpuTime()]);
  } catch (e) {
    for (const s of slots) s.worker.terminate();
    o.stop.removeEventListener("abort", onStop);
    o.interrupt.removeEventListener("abort", onInterrupt);
    throw e;
  }

  const agg = new Aggregator(o.outputs, o.onTick, releaseAll);
  const startEpoch = performance.timeOrigin + performance.now() + 50;
  for (const s of slots) {
    s.lastSeen = performance.now() + 50;
    s.worker.postMessage({ type: "start", atEpochMs: startEpoch } satisfies ToWorker);
  }
  const t0 = startEpoch - performance.timeOrigin;
  const startedAt = new Date(startEpoch);
  const cpu0 = processCpuMs();
  agg.begin(t0);

  const ticker = setInterval(() => {
    const now = performance.now();
    for (const [i, s] of slots.entries()) {
      if (!s.done && !s.lost && now - s.lastSeen > heartbeatMs) {
        lose(
          s,
          `worker ${i} stopped responding (no heartbeat for ${Math.round(now - s.lastSeen)} ms)`,
        );
      }
    }
    const delta = pending;
    pending = createSnapshot();
    agg.tick(delta);
  }, tickMs);
  await Promise.all(finished);
  clearInterval(ticker);
  o.stop.removeEventListener("abort", onStop);
  o.interrupt.removeEventListener("abort", onInterrupt);
  agg.tick(pending);
  const durationMs = performance.now() - t0;
  const cpuMs = processCpuMs() - cpu0;

  if (slots.every((s) => s.lost)) {
    throw new RampaError(`Every worker was lost: ${slots[0].lost}`, ExitCode.WORKER_LOST);
  }
  const scenarios: ScenarioResult[] = o.plans.map((p) => {
    const r: ExecutorResult = { started: 0, dropped: 0, interrupted: 0, stopped: false };
    for (const s of slots) {
      const mine = s.done?.scenarios.find((x) => x.name === p.name)?.result;
      if (!mine) continue;
      r.started += mine.started;
      r.dropped += mine.dropped;
      r.interrupted += mine.interrupted;
      r.stopped ||= mine.stopped;
    }
    return { name: p.name, startTimeMs: p.startTimeMs, plan: p.plan, result: r, target: p.target };
  });
  const errorExamples = new Map<string, string>();
  const checks = new CheckLog();
  const iterationErrors = new Map<string, { count: number; example: string }>();
  let spinMs = 0;
  for (const s of slots) {
    if (!s.done) continue;
    spinMs += s.done.spinMs;
    for (const [k, v] of s.done.errorExamples) if (!errorExamples.has(k)) errorExamples.set(k, v);
    for (const [name, reasons] of s.done.checkReasons) {
      for (const [r, n] of reasons) checks.fail(name, r, n);
    }
    for (const [k, v] of s.done.iterationErrors) {
      const e = iterationErrors.get(k);
      if (e) e.count += v.count;
      else iterationErrors.set(k, { ...v });
    }
  }
  return {
    result: {
      startedAt,
      endedAt: new Date(),
      durationMs,
      stopped: o.stop.aborted,
      total: agg.total,
      timeline: agg.timeline,
      scenarios,
      cpu: cpuMs / durationMs,
      spin: spinMs / durationMs,
    },
    errorExamples,
    checks,
    iterationErrors,
    workers: slots.map((s, index) => {
      const sum = (f: "started" | "dropped" | "interrupted") =>
        (s.done?.scenarios ?? []).reduce((a, x) => a + x.result[f], 0);
      return {
        index,
        started: sum("started"),
        dropped: sum("dropped"),
        interrupted: sum("interrupted"),
        lagP99: trendOf(s.lag, "scheduler_lag").p99,
        lost: s.lost !== null,
        reason: s.lost,
      };
    }),
  };
}

function releaseAll(d: Snapshot): void {
  for (const s of d.series.values()) {
    if (s.hist) releaseHistogram(s.hist);
    s.hist = null;
  }
}
