/**
 * Runs a run description on N Web Workers, one segment each, and feeds their deltas to the
 * collector, exactly as if one thread had recorded everything. Every run's load runs on
 * workers (`--workers 1` is one), so the main thread is always the collector's and never the
 * load's (ADR 13). Workers start at one shared instant; each tick message is also a
 * heartbeat. A worker that errors or falls silent is terminated and reported as lost with its
 * share of the load; the others carry on and their results are kept.
 *
 * @module
 */
import { ExitCode, RampaError } from "../../core/errors.ts";
import { releaseHistogram } from "../../core/metrics/histogram.ts";
import {
  createSnapshot,
  decodeSnapshot,
  mergeSnapshot,
  type Snapshot,
} from "../../core/metrics/snapshot.ts";
import type { Collector } from "../../core/run/collector.ts";
import { prepareCpuTime, processCpuMs } from "../../core/run/cpu_time.ts";
import { createEvidence, type Evidence, mergeEvidence } from "../../core/run/evidence.ts";
import type { RunSpec } from "../../core/run/spec.ts";
import type { Segment } from "../../core/types.ts";
import { trendOf } from "../../core/summary/describe.ts";
import type { WorkerShare } from "../../core/summary/build.ts";
import { startWakerThread } from "../../core/schedule/waker.ts";
import { workerOptions } from "./permissions.ts";
import type { FromWorker, ToWorker, WorkerDone } from "./protocol.ts";

/** How to run on workers. */
export interface PoolOptions {
  readonly spec: RunSpec;
  readonly collector: Collector;
  readonly stop: AbortSignal;
  readonly interrupt: AbortSignal;
  readonly onUnreachable: (message: string) => void;
  /** Silence after which a worker counts as lost. */
  readonly heartbeatMs?: number;
  /** Reports a line to the user. */
  readonly report: (line: string) => void;
}

/** What a pooled run returns. */
export interface PoolResult {
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly durationMs: number;
  /** Process CPU over the run as a share of one core. */
  readonly cpu: number;
  /** With `--start-at`: how late the load started (ms; negative = early), else null. */
  readonly startSkewMs: number | null;
  readonly evidence: Evidence;
  readonly workers: WorkerShare[];
}

interface Slot {
  worker: Worker;
  /** The waker thread started for it (see `startWakerThread`), ended with it. */
  waker: Worker | null;
  lastSeen: number;
  done: WorkerDone | null;
  lost: string | null;
  lag: Snapshot;
  settle: () => void;
}

const WORKER_URL = new URL("./worker_main.ts", import.meta.url);

let spare: Worker | null = null;

/**
 * Starts one load worker ahead of need, so that its module loading (~65 ms, measured) overlaps
 * the main thread's own start-up (flags, the run description, outputs) instead of following it.
 * The next run takes it; {@link discardSpareWorker} ends it when no run came.
 */
export function prestartWorker(): void {
  spare ??= new Worker(WORKER_URL, { type: "module" });
}

/** Ends a worker started ahead of need that no run took. */
export function discardSpareWorker(): void {
  spare?.terminate();
  spare = null;
}

/**
 * A load worker with `permissions`. The spare, started before the run's permissions were
 * known, has rampa's own: only runs without user code (ad-hoc URLs) may take it.
 */
function takeWorker(permissions: RunSpec["permissions"]): Worker {
  if (permissions !== undefined && permissions !== "inherit") {
    discardSpareWorker();
    return new Worker(WORKER_URL, workerOptions(permissions));
  }
  const w = spare ?? new Worker(WORKER_URL, { type: "module" });
  spare = null;
  return w;
}

/**
 * Worker `i` of `n` inside `host`'s segment: striping composes, so the union over every
 * host's workers is exactly the unsplit run.
 */
export function workerSegment(host: Segment, i: number, n: number): Segment {
  return { index: host.index + i * host.count, count: host.count * n };
}

/** Time between posting the start instant and the instant itself, ms. */
const START_MARGIN_MS = 10;

/** Runs the pool to its end. */
export async function runOnWorkers(o: PoolOptions): Promise<PoolResult> {
  const n = o.spec.workers;
  const tickMs = o.spec.tickMs;
  const heartbeatMs = o.heartbeatMs ?? Math.max(3000, tickMs * 3);
  const slots: Slot[] = [];
  const ready: Promise<void>[] = [];
  const finished: Promise<void>[] = [];

  for (let i = 0; i < n; i++) {
    const worker = takeWorker(o.spec.permissions);
    let onReady!: () => void;
    let onFail!: (e: Error) => void;
    ready.push(new Promise<void>((res, rej) => ((onReady = res), (onFail = rej))));
    let settle!: () => void;
    finished.push(new Promise<void>((r) => (settle = r)));
    const slot: Slot = {
      worker,
      waker: null,
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
      else if (m.type === "waker") {
        const { cells, thread } = startWakerThread();
        slot.waker?.terminate();
        slot.waker = thread;
        worker.postMessage({ type: "waker", cells } satisfies ToWorker);
      } else if (m.type === "error") onFail(new RampaError(m.message, m.exitCode as 2));
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
        o.collector.add(d);
        releaseAll(d);
      } else if (m.type === "warm") {
        const d = decodeSnapshot(m.delta);
        o.collector.rehearse(d);
        releaseAll(d);
      } else if (m.type === "unreachable") o.onUnreachable(m.message);
      else if (m.type === "done") {
        slot.done = m.report;
        end(slot);
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
      segment: workerSegment(o.spec.segment, i, n),
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
    end(slot);
    o.report(`! ${reason}; its share of the load is lost, the other workers carry on`);
    slot.settle();
  }

  // A signal while the threads prepare (import, warm-up, pre-connect to a silent port) ends the
  // wait: nothing was measured, but the run still ends with its summary.
  let onPrepStop!: () => void;
  const stoppedEarly = new Promise<"stopped">((r) => {
    onPrepStop = () => r("stopped");
    if (o.stop.aborted) onPrepStop();
    else o.stop.addEventListener("abort", onPrepStop, { once: true });
  });
  let early: "stopped" | void[];
  try {
    early = await Promise.race([Promise.all([...ready, prepareCpuTime()]), stoppedEarly]);
  } catch (e) {
    for (const s of slots) end(s);
    o.stop.removeEventListener("abort", onStop);
    o.interrupt.removeEventListener("abort", onInterrupt);
    throw e;
  } finally {
    o.stop.removeEventListener("abort", onPrepStop);
  }
  if (early === "stopped") {
    for (const s of slots) end(s);
    o.stop.removeEventListener("abort", onStop);
    o.interrupt.removeEventListener("abort", onInterrupt);
    o.collector.begin(performance.now());
    o.collector.end();
    return {
      startedAt: new Date(),
      endedAt: new Date(),
      durationMs: 0,
      cpu: 0,
      startSkewMs: null,
      evidence: createEvidence(),
      workers: [],
    };
  }

  // A fleet host waits for the shared instant (wall clock: hosts agree through NTP, not through
  // their monotonic clocks), ready: threads started, scenario imported, connections open.
  let startSkewMs: number | null = null;
  if (o.spec.startAt !== undefined) {
    await waitUntilWall(o.spec.startAt - START_MARGIN_MS, o.stop, o.report);
    startSkewMs = Date.now() + START_MARGIN_MS - o.spec.startAt;
    if (startSkewMs > 100) {
      o.report(
        `! started ${(startSkewMs / 1000).toFixed(1)} s after --start-at ` +
          `${
            new Date(o.spec.startAt).toISOString()
          } (preparing took longer, or the instant was past)`,
      );
    }
  }
  // Every worker is ready and listening: a few ms are enough for the start message to reach all.
  const startEpoch = performance.timeOrigin + performance.now() + START_MARGIN_MS;
  for (const s of slots) {
    s.lastSeen = performance.now() + START_MARGIN_MS;
    s.worker.postMessage({ type: "start", atEpochMs: startEpoch } satisfies ToWorker);
  }
  const t0 = startEpoch - performance.timeOrigin;
  const startedAt = new Date(startEpoch);
  const cpu0 = processCpuMs();
  o.collector.begin(t0);

  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const [i, s] of slots.entries()) {
      if (!s.done && !s.lost && now - s.lastSeen > heartbeatMs) {
        lose(
          s,
          `worker ${i} stopped responding (no heartbeat for ${Math.round(now - s.lastSeen)} ms)`,
        );
      }
    }
  }, Math.min(tickMs, 1000));
  await Promise.all(finished);
  clearInterval(watchdog);
  o.stop.removeEventListener("abort", onStop);
  o.interrupt.removeEventListener("abort", onInterrupt);
  o.collector.end();
  const durationMs = performance.now() - t0;
  const cpuMs = processCpuMs() - cpu0;

  // Even when every worker was lost, what they delivered before is kept: the verdict reports
  // the loss (exit 10) and the summary shows what was measured.
  const evidence = createEvidence();
  for (const s of slots) if (s.done) mergeEvidence(evidence, s.done.evidence);
  return {
    startedAt,
    endedAt: new Date(),
    durationMs,
    cpu: cpuMs / durationMs,
    startSkewMs,
    evidence,
    workers: slots.map((s, index) => {
      const sum = (f: "started" | "dropped" | "interrupted") =>
        Object.values(s.done?.evidence.scenarios ?? {}).reduce((a, x) => a + x[f], 0);
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

/** Ends a slot's threads. */
function end(s: Slot): void {
  s.worker.terminate();
  s.waker?.terminate();
  s.waker = null;
}

function releaseAll(d: Snapshot): void {
  for (const s of d.series.values()) {
    if (s.hist) releaseHistogram(s.hist);
    s.hist = null;
  }
}

/** Sleeps until wall-clock `epochMs`, or until `stop` (a signal while waiting). */
async function waitUntilWall(
  epochMs: number,
  stop: AbortSignal,
  report: (line: string) => void,
): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait <= 0 || stop.aborted) return;
  if (wait > 1000) {
    report(
      `Ready; starting at ${new Date(epochMs).toISOString()} (in ${Math.round(wait / 1000)} s)`,
    );
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, wait);
    stop.addEventListener("abort", done, { once: true });
  });
}
