/**
 * A replayed run for threshold tests: a MetricRegistry recorded into tick by tick, drained
 * into interval deltas and merged into a total exactly as the runner does, with the
 * evaluator fed on every tick. No timers: elapsed time is whatever the test says.
 *
 * @module
 */
import { CORE_METRICS } from "../../../core/metrics/builtin.ts";
import { HTTP_METRICS } from "../../../engines/http/metrics.ts";
import {
  addCounter,
  addRate,
  addTrend,
  MetricRegistry,
  setGauge,
} from "../../../core/metrics/registry.ts";
import { createSnapshot, mergeSnapshot, type Snapshot } from "../../../core/metrics/snapshot.ts";
import { ThresholdEvaluator, type TickVerdict } from "../../../core/thresholds/evaluator.ts";
import { parseThresholds as parseWith } from "../../../core/thresholds/parser.ts";
import { httpProtocol } from "../../../engines/http/protocol.ts";
import type { ThresholdResult, ThresholdsInput } from "../../../core/thresholds/types.ts";
import type { MetricDef } from "../../../core/types.ts";

/** Parses with the aliases the HTTP protocol registers (`error_rate`, `rps`). */
const parseThresholds = (
  input: Parameters<typeof parseWith>[0],
  metrics: Parameters<typeof parseWith>[1],
) => parseWith(input, metrics, httpProtocol.thresholdAliases);

/** Every built-in metric, as a run with an HTTP engine knows them. */
export const METRICS: ReadonlyMap<string, MetricDef> = new Map(
  [...CORE_METRICS, ...HTTP_METRICS].map((m) => [m.name, m]),
);

/** What one tick records. */
export interface TickLoad {
  /** Latencies of the requests made, ms. */
  latencies?: readonly number[];
  /** How many of those requests failed (the first ones). */
  failed?: number;
  /** The request name tag. */
  name?: string;
  /** Busy VUs at the end of the tick. */
  vus?: number;
}

/** A run being replayed. */
export class ReplayRun {
  readonly registry: MetricRegistry = new MetricRegistry();
  readonly total: Snapshot = createSnapshot();
  readonly evaluator: ThresholdEvaluator;
  elapsedMs = 0;

  /** Parses `thresholds` against the built-in metrics and starts at elapsed 0. */
  constructor(thresholds: ThresholdsInput) {
    for (const m of METRICS.values()) this.registry.define(m);
    this.evaluator = new ThresholdEvaluator(parseThresholds(thresholds, METRICS));
  }

  /** Records `load`, drains, merges and feeds the evaluator a tick `dtMs` long. */
  tick(load: TickLoad | readonly TickLoad[], dtMs = 1000): TickVerdict {
    for (const l of Array.isArray(load) ? load : [load]) this.#record(l);
    const delta = this.registry.drain();
    mergeSnapshot(this.total, delta, "time");
    this.elapsedMs += dtMs;
    const verdict = this.evaluator.onTick(this.elapsedMs, delta, this.total);
    // As the runner does: the delta's histograms are reused once the tick is over.
    this.registry.recycle(delta);
    return verdict;
  }

  /** Runs `n` identical ticks; returns the elapsed ms of the first one that asked to abort. */
  ticks(n: number, load: TickLoad, dtMs = 1000): number | null {
    let abortAt: number | null = null;
    for (let i = 0; i < n; i++) {
      const v = this.tick(load, dtMs);
      if (v.abort && abortAt === null) abortAt = v.abort.atMs;
    }
    return abortAt;
  }

  /** The evaluator's verdicts on the final total. */
  results(): ThresholdResult[] {
    return this.evaluator.results(this.total);
  }

  #record(l: TickLoad): void {
    const tags = { name: l.name ?? "/api", method: "GET" };
    const dur = this.registry.series("http_req_duration", tags);
    const reqs = this.registry.series("http_reqs", tags);
    const failed = this.registry.series("http_req_failed", tags);
    const lat = l.latencies ?? [];
    for (let i = 0; i < lat.length; i++) {
      addTrend(dur, lat[i]);
      addCounter(reqs, 1);
      addRate(failed, i < (l.failed ?? 0));
    }
    if (l.vus !== undefined) setGauge(this.registry.series("vus"), l.vus);
  }
}

/** `n` latencies spread evenly over [from, to], ms. */
export function spread(n: number, from: number, to: number): number[] {
  return Array.from({ length: n }, (_, i) => n === 1 ? from : from + ((to - from) * i) / (n - 1));
}
