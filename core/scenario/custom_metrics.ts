/**
 * Custom metrics for scenarios: `new Counter("orders")`, `new Trend("cart_ms")`, with the
 * built-ins' semantics. They are usually created at module load (before any VU exists), so
 * they resolve their series lazily against the thread's registry on first use, tagged with the
 * running VU's scenario (and group) plus any tags given per sample.
 *
 * @module
 */
import type { MetricKind, Tags } from "../types.ts";
import type { MetricRegistry } from "../metrics/registry.ts";
import { addCounter, addRate, addTrend, setGauge } from "../metrics/registry.ts";
import { maybeCurrentVu } from "./vu_state.ts";
import { declaredMetrics } from "./declared_metrics.ts";

export { declaredMetrics };

let threadRegistry: MetricRegistry | null = null;

/** Sets the registry custom metrics record into on this thread (the runtime does this). */
export function setThreadRegistry(r: MetricRegistry | null): void {
  threadRegistry = r;
}

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;

abstract class CustomMetric {
  readonly name: string;
  readonly #kind: MetricKind;
  readonly #time: boolean;

  constructor(name: string, kind: MetricKind, isTime = false) {
    if (!NAME.test(name)) {
      throw new TypeError(
        `Invalid metric name "${name}": use letters, digits and _ (starting with a letter or _)`,
      );
    }
    this.name = name;
    this.#kind = kind;
    this.#time = isTime;
    const known = declaredMetrics.get(name);
    if (known && known.kind !== kind) {
      throw new TypeError(`Metric "${name}" is already declared as a ${known.kind}`);
    }
    declaredMetrics.set(name, { name, kind, unit: isTime ? "ms" : "none" });
  }

  protected series(tags?: Tags) {
    const reg = threadRegistry;
    if (!reg) throw new Error(`Metric "${this.name}" can only record while a test runs`);
    reg.define({ name: this.name, kind: this.#kind, unit: this.#time ? "ms" : "none" });
    const vu = maybeCurrentVu();
    const t: Record<string, string> = {};
    if (vu) {
      t.scenario = vu.scenario;
      if (vu.group) t.group = vu.group;
    }
    return reg.series(this.name, tags ? { ...t, ...tags } : t);
  }
}

/** A cumulative sum (e.g. orders placed). */
export class Counter extends CustomMetric {
  /** Declares a counter. */
  constructor(name: string) {
    super(name, "counter");
  }
  /** Adds `value` (default 1). */
  add(value = 1, tags?: Tags): void {
    addCounter(this.series(tags), value);
  }
}

/** The latest value, with min and max (e.g. queue depth). */
export class Gauge extends CustomMetric {
  /** Declares a gauge. */
  constructor(name: string) {
    super(name, "gauge");
  }
  /** Sets the value. */
  add(value: number, tags?: Tags): void {
    setGauge(this.series(tags), value);
  }
}

/** The share of true samples (e.g. cache hits). */
export class Rate extends CustomMetric {
  /** Declares a rate. */
  constructor(name: string) {
    super(name, "rate");
  }
  /** Adds one sample; truthy counts as true. */
  add(value: boolean | number, tags?: Tags): void {
    addRate(this.series(tags), Boolean(value));
  }
}

/** A distribution with percentiles (`isTime` marks milliseconds). */
export class Trend extends CustomMetric {
  /** Declares a trend; `isTime` makes summaries show values as durations. */
  constructor(name: string, isTime = false) {
    super(name, "trend", isTime);
  }
  /** Adds one value. */
  add(value: number, tags?: Tags): void {
    addTrend(this.series(tags), value);
  }
}
