/**
 * `--out prometheus=http://host:9090/api/v1/write`: the run's metrics by Prometheus remote
 * write 1.0, every `interval` (default 5 s) and once more at the end.
 *
 * - Counters: `rampa_<metric>_total`, the running total (the summary's `count`).
 * - Rate metrics (`http_req_failed`, `checks`): `rampa_<metric>_total` counts true samples,
 *   `rampa_<metric>_samples_total` all samples.
 * - Gauges: `rampa_<metric>`, the current value.
 * - Trends: classic histograms `rampa_<metric>_bucket{le}`, `_sum`, `_count`, in the metric's
 *   unit (ms for time trends), with bounds {@link DEFAULT_BUCKETS}; with `?native=true`,
 *   native histograms `rampa_<metric>` instead (schema {@link NATIVE_SCHEMA}).
 *
 * Every series carries its tags as labels plus `testid`. Series are cumulative, so a lost
 * batch loses resolution, never totals: the next one carries them.
 *
 * @module
 */
import type { Output, RunInfo, Tick } from "../../core/run/output.ts";
import type { SeriesData, Snapshot } from "../../core/metrics/snapshot.ts";
import { formatDuration } from "../../core/units.ts";
import {
  httpTarget,
  LatestPerInterval,
  postBody,
  redactUrl,
  Sink,
  type SinkStats,
} from "../_sink.ts";
import {
  cumulativeCounts,
  DEFAULT_BUCKETS,
  forEachBucket,
  makeTestId,
  type StreamOptions,
  wallTime,
} from "../_stream.ts";
import {
  encodeWriteRequest,
  type Label,
  type NativeHistogram,
  type TimeSeries,
} from "./remote_write.ts";

/** Options of the Prometheus output. */
export interface PrometheusOptions extends StreamOptions {
  /** The `testid` label. @default a time-based id, e.g. `20250115T100000Z-3f9a` */
  testId?: string;
  /**
   * Trends as native histograms (schema {@link NATIVE_SCHEMA}) instead of classic buckets;
   * Prometheus must run with `--enable-feature=native-histograms`. @default false
   */
  native?: boolean;
  /** Bucket bounds for trends. @default DEFAULT_BUCKETS */
  buckets?: readonly number[];
  /** Receives the one-time failure line. @default console.error */
  warn?: (line: string) => void;
  /** Longest the final flush may take, ms. @default 10000 */
  flushTimeoutMs?: number;
  /** Longest one request may take, ms. @default 5000 */
  attemptTimeoutMs?: number;
}

/** A streaming output that also reports its delivery. */
export interface StreamingOutput extends Output {
  /** Delivery figures: batches sent, failed attempts, dropped batches, the last error. */
  stats(): SinkStats;
}

/** Creates the Prometheus remote write output. */
export function createPrometheusOutput(
  target: string,
  options: PrometheusOptions,
): StreamingOutput {
  return new PrometheusOutput(target, options);
}

/** A metric or label name as Prometheus accepts it: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export function promName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_:]/g, "_");
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** Native histogram schema: bucket bounds grow by 2^(2^-3) ≈ 1.09 (each ≤ 9% wide). */
export const NATIVE_SCHEMA = 3;

/** A native histogram of a trend series (cumulative counts, integer). */
export function nativeHistogramOf(
  d: SeriesData,
  timestamp: number,
  schema = NATIVE_SCHEMA,
): NativeHistogram {
  const perIndex = new Map<number, number>();
  let zero = 0;
  const factor = 2 ** schema / Math.LN2;
  if (d.hist) {
    forEachBucket(d.hist, (v, c) => {
      if (v <= 0) zero += c;
      else {
        // Bucket i holds (base^(i-1), base^i] with base = 2^(2^-schema).
        const i = Math.ceil(Math.log(v) * factor - 1e-9);
        perIndex.set(i, (perIndex.get(i) ?? 0) + c);
      }
    });
  }
  const idx = [...perIndex.keys()].sort((a, b) => a - b);
  const spans: { offset: number; length: number }[] = [];
  const deltas: number[] = [];
  let prevIdx = 0;
  let prevCount = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    if (k === 0) spans.push({ offset: i, length: 1 });
    else if (i === prevIdx + 1) spans[spans.length - 1].length++;
    else spans.push({ offset: i - prevIdx - 1, length: 1 });
    const c = perIndex.get(i)!;
    deltas.push(c - prevCount);
    prevCount = c;
    prevIdx = i;
  }
  return {
    countInt: d.count,
    sum: d.sum,
    schema,
    zeroThreshold: 1e-128,
    zeroCountInt: zero,
    positiveSpans: spans,
    positiveDeltas: deltas,
    timestamp,
  };
}

/** The remote write series of a cumulative snapshot at `timestamp` (ms). */
export function seriesOf(
  total: Snapshot,
  testId: string,
  timestamp: number,
  buckets: readonly number[] = DEFAULT_BUCKETS,
  native = false,
): TimeSeries[] {
  const out: TimeSeries[] = [];
  const add = (name: string, base: Label[], value: number, extra?: Label) => {
    const labels = [{ name: "__name__", value: name }, ...base];
    if (extra) labels.push(extra);
    labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.push({ labels, samples: [{ value, timestamp }] });
  };
  for (const d of total.series.values()) {
    const kind = total.metrics.get(d.metric)?.kind;
    if (!kind) continue;
    const base: Label[] = [{ name: "testid", value: testId }];
    for (const [k, v] of Object.entries(d.tags)) {
      const name = promName(k);
      if (name !== "testid" && name !== "le" && name !== "__name__") base.push({ name, value: v });
    }
    const m = `rampa_${promName(d.metric)}`;
    switch (kind) {
      case "counter":
        add(`${m}_total`, base, d.value);
        break;
      case "rate":
        add(`${m}_total`, base, d.value);
        add(`${m}_samples_total`, base, d.count);
        break;
      case "gauge":
        add(m, base, d.value);
        break;
      case "trend": {
        if (native) {
          const labels = [{ name: "__name__", value: m }, ...base];
          labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
          out.push({ labels, histograms: [nativeHistogramOf(d, timestamp)] });
          break;
        }
        const counts = cumulativeCounts(d.hist, buckets);
        buckets.forEach((le, i) =>
          add(`${m}_bucket`, base, counts[i], { name: "le", value: `${le}` })
        );
        add(`${m}_bucket`, base, d.count, { name: "le", value: "+Inf" });
        add(`${m}_sum`, base, d.sum);
        add(`${m}_count`, base, d.count);
        break;
      }
    }
  }
  return out;
}

export { DEFAULT_BUCKETS };

class PrometheusOutput implements StreamingOutput {
  readonly #target: string;
  readonly #o: PrometheusOptions;
  readonly #url: string;
  readonly #sink: Sink<TimeSeries[]>;
  #testId = "";
  #startedAtMs = 0;
  readonly #sender: LatestPerInterval<TimeSeries[]>;

  constructor(target: string, options: PrometheusOptions) {
    this.#target = target;
    this.#o = options;
    const { url, headers, secrets } = httpTarget("prometheus", target);
    this.#url = url;
    const h = {
      ...headers,
      "content-type": "application/x-protobuf",
      "content-encoding": "snappy",
      "x-prometheus-remote-write-version": "0.1.0",
      "user-agent": "rampa",
    };
    this.#sink = new Sink<TimeSeries[]>({
      label: this.describe(),
      secrets,
      warn: options.warn,
      flushTimeoutMs: options.flushTimeoutMs,
      attemptTimeoutMs: options.attemptTimeoutMs,
      send: async (series, signal) =>
        postBody(this.#url, await encodeWriteRequest(series), h, signal),
    });
    this.#sender = new LatestPerInterval(this.#sink, options.intervalMs);
  }

  describe(): string {
    const native = this.#o.native ? ", native histograms" : "";
    return `prometheus (${redactUrl(this.#target)}${native}, every ${
      formatDuration(this.#o.intervalMs)
    })`;
  }

  start(info: RunInfo): void {
    this.#startedAtMs = info.startedAt.getTime();
    this.#testId = makeTestId(info.startedAt, this.#o.testId);
  }

  /** The `testid` label of this run (after start). */
  get testId(): string {
    return this.#testId;
  }

  push(tick: Tick): void {
    // The series are cumulative: read the total now (it is only valid during push) and keep
    // plain numbers; the newest state replaces an unsent one.
    const ts = wallTime(this.#startedAtMs, tick.elapsedMs);
    this.#sender.offer(
      seriesOf(tick.total, this.#testId, ts, this.#o.buckets, this.#o.native),
      tick.elapsedMs,
      tick.intervalMs,
    );
  }

  async stop(): Promise<void> {
    await this.#sender.stop(this.#o.required);
  }

  stats(): SinkStats {
    return this.#sender.stats();
  }
}
