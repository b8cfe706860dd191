/**
 * The CSV time series (`--out csv=path`, `--out csv=path?interval=5s`): one record per
 * interval × metric × tag set, for spreadsheets, pandas or gnuplot. Header first, then:
 *
 * - `time`: ISO 8601 wall time (UTC) of the interval's end.
 * - `elapsed_s`: seconds from the run's start to the interval's end.
 * - `interval_s`: length of the interval, seconds.
 * - `metric`: metric name (`http_reqs`, `http_req_duration`, …).
 * - `tags`: the tag set as `k=v;k2=v2`, sorted by key; empty when the series has no tags.
 * - `count`: counters: the amount added (the summary's `count`: requests for `http_reqs`,
 *   bytes for `data_sent`); rates and trends: samples; gauges: times set in the interval.
 * - `rate`: counters: amount per second; trends: samples per second; rate metrics: share of
 *   true samples (0–1); gauges: empty.
 * - `min`, `p50`, `p90`, `p95`, `p99`, `max`: trends only, in the metric's unit (ms for time).
 * - `value`: counters: sum added in the interval; gauges: current value; rate metrics: true
 *   samples; trends: empty.
 *
 * Summing `count` of one metric over all rows gives the summary's `count` of that metric.
 * Records end with CRLF and fields are quoted per RFC 4180 when they contain a comma, quote or
 * line break. Per-interval percentiles come from that interval's histogram only.
 *
 * `push` only appends strings to a buffer; the buffer goes to disk every {@link FLUSH_EVERY_MS}
 * with a write that `push` never awaits, and completely in `stop`.
 *
 * @module
 */
import type { Output, RunInfo, Tick } from "../../core/run/output.ts";
import { ConfigError, ExitCode, RampaError } from "../../core/errors.ts";
import { createSnapshot, mergeSnapshot, type Snapshot } from "../../core/metrics/snapshot.ts";
import { releaseHistogram } from "../../core/metrics/histogram.ts";
import { formatDuration, parseDuration } from "../../core/units.ts";
import { CSV_HEADER, intervalRows } from "./rows.ts";
import { splitOutputSpec } from "../_spec.ts";

/** How often buffered rows are handed to the disk; a crash loses at most this much. */
export const FLUSH_EVERY_MS = 2_000;

/** Options of the CSV output. */
export interface CsvOutputOptions {
  /**
   * Length of one CSV interval, ms; ticks are merged until it is reached (rounded to whole
   * ticks). 0 writes one interval per tick.
   * @default 0 (the run's tick, 1 s)
   */
  intervalMs?: number;
}

/**
 * Reads the options of an `--out csv=…?interval=5s` spec, already split into name and value
 * (the registry has rejected unknown names). Throws a ConfigError naming a bad interval.
 */
export function parseCsvOptions(raw: Readonly<Record<string, string>>): CsvOutputOptions {
  const options: CsvOutputOptions = {};
  const value = raw.interval;
  if (value !== undefined) {
    const ms = parseDuration(value, "CSV interval");
    if (ms <= 0) {
      throw new ConfigError(`Invalid CSV interval "${value}": expected a duration above 0`);
    }
    options.intervalMs = ms;
  }
  return options;
}

/**
 * Splits an `--out csv=` target into the path and its options (`out.csv?interval=5s`).
 * Throws a ConfigError naming the unknown option or bad value. The registry's
 * `parseOutputSpec` does the same for every output; this stays for callers holding a target.
 */
export function parseCsvTarget(target: string): { path: string; options: CsvOutputOptions } {
  const spec = splitOutputSpec(`csv=${target}`);
  for (const key of Object.keys(spec.options)) {
    if (key !== "interval") {
      throw new ConfigError(
        `Unknown option "${key}" in --out "csv=${target}": expected interval=<duration> such as interval=5s`,
      );
    }
  }
  if (!spec.target) {
    throw new ConfigError(`Missing path in --out "csv=${target}": expected csv=path`);
  }
  return { path: spec.target, options: parseCsvOptions(spec.options) };
}

/** Creates the CSV output writing to `path`. */
export function createCsvOutput(path: string, options: CsvOutputOptions = {}): Output {
  return new CsvOutput(path, options.intervalMs ?? 0);
}

/** Creates the CSV output from an `--out csv=` target, options included. */
export function csvOutputFromTarget(target: string): Output {
  const { path, options } = parseCsvTarget(target);
  return createCsvOutput(path, options);
}

const encoder = new TextEncoder();

class CsvOutput implements Output {
  readonly #path: string;
  readonly #intervalMs: number;
  #file: Deno.FsFile | null = null;
  #startedAtMs = 0;
  #buffer = "";
  #lastFlush = 0;
  #writing: Promise<void> = Promise.resolve();
  #error: unknown = null;
  // Interval mode: ticks merged since the last record.
  #acc: Snapshot = createSnapshot();
  #accMs = 0;
  #lastEndMs = 0;

  constructor(path: string, intervalMs: number) {
    this.#path = path;
    this.#intervalMs = intervalMs;
  }

  describe(): string {
    return this.#intervalMs > 0
      ? `csv (${this.#path}, every ${formatDuration(this.#intervalMs)})`
      : `csv (${this.#path})`;
  }

  async start(info: RunInfo): Promise<void> {
    this.#startedAtMs = info.startedAt.getTime();
    try {
      this.#file = await Deno.open(this.#path, { write: true, create: true, truncate: true });
    } catch (e) {
      throw this.#failure(e);
    }
    this.#buffer = CSV_HEADER;
    this.#lastFlush = performance.now();
    this.#flush();
  }

  push(tick: Tick): void {
    this.#lastEndMs = tick.elapsedMs;
    if (this.#intervalMs <= 0) {
      this.#buffer += intervalRows(tick.delta, {
        startedAtMs: this.#startedAtMs,
        endMs: tick.elapsedMs,
        lengthMs: tick.intervalMs,
      });
    } else {
      // The delta is only valid during push: merging copies it (histograms included).
      mergeSnapshot(this.#acc, tick.delta, "time");
      this.#accMs += tick.intervalMs;
      // Ticks jitter around their period; close the interval at the tick nearest its end.
      if (this.#accMs >= this.#intervalMs - tick.intervalMs / 2) this.#emitAccumulated();
    }
    const now = performance.now();
    if (now - this.#lastFlush >= FLUSH_EVERY_MS) {
      this.#lastFlush = now;
      this.#flush();
    }
  }

  async stop(): Promise<void> {
    if (this.#accMs > 0) this.#emitAccumulated();
    this.#flush();
    await this.#writing;
    let ino: number | null = null;
    try {
      ino = (await this.#file?.stat())?.ino ?? null;
    } catch { /* reported below if the path is gone too */ }
    try {
      this.#file?.close();
    } catch { /* already closed */ }
    this.#file = null;
    // Rows are written as the run goes (so the file can be followed), hence no temp file: a
    // file deleted or replaced meanwhile is a failure, and a failed file is removed, never
    // left cut short.
    if (this.#error === null) {
      const now = await Deno.stat(this.#path).catch(() => null);
      if (!now || (ino !== null && now.ino !== ino)) {
        throw this.#failure(new Error("the file was removed or replaced during the run"));
      }
    }
    if (this.#error !== null) {
      await Deno.remove(this.#path).catch(() => {});
      throw this.#failure(this.#error);
    }
  }

  #emitAccumulated(): void {
    this.#buffer += intervalRows(this.#acc, {
      startedAtMs: this.#startedAtMs,
      endMs: this.#lastEndMs,
      lengthMs: this.#accMs,
    });
    for (const s of this.#acc.series.values()) if (s.hist) releaseHistogram(s.hist);
    this.#acc = createSnapshot();
    this.#accMs = 0;
  }

  /** Queues the buffer for writing; never awaited by `push`, never rejects. */
  #flush(): void {
    const file = this.#file;
    if (!file || this.#buffer === "") return;
    const bytes = encoder.encode(this.#buffer);
    this.#buffer = "";
    this.#writing = this.#writing.then(async () => {
      if (this.#error !== null) return;
      try {
        for (let done = 0; done < bytes.length;) done += await file.write(bytes.subarray(done));
      } catch (e) {
        this.#error = e;
      }
    });
  }

  #failure(e: unknown): RampaError {
    return new RampaError(
      `Cannot write CSV to "${this.#path}": ${e instanceof Error ? e.message : String(e)}`,
      ExitCode.OUTPUT_FAILED,
    );
  }
}
