/**
 * Helpers the streaming outputs share: their common options (`interval`, `required`), the run
 * id every sink labels its data with, and reading counts out of an HDR histogram (cumulative
 * counts at chosen bounds, the non-empty buckets).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { type Histogram, HISTOGRAM_SETTINGS } from "../core/metrics/histogram.ts";
import { parseDuration } from "../core/units.ts";

/**
 * Upper bounds of the explicit histogram buckets (Prometheus classic histograms, OTLP
 * explicit-bucket histograms), in the trend's unit (ms for time trends): 1-1.5-2-3-5-7.5 per
 * decade (≤ 50% apart), 0.5 ms to 60 s, 28 buckets plus +Inf.
 */
export const DEFAULT_BUCKETS: readonly number[] = [
  0.5,
  1,
  1.5,
  2,
  3,
  5,
  7.5,
  10,
  15,
  20,
  30,
  50,
  75,
  100,
  150,
  200,
  300,
  500,
  750,
  1_000,
  1_500,
  2_000,
  3_000,
  5_000,
  7_500,
  10_000,
  30_000,
  60_000,
];

/** The options every streaming output takes. */
export interface StreamOptions {
  /** How often data is sent, ms. */
  intervalMs: number;
  /** A failure makes the run fail with exit code 9. */
  required: boolean;
}

/** Help lines of the shared options, for the registry. */
export const STREAM_OPTION_HELP: Readonly<Record<string, string>> = {
  interval: "<duration> how often to send, e.g. 5s (default: 5s)",
  required: "<true|false> a lost batch fails the run, exit code 9 (default: false)",
};

/** Reads `interval` and `required` of a streaming output's options. */
export function parseStreamOptions(
  name: string,
  raw: Readonly<Record<string, string>>,
  defaultIntervalMs = 5_000,
): StreamOptions {
  let intervalMs = defaultIntervalMs;
  if (raw.interval !== undefined) {
    intervalMs = parseDuration(raw.interval, `${name} interval`);
    if (intervalMs <= 0) {
      throw new ConfigError(
        `Invalid ${name} interval "${raw.interval}": expected a duration above 0`,
      );
    }
  }
  return { intervalMs, required: boolFlag(name, "required", raw.required, false) };
}

/** Reads a `true|false` option; a ConfigError for anything else. */
export function boolFlag(
  name: string,
  key: string,
  value: string | undefined,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new ConfigError(`Invalid ${name} option ${key}="${value}": expected true or false`);
}

/** A short id for this run, e.g. `20250115T100000Z-3f9a`, unless the user gave one. */
export function makeTestId(startedAt: Date, given?: string): string {
  if (given) return given;
  const iso = startedAt.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const rand = crypto.getRandomValues(new Uint16Array(1))[0].toString(16).padStart(4, "0");
  return `${iso}-${rand}`;
}

/** The bucket-level API every hdr-histogram-js JS histogram has (not in its typings). */
interface Buckets {
  countsArrayIndex(value: number): number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
  readonly maxValue: number;
}

/**
 * Calls `each(value, count)` for every non-empty HDR bucket, `value` being the bucket's highest
 * equivalent value in the metric's unit (what the summary's percentiles report).
 */
export function forEachBucket(h: Histogram, each: (value: number, count: number) => void): void {
  if (h.totalCount === 0) return;
  const b = h as unknown as Buckets;
  const last = b.countsArrayIndex(b.maxValue);
  for (let i = 0; i <= last; i++) {
    const c = b.getCountAtIndex(i);
    if (c !== 0) {
      each(b.highestEquivalentValue(b.valueFromIndex(i)) / HISTOGRAM_SETTINGS.scale, c);
    }
  }
}

/**
 * Cumulative counts of `h` at each upper bound (values ≤ bound, in the metric's unit), for
 * classic histogram buckets. A value sits in the bucket of its HDR bucket's lowest value, so
 * the count at a bound is off by at most the values within HDR's 0.1% of it.
 */
export function cumulativeCounts(h: Histogram | null, bounds: readonly number[]): number[] {
  const out = new Array<number>(bounds.length).fill(0);
  if (!h || h.totalCount === 0) return out;
  const b = h as unknown as Buckets;
  const last = b.countsArrayIndex(b.maxValue);
  let k = 0;
  let acc = 0;
  for (let i = 0; i <= last; i++) {
    const c = b.getCountAtIndex(i);
    if (c === 0) continue;
    const v = b.valueFromIndex(i) / HISTOGRAM_SETTINGS.scale;
    while (k < bounds.length && v > bounds[k]) out[k++] = acc;
    acc += c;
  }
  while (k < bounds.length) out[k++] = acc;
  return out;
}

/** Milliseconds of wall time for a tick: the run's start plus its elapsed time. */
export function wallTime(startedAtMs: number, elapsedMs: number): number {
  return Math.round(startedAtMs + elapsedMs);
}
