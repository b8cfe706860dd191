/**
 * The Output seam: a sink for a run's results. Outputs see the run only through snapshots
 * handed to them on a tick and the final summary; `push` is synchronous and must only buffer,
 * so a slow exporter can never stall the measurement loop.
 *
 * @module
 */
import type { Snapshot } from "../metrics/snapshot.ts";
import type { Summary } from "../summary/schema.ts";

/** What outputs learn when a run starts. */
export interface RunInfo {
  /** Wall-clock start, for files and exporters. */
  readonly startedAt: Date;
  /** Planned duration in ms (longest scenario incl. start time), for progress. */
  readonly plannedDurationMs: number;
  /** Scenario names and executors. */
  readonly scenarios: readonly { name: string; executor: string; target?: string }[];
  /** The thresholds as written, for an output that judges elsewhere (a fleet coordinator). */
  readonly thresholds?: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * One tick of a running test. Valid only during the `push`/`onTick` call: the delta's
 * histograms are reused for the next interval, so a reader that keeps data copies it
 * (`mergeSnapshot` into its own snapshot).
 */
export interface Tick {
  /** Elapsed ms since the run's start. */
  readonly elapsedMs: number;
  /** Length of the interval this delta covers, ms. */
  readonly intervalMs: number;
  /** What was recorded during the interval (read-only for outputs). */
  readonly delta: Snapshot;
  /** Everything recorded so far (read-only for outputs). */
  readonly total: Snapshot;
}

/** What a sink that sends elsewhere (a streaming exporter) reports about its deliveries. */
export interface OutputStats {
  /** Batches delivered. */
  readonly sent: number;
  /** Attempts that failed (each retry counts). */
  readonly failed: number;
  /** Batches given up on (queue full or retries exhausted). */
  readonly dropped: number;
  /** The last failure's message (credentials redacted), or null. */
  readonly lastError: string | null;
}

/** A results sink. */
export interface Output {
  /** Short description for the start banner, e.g. `json (out.json)`. */
  describe(): string;
  /** Prepares (open files, check paths); throwing here stops the run before any load. */
  start(info: RunInfo): Promise<void> | void;
  /** Buffers one tick. Synchronous by contract: never awaits, never blocks. */
  push(tick: Tick): void;
  /** Flushes and writes the final summary. */
  stop(summary: Summary): Promise<void> | void;
  /**
   * Delivery counts of a sink that sends elsewhere; read after `stop`. The summary lists them
   * and the console names a sink that dropped or failed, once.
   */
  stats?(): OutputStats;
  /**
   * Stopped after every other output (the console): it is read by a person, so its verdict
   * line can already say that a file could not be written.
   */
  readonly reportsLast?: boolean;
}
