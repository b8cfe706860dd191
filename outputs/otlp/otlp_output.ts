/**
 * `--out otlp=http://host:4318/v1/metrics`: the run's metrics as OTLP/HTTP, protobuf
 * (`application/x-protobuf`) by default or JSON with `?encoding=json`, every `interval` and
 * once more at the end. Resource attributes: `service.name=rampa`, `rampa.test_id`.
 *
 * - Counters: monotonic cumulative sums named after the metric (`http_reqs`).
 * - Rate metrics: two sums, `<metric>` (true samples) and `<metric>.samples`.
 * - Gauges: gauges.
 * - Trends: cumulative explicit-bucket histograms with bounds {@link DEFAULT_BUCKETS}, sum,
 *   min and max, unit `ms` for time trends.
 *
 * Tags become data point attributes. Points are cumulative, so a lost batch never loses
 * totals: the next one carries them.
 *
 * @module
 */
import type { Output, RunInfo, Tick } from "../../core/run/output.ts";
import type { Snapshot } from "../../core/metrics/snapshot.ts";
import { ConfigError } from "../../core/errors.ts";
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
  makeTestId,
  type StreamOptions,
  wallTime,
} from "../_stream.ts";
import { CUMULATIVE, exportMetricsServiceRequest } from "./otlp_proto.ts";

/** Options of the OTLP output. */
export interface OtlpOptions extends StreamOptions {
  /** `protobuf` or `json`. @default "protobuf" */
  encoding?: "protobuf" | "json";
  /** The `rampa.test_id` resource attribute. @default a time-based id */
  testId?: string;
  /** Receives the one-time failure line. @default console.error */
  warn?: (line: string) => void;
  /** Longest the final flush may take, ms. @default 10000 */
  flushTimeoutMs?: number;
  /** Longest one request may take, ms. @default 5000 */
  attemptTimeoutMs?: number;
}

/** An OTLP output, with its delivery figures. */
export interface OtlpOutput extends Output {
  /** Delivery figures: requests sent, failed attempts, dropped requests, the last error. */
  stats(): SinkStats;
}

/** Reads `encoding=`; a ConfigError for anything but protobuf or json. */
export function parseEncoding(value: string | undefined): "protobuf" | "json" {
  if (value === undefined || value === "protobuf") return "protobuf";
  if (value === "json") return "json";
  throw new ConfigError(`Invalid otlp option encoding="${value}": expected protobuf or json`);
}

/** Creates the OTLP output. */
export function createOtlpOutput(target: string, options: OtlpOptions): OtlpOutput {
  return new HttpOtlpOutput(target, options);
}

type Attr = { key: string; value: { stringValue: string } };
const attr = (key: string, value: string): Attr => ({ key, value: { stringValue: value } });

/** Nanoseconds as a decimal string (protobufjs and OTLP/JSON both take it). */
function nanos(ms: number): string {
  return `${BigInt(Math.round(ms)) * 1_000_000n}`;
}

/** The request (as a plain object in OTLP/JSON shape) for a cumulative snapshot. */
export function requestOf(
  total: Snapshot,
  testId: string,
  startMs: number,
  nowMs: number,
  buckets: readonly number[] = DEFAULT_BUCKETS,
): Record<string, unknown> {
  const metrics = new Map<string, Record<string, unknown>>();
  const start = nanos(startMs);
  const time = nanos(nowMs);
  const pointsOf = (name: string, make: () => Record<string, unknown>, key: string) => {
    let m = metrics.get(name);
    if (!m) {
      m = make();
      metrics.set(name, m);
    }
    return (m[key] as { dataPoints: unknown[] }).dataPoints;
  };
  for (const d of total.series.values()) {
    const def = total.metrics.get(d.metric);
    if (!def) continue;
    const attributes = Object.entries(d.tags).map(([k, v]) => attr(k, v));
    const sum = (name: string, value: number) =>
      pointsOf(name, () => ({
        name,
        sum: { dataPoints: [], aggregationTemporality: CUMULATIVE, isMonotonic: true },
      }), "sum").push({
        attributes,
        startTimeUnixNano: start,
        timeUnixNano: time,
        asDouble: value,
      });
    switch (def.kind) {
      case "counter":
        sum(d.metric, d.value);
        break;
      case "rate":
        sum(d.metric, d.value);
        sum(`${d.metric}.samples`, d.count);
        break;
      case "gauge":
        pointsOf(d.metric, () => ({ name: d.metric, gauge: { dataPoints: [] } }), "gauge")
          .push({ attributes, timeUnixNano: time, asDouble: d.value });
        break;
      case "trend": {
        const cum = cumulativeCounts(d.hist, buckets);
        const counts = [...cum.map((c, i) => c - (i ? cum[i - 1] : 0)), d.count - cum.at(-1)!];
        const unit = def.unit === "ms" ? "ms" : def.unit === "bytes" ? "By" : "1";
        pointsOf(d.metric, () => ({
          name: d.metric,
          unit,
          histogram: { dataPoints: [], aggregationTemporality: CUMULATIVE },
        }), "histogram").push({
          attributes,
          startTimeUnixNano: start,
          timeUnixNano: time,
          count: `${d.count}`,
          sum: d.sum,
          bucketCounts: counts.map((c) => `${c}`),
          explicitBounds: [...buckets],
          ...(d.count ? { min: d.min, max: d.max } : {}),
        });
        break;
      }
    }
  }
  return {
    resourceMetrics: [{
      resource: {
        attributes: [attr("service.name", "rampa"), attr("rampa.test_id", testId)],
      },
      scopeMetrics: [{ scope: { name: "rampa" }, metrics: [...metrics.values()] }],
    }],
  };
}

class HttpOtlpOutput implements OtlpOutput {
  readonly #target: string;
  readonly #o: OtlpOptions;
  readonly #sink: Sink<Record<string, unknown>>;
  #testId = "";
  #startedAtMs = 0;
  readonly #sender: LatestPerInterval<Record<string, unknown>>;

  constructor(target: string, options: OtlpOptions) {
    this.#target = target;
    this.#o = options;
    const { url, headers, secrets } = httpTarget("otlp", target);
    const json = options.encoding === "json";
    const h = {
      ...headers,
      "content-type": json ? "application/json" : "application/x-protobuf",
      "user-agent": "rampa",
    };
    this.#sink = new Sink<Record<string, unknown>>({
      label: this.describe(),
      secrets,
      warn: options.warn,
      flushTimeoutMs: options.flushTimeoutMs,
      attemptTimeoutMs: options.attemptTimeoutMs,
      send: async (req, signal) => {
        let body: string | Uint8Array<ArrayBuffer>;
        if (json) body = JSON.stringify(req);
        else {
          const t = await exportMetricsServiceRequest();
          body = t.encode(t.fromObject(req)).finish().slice();
        }
        return postBody(url, body, h, signal);
      },
    });
    this.#sender = new LatestPerInterval(this.#sink, options.intervalMs);
  }

  describe(): string {
    const enc = this.#o.encoding === "json" ? "json" : "protobuf";
    return `otlp (${redactUrl(this.#target)}, ${enc}, every ${formatDuration(this.#o.intervalMs)})`;
  }

  start(info: RunInfo): void {
    this.#startedAtMs = info.startedAt.getTime();
    this.#testId = makeTestId(info.startedAt, this.#o.testId);
  }

  push(tick: Tick): void {
    // Cumulative: keep plain numbers of the total (only valid during push); the newest state
    // replaces an unsent one.
    const now = wallTime(this.#startedAtMs, tick.elapsedMs);
    this.#sender.offer(
      requestOf(tick.total, this.#testId, this.#startedAtMs, now),
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
