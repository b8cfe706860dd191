/**
 * Messages between the main thread and load workers. Per-request traffic never crosses this
 * boundary: workers send one encoded snapshot delta per tick (which doubles as a heartbeat)
 * and a final report; the main thread sends the start time and stop requests.
 *
 * @module
 */
import type { EncodedSnapshot } from "../../core/metrics/snapshot.ts";
import type { TimingMode } from "../../core/schedule/wait.ts";
import type { ExecutorResult } from "../../core/executors/executor.ts";
import type { Segment } from "../../core/types.ts";
import type { WorkloadSpec } from "../workload.ts";

/** Main → worker. */
export type ToWorker =
  | { type: "init"; spec: WorkloadSpec; segment: Segment; tickMs: number; timing: TimingMode }
  /** Start at this epoch ms (performance.timeOrigin + now), the same instant for every worker. */
  | { type: "start"; atEpochMs: number }
  | { type: "stop" }
  | { type: "interrupt" };

/** A worker's final report. */
export interface WorkerDone {
  scenarios: { name: string; result: ExecutorResult }[];
  spinMs: number;
  errorExamples: [string, string][];
  checkReasons: [string, [string, number][]][];
  iterationErrors: [string, { count: number; example: string }][];
}

/** Worker → main. */
export type FromWorker =
  | { type: "ready" }
  | { type: "error"; message: string; exitCode: number }
  | { type: "tick"; delta: EncodedSnapshot }
  | { type: "unreachable"; message: string }
  | { type: "done"; report: WorkerDone };
