/**
 * The collector: the one place a run's results come together, used the same way for one load
 * thread, many Web Workers and (next) many hosts. Load threads hand it snapshot deltas
 * ({@link Collector.add}); on its own tick it folds them into the run's total and time series,
 * judges thresholds live (an `abortOnFail` threshold stops the run), and hands the tick to every
 * output. Outputs' `push` is synchronous and buffer-only by contract, and the collector never
 * runs on a load thread, so a slow sink cannot touch the load.
 *
 * @module
 */
import { releaseHistogram } from "../metrics/histogram.ts";
import { DEFAULT_MAX_SERIES, OTHER } from "../metrics/registry.ts";
import { createSnapshot, mergeSnapshot, type Snapshot } from "../metrics/snapshot.ts";
import type { RequestFamily } from "../protocol/types.ts";
import type { EarlyEnd } from "../summary/verdict.ts";
import { type Threshold, ThresholdEvaluator, type ThresholdResult } from "../thresholds/mod.ts";
import { formatDuration } from "../units.ts";
import { ExitCode } from "../errors.ts";
import type { Output, RunInfo, Tick } from "./output.ts";
import { Timeline } from "./timeline.ts";

/** How a collector judges and reports. */
export interface CollectorOptions {
  readonly outputs: readonly Output[];
  readonly thresholds: readonly Threshold[];
  /** The protocols' request families, for the time series. */
  readonly families: readonly RequestFamily[];
  /** Reports a line to the user (stderr). */
  readonly report: (line: string) => void;
  /** Called once when an abortOnFail threshold crosses: the caller stops the load. */
  readonly onAbort: (end: EarlyEnd) => void;
  /** Tick interval, ms. @default 1000 */
  readonly tickMs?: number;
  /** The load threads' series cap, named in the warning when they reach it. */
  readonly maxSeries?: number;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Collects a run; see the module doc. */
export class Collector {
  /** Everything collected so far. */
  readonly total: Snapshot = createSnapshot();
  readonly timeline: Timeline;
  readonly #o: CollectorOptions;
  readonly #evaluator: ThresholdEvaluator;
  readonly #families: readonly RequestFamily[];
  #pending: Snapshot = createSnapshot();
  #t0 = 0;
  #last = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #aborted = false;
  #failedOutputs = new Set<Output>();

  /** A collector for one run. */
  constructor(o: CollectorOptions) {
    this.#o = o;
    this.timeline = new Timeline(o.families);
    this.#families = o.families;
    this.#evaluator = new ThresholdEvaluator([...o.thresholds]);
  }

  /** Starts every output (before any load: a file that cannot be written stops the run). */
  async start(info: RunInfo): Promise<void> {
    for (const out of this.#o.outputs) await out.start(info);
  }

  /** Sets the run's time zero (`performance.now()`) and starts ticking. */
  begin(t0: number): void {
    this.#t0 = t0;
    this.#last = t0;
    this.#timer = setInterval(() => this.tick(), this.#o.tickMs ?? 1000);
  }

  /** Adds a load thread's delta (shares of one load add up); the caller keeps `delta`. */
  add(delta: Snapshot): void {
    this.#noticeFolds(delta);
    mergeSnapshot(this.#pending, delta, "shares");
  }

  #folded = new Set<string>();

  /** Says once per set of tags that a load thread reached its series cap (values folded). */
  #noticeFolds(delta: Snapshot): void {
    for (const s of delta.series.values()) {
      // Nothing allocated for the ordinary series: only a folded one builds its tag list.
      let folded = false;
      for (const k in s.tags) if (s.tags[k] === OTHER) folded = true;
      if (!folded) continue;
      const tags = Object.keys(s.tags).filter((k) => s.tags[k] === OTHER);
      // Once per set of folded tags, not once per metric of a family (eleven HTTP trends).
      const key = tags.join(",");
      if (tags.length === 0 || this.#folded.has(key)) continue;
      this.#folded.add(key);
      this.#o.report(
        `! ${s.metric} and others: more than ${
          this.#o.maxSeries ?? DEFAULT_MAX_SERIES
        } distinct tag sets; further values of ${tags.join(", ")} are counted as "${OTHER}" ` +
          "(--max-series)",
      );
    }
  }

  /**
   * Goes through a warm-up delta the way a tick would (merge, time series) into scratch state,
   * and forgets it: the JIT compiles the collector's path before the measured run, so that
   * compiling it does not take the load threads' CPU in the first measured seconds.
   */
  rehearse(delta: Snapshot): void {
    const scratch = createSnapshot();
    mergeSnapshot(scratch, delta, "shares");
    mergeSnapshot(scratch, delta, "time");
    new Timeline(this.#families).add(1000, 1000, delta);
    for (const s of scratch.series.values()) {
      if (s.hist) releaseHistogram(s.hist);
      s.hist = null;
    }
  }

  /** Folds in the interval ending now and hands it to thresholds and outputs. */
  tick(): void {
    const delta = this.#pending;
    this.#pending = createSnapshot();
    const now = performance.now();
    mergeSnapshot(this.total, delta, "time");
    this.timeline.add(now - this.#t0, now - this.#last, delta);
    const tk: Tick = {
      elapsedMs: now - this.#t0,
      intervalMs: now - this.#last,
      delta,
      total: this.total,
    };
    this.#last = now;
    for (const out of this.#o.outputs) {
      try {
        out.push(tk);
      } catch (e) {
        // One message per output: a sink that fails every tick must not flood the console.
        if (!this.#failedOutputs.has(out)) {
          this.#failedOutputs.add(out);
          this.#o.report(
            `! output ${out.describe()} failed: ${e instanceof Error ? e.message : e}`,
          );
        }
      }
    }
    this.#judge(tk);
    for (const s of delta.series.values()) {
      if (s.hist) releaseHistogram(s.hist);
      s.hist = null;
    }
  }

  /** Stops ticking and folds in what is still pending. */
  end(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.tick();
  }

  /** Threshold results on the total, for the summary. */
  thresholdResults(durationMs: number): ThresholdResult[] {
    return this.#evaluator.results(this.total, durationMs);
  }

  #judge(tk: Tick): void {
    const { abort, warnings } = this.#evaluator.onTick(tk.elapsedMs, tk.delta, tk.total);
    for (const w of warnings) {
      this.#o.report(
        `! threshold "${w.threshold.key}: ${w.threshold.expression}" is failing (observed ${
          round(w.observed)
        }); the run aborts at ${formatDuration(w.threshold.delayAbortEvalMs)} unless it recovers`,
      );
    }
    if (abort && !this.#aborted) {
      this.#aborted = true;
      const t = abort.threshold;
      const end: EarlyEnd = {
        status: "aborted",
        reason: `threshold "${t.key}: ${t.expression}" crossed at ${
          formatDuration(abort.atMs)
        } (observed ${round(abort.observed)})`,
        exitCode: ExitCode.ABORTED_BY_THRESHOLD,
      };
      this.#o.onAbort(end);
    }
  }
}
