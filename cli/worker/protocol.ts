/**
 * Messages between the main thread (the collector's) and load workers. Per-request traffic
 * never crosses this boundary: a worker receives the run description once, sends one encoded
 * snapshot delta per tick (which doubles as a heartbeat) and its evidence at the end; the main
 * thread sends the start instant and stop requests.
 *
 * @module
 */
import type { EncodedSnapshot } from "../../core/metrics/snapshot.ts";
import type { Evidence } from "../../core/run/evidence.ts";
import type { RunSpec } from "../../core/run/spec.ts";
import type { Segment } from "../../core/types.ts";

/** Main → worker. */
export type ToWorker =
  | { type: "init"; spec: RunSpec; segment: Segment }
  /** Start at this epoch ms (performance.timeOrigin + now), the same instant for every worker. */
  | { type: "start"; atEpochMs: number }
  | { type: "stop" }
  | { type: "interrupt" }
  /** The cells of a waker thread the main thread started for this worker (answer to "waker"). */
  | { type: "waker"; cells: SharedArrayBuffer };

/** A worker's final report: its evidence and CPU use. */
export interface WorkerDone {
  evidence: Evidence;
  cpuMs: number;
}

/** Worker → main. */
export type FromWorker =
  | { type: "ready" }
  /**
   * Asks for a waker thread: one started by a worker starts ~1 s late (Deno 2.9), one started
   * by the main thread in ~30 ms.
   */
  | { type: "waker" }
  | { type: "error"; message: string; exitCode: number }
  | { type: "tick"; delta: EncodedSnapshot }
  /** A warm-up delta: the collector rehearses with it and discards it. */
  | { type: "warm"; delta: EncodedSnapshot }
  | { type: "unreachable"; message: string }
  | { type: "done"; report: WorkerDone };
