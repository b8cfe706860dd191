/**
 * Evaluates parsed thresholds against a run's snapshots. On every tick it feeds windowed
 * thresholds their interval and checks `abortOnFail` thresholds against the live total (or
 * their window); at the end it judges every threshold on the final merged total. Pure: time
 * is the elapsed ms the caller passes in, so tests replay a run from snapshots alone.
 *
 * @module
 */
import type { Snapshot } from "../metrics/snapshot.ts";
import { seriesKey } from "../metrics/snapshot.ts";
import { formatDuration } from "../units.ts";
import { badness, compare } from "./expression.ts";
import { matchingSeries, observeSeries, observeSnapshot } from "./observe.ts";
import type { Threshold, ThresholdResult } from "./types.ts";
import { SlidingWindow } from "./window.ts";

/** A threshold that asked to stop the run, with the value that breached it and when. */
export interface ThresholdAbort {
  readonly threshold: Threshold;
  readonly observed: number;
  /** Elapsed ms of the tick that saw the breach. */
  readonly atMs: number;
}

/** What one tick decided. */
export interface TickVerdict {
  /** Set on the one tick where the first abort was found; null otherwise. */
  readonly abort: ThresholdAbort | null;
  /**
   * abortOnFail thresholds that are breached but still inside their delayAbortEval: the run
   * will abort unless they recover. Each is reported once, on the tick it is first seen.
   */
  readonly warnings: readonly ThresholdAbort[];
}

interface State {
  readonly t: Threshold;
  readonly window: SlidingWindow | null;
  /** Worst full window so far. */
  worst: { value: number; badness: number; atMs: number } | null;
  breached: boolean;
  aborted: ThresholdAbort | null;
  warned: boolean;
}

/** Follows a run tick by tick and judges its thresholds. */
export class ThresholdEvaluator {
  readonly #states: State[];
  #lastMs = 0;
  #abort: ThresholdAbort | null = null;

  /** Starts evaluating `thresholds` for a run that begins at elapsed 0. */
  constructor(thresholds: readonly Threshold[]) {
    this.#states = thresholds.map((t) => ({
      t,
      window: t.windowMs === null ? null : new SlidingWindow(t.windowMs, t.kind),
      worst: null,
      breached: false,
      aborted: null,
      warned: false,
    }));
  }

  /** The abort reported so far, if any (it is reported by {@link onTick} only once). */
  get aborted(): ThresholdAbort | null {
    return this.#abort;
  }

  /**
   * Takes one tick: `delta` is what the interval ending at `elapsedMs` recorded, `total` the
   * run so far. Returns the first `abortOnFail` threshold breached past its delay, once.
   */
  onTick(elapsedMs: number, delta: Snapshot, total: Snapshot): TickVerdict {
    const startMs = this.#lastMs;
    this.#lastMs = Math.max(elapsedMs, startMs);
    let abort: ThresholdAbort | null = null;
    const warnings: ThresholdAbort[] = [];
    for (const st of this.#states) {
      this.#warn(st, elapsedMs, total, warnings);
      const observed = st.window
        ? this.#slide(st, startMs, elapsedMs, delta)
        : this.#live(st, elapsedMs, total);
      const t = st.t;
      if (
        observed === null || !t.abortOnFail || abort || this.#abort ||
        elapsedMs < t.delayAbortEvalMs || compare(observed, t.op, t.value)
      ) continue;
      abort = { threshold: t, observed, atMs: elapsedMs };
      st.aborted = abort;
    }
    if (abort) this.#abort = abort;
    return { abort, warnings };
  }

  /** An abortOnFail threshold breached during its delay: about to abort. */
  #warn(st: State, elapsedMs: number, total: Snapshot, out: ThresholdAbort[]): void {
    const t = st.t;
    if (!t.abortOnFail || st.warned || this.#abort || st.window) return;
    if (elapsedMs >= t.delayAbortEvalMs) return;
    const observed = observeSnapshot(t, total, elapsedMs);
    if (observed === null || compare(observed, t.op, t.value)) return;
    st.warned = true;
    out.push({ threshold: t, observed, atMs: elapsedMs });
  }

  /** Pushes the interval into the window and judges the window if it is full. */
  #slide(st: State, startMs: number, endMs: number, delta: Snapshot): number | null {
    const w = st.window!;
    w.push(startMs, endMs, matchingSeries(delta, st.t));
    const view = w.view();
    if (!view || !view.full || !view.hasData) return null;
    const value = observeSeries(st.t, view.series, view.spanMs);
    this.#judgeWindow(st, value, endMs);
    return value;
  }

  #judgeWindow(st: State, value: number, atMs: number): void {
    const t = st.t;
    const bad = badness(value, t.op, t.value);
    if (!st.worst || bad > st.worst.badness) st.worst = { value, badness: bad, atMs };
    if (!compare(value, t.op, t.value)) st.breached = true;
  }

  /** The whole-run value, computed only for thresholds that may abort (the rest wait). */
  #live(st: State, elapsedMs: number, total: Snapshot): number | null {
    const t = st.t;
    if (!t.abortOnFail || this.#abort || elapsedMs < t.delayAbortEvalMs) return null;
    return observeSnapshot(t, total, elapsedMs);
  }

  /**
   * Judges every threshold on the run's final `total`. `elapsedMs` (the run's length, for
   * counter rates) defaults to the last tick's. A windowed threshold whose run never filled
   * one window is judged on the whole run as its only window.
   */
  results(total: Snapshot, elapsedMs: number = this.#lastMs): ThresholdResult[] {
    return this.#states.map((st) => {
      const t = st.t;
      const metric = seriesKey(t.metric, t.tags);
      const base: ThresholdResult = {
        metric,
        expression: t.expression,
        observed: null,
        passed: false,
        abortOnFail: t.abortOnFail,
      };
      if (t.key !== metric) base.key = t.key;
      const observed = observeSnapshot(t, total, elapsedMs);
      if (observed === null) return noData(base, t);
      if (st.aborted) {
        return {
          ...base,
          observed: st.aborted.observed,
          status: "failed",
          reason: `aborted the run at ${formatDuration(st.aborted.atMs)}`,
          abortedAtMs: st.aborted.atMs,
        };
      }
      if (st.window) {
        if (!st.worst) this.#judgeWindow(st, observed, elapsedMs);
        const worst = st.worst!;
        const passed = !st.breached;
        return {
          ...base,
          observed: worst.value,
          passed,
          status: passed ? "passed" : "failed",
          window: { ms: t.windowMs!, worst: worst.value, atMs: worst.atMs },
          ...(passed ? {} : {
            reason: `breached in the ${formatDuration(t.windowMs!)} window ending at ` +
              formatDuration(worst.atMs),
          }),
        };
      }
      const passed = compare(observed, t.op, t.value);
      return { ...base, observed, passed, status: passed ? "passed" : "failed" };
    });
  }
}

function noData(base: ThresholdResult, t: Threshold): ThresholdResult {
  switch (t.noData) {
    case "fail":
      return { ...base, passed: false, status: "no-data", reason: "no data" };
    case "pass":
      return { ...base, passed: true, status: "no-data", reason: "no data (noData: pass)" };
    case "ignore":
      return { ...base, passed: true, status: "ignored", reason: "no data (noData: ignore)" };
  }
}
