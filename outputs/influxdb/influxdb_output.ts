/**
 * `--out influxdb=http://host:8086/DB`: each interval of the run as InfluxDB line protocol
 * (see {@link intervalLines}), to InfluxDB 1.x (`/write?db=DB`) or, with `?token=` (and
 * `org=`, `bucket=`), to InfluxDB 2.x (`/api/v2/write`). Ticks are merged into intervals of
 * `interval` (default 5 s; percentiles from the merged histograms, never averaged).
 *
 * @module
 */
import type { Output, RunInfo, Tick } from "../../core/run/output.ts";
import { ConfigError } from "../../core/errors.ts";
import { createSnapshot, mergeSnapshot, type Snapshot } from "../../core/metrics/snapshot.ts";
import { releaseHistogram } from "../../core/metrics/histogram.ts";
import { formatDuration } from "../../core/units.ts";
import { httpTarget, postBody, redactUrl, Sink, type SinkStats } from "../_sink.ts";
import { makeTestId, type StreamOptions, wallTime } from "../_stream.ts";
import { intervalLines } from "./line_protocol.ts";

/** Options of the InfluxDB output. */
export interface InfluxOptions extends StreamOptions {
  /** InfluxDB 2.x API token; switches to `/api/v2/write`. */
  token?: string;
  /** InfluxDB 2.x organisation. */
  org?: string;
  /** InfluxDB 2.x bucket. @default the database of the URL's path */
  bucket?: string;
  /** The `testid` tag. @default a time-based id */
  testId?: string;
  /** Receives the one-time failure line. @default console.error */
  warn?: (line: string) => void;
  /** Longest the final flush may take, ms. @default 10000 */
  flushTimeoutMs?: number;
  /** Longest one request may take, ms. @default 5000 */
  attemptTimeoutMs?: number;
}

/** An InfluxDB output, with its delivery figures. */
export interface InfluxOutput extends Output {
  /** Delivery figures: batches sent, failed attempts, dropped batches, the last error. */
  stats(): SinkStats;
}

/** Creates the InfluxDB output; a ConfigError when the URL names no database. */
export function createInfluxOutput(target: string, options: InfluxOptions): InfluxOutput {
  return new InfluxDbOutput(target, options);
}

class InfluxDbOutput implements InfluxOutput {
  readonly #target: string;
  readonly #o: InfluxOptions;
  readonly #sink: Sink<string>;
  #testId = "";
  #startedAtMs = 0;
  #acc: Snapshot = createSnapshot();
  #accMs = 0;
  #lastEndMs = 0;

  constructor(target: string, options: InfluxOptions) {
    this.#target = target;
    this.#o = options;
    const { url, headers, secrets } = httpTarget("influxdb", target);
    const u = new URL(url);
    const db = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ""));
    let write: string;
    if (options.token) {
      const bucket = options.bucket ?? db;
      if (!bucket || !options.org) {
        throw new ConfigError(
          `Invalid influxdb target "${redactUrl(target)}": with token= give org= and bucket= ` +
            `(or the bucket as the path)`,
        );
      }
      const q = new URLSearchParams({ org: options.org, bucket, precision: "ms" });
      write = `${u.origin}/api/v2/write?${q}`;
      headers.authorization = `Token ${options.token}`;
      secrets.push(options.token);
    } else {
      if (!db || db.includes("/")) {
        throw new ConfigError(
          `Invalid influxdb target "${redactUrl(target)}": expected http://host:8086/DATABASE`,
        );
      }
      write = `${u.origin}/write?${new URLSearchParams({ db, precision: "ms" })}`;
    }
    const h = { ...headers, "content-type": "text/plain; charset=utf-8", "user-agent": "rampa" };
    this.#sink = new Sink<string>({
      label: this.describe(),
      secrets,
      warn: options.warn,
      flushTimeoutMs: options.flushTimeoutMs,
      attemptTimeoutMs: options.attemptTimeoutMs,
      send: (body, signal) => postBody(write, body, h, signal),
    });
  }

  describe(): string {
    const v2 = this.#o.token ? ", v2 token ***" : "";
    return `influxdb (${redactUrl(this.#target)}${v2}, every ${
      formatDuration(this.#o.intervalMs)
    })`;
  }

  start(info: RunInfo): void {
    this.#startedAtMs = info.startedAt.getTime();
    this.#testId = makeTestId(info.startedAt, this.#o.testId);
  }

  push(tick: Tick): void {
    this.#lastEndMs = tick.elapsedMs;
    // The delta is only valid during push: merging copies it (histograms included).
    mergeSnapshot(this.#acc, tick.delta, "time");
    this.#accMs += tick.intervalMs;
    if (this.#accMs >= this.#o.intervalMs - tick.intervalMs / 2) this.#emit();
  }

  async stop(): Promise<void> {
    if (this.#accMs > 0) this.#emit();
    await this.#sink.close();
    this.#sink.checkRequired(this.#o.required);
  }

  stats(): SinkStats {
    return this.#sink.stats();
  }

  #emit(): void {
    const time = wallTime(this.#startedAtMs, this.#lastEndMs);
    const lines = intervalLines(this.#acc, this.#testId, time);
    for (const s of this.#acc.series.values()) if (s.hist) releaseHistogram(s.hist);
    this.#acc = createSnapshot();
    this.#accMs = 0;
    if (lines) this.#sink.enqueue(lines);
  }
}
