/**
 * Folds interval deltas into the run's cumulative snapshot and time series, and hands each
 * tick to outputs and live checks. The local runner feeds it the registry's drains; the worker
 * pool feeds it the merged deltas of all workers: the same code judges both.
 *
 * @module
 */
import { createSnapshot, mergeSnapshot, type Snapshot } from "../metrics/snapshot.ts";
import type { Output, Tick } from "./output.ts";
import { Timeline } from "./timeline.ts";

/** Cumulative results of a run, built tick by tick. */
export class Aggregator {
  /** Everything recorded so far. */
  readonly total: Snapshot = createSnapshot();
  readonly timeline: Timeline = new Timeline();
  readonly #outputs: readonly Output[];
  readonly #onTick?: (tick: Tick) => void;
  readonly #recycle: (delta: Snapshot) => void;
  #t0 = 0;
  #last = 0;

  /** `recycle` takes back a delta's histograms once every reader saw it. */
  constructor(
    outputs: readonly Output[],
    onTick: ((tick: Tick) => void) | undefined,
    recycle: (delta: Snapshot) => void,
  ) {
    this.#outputs = outputs;
    this.#onTick = onTick;
    this.#recycle = recycle;
  }

  /** Sets the run's time zero (`performance.now()`). */
  begin(t0: number): void {
    this.#t0 = t0;
    this.#last = t0;
  }

  /** Folds in the interval ending now. */
  tick(delta: Snapshot): void {
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
    for (const o of this.#outputs) o.push(tk);
    this.#onTick?.(tk);
    // Tick data is only valid during push/onTick (see Output): its histograms are reused.
    this.#recycle(delta);
  }
}
