/**
 * HDR histogram handling for trend metrics: one place that fixes the settings, the unit and the
 * encoding, so that every histogram rampa writes can be merged exactly with every other.
 *
 * Values are recorded as integers in thousandths of the metric's unit (µs for time trends),
 * clamped at zero, with 3 significant digits. Histograms start small and grow to the largest
 * value actually seen, so memory stays bounded by the value range, not the run length.
 *
 * @module
 */
// The package, bundled as an ES module (tools/vendor_hdr.ts): loading it as CommonJS cost
// ~40 ms of start-up.
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from "./_vendor_hdr.js";
// A type-only import: erased at run time, so the package index is never evaluated.
import type { Histogram as HdrHistogram } from "hdr-histogram-js";

/** An HDR histogram as rampa uses it. */
export type Histogram = HdrHistogram;

/** The settings every rampa histogram shares; a summary file records them for merge checks. */
export const HISTOGRAM_SETTINGS = {
  /** Values are stored as value × scale, rounded: µs for ms trends. */
  scale: 1000,
  lowest: 1,
  significantDigits: 3,
} as const;

/** Creates an empty histogram with rampa's settings. */
export function createHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: HISTOGRAM_SETTINGS.lowest,
    // Start at ~1 s (in µs) and let autoResize grow it: short runs stay small.
    highestTrackableValue: 1 << 20,
    numberOfSignificantValueDigits: HISTOGRAM_SETTINGS.significantDigits,
    autoResize: true,
  });
}

// Building a histogram costs ~0.35 ms here (array allocation and sizing); a tick that built one
// per series would stall the event loop for milliseconds every second. Drained histograms are
// therefore reset and reused.
const pool: Histogram[] = [];
const POOL_MAX = 256;

/** An empty histogram, reused from the pool when one is free. */
export function acquireHistogram(): Histogram {
  return pool.pop() ?? createHistogram();
}

/** Returns a histogram nobody references any more to the pool. */
export function releaseHistogram(h: Histogram): void {
  if (pool.length < POOL_MAX) {
    h.reset();
    pool.push(h);
  }
}

/** Records a value in the metric's unit (e.g. ms). */
export function recordValue(h: Histogram, value: number): void {
  const v = Math.round(value * HISTOGRAM_SETTINGS.scale);
  h.recordValue(v > 0 ? v : 0);
}

/** The value at percentile `p` (0–100), back in the metric's unit. */
export function percentile(h: Histogram, p: number): number {
  if (h.totalCount === 0) return 0;
  return h.getValueAtPercentile(p) / HISTOGRAM_SETTINGS.scale;
}

/** Encodes a histogram for a snapshot (compressed, base64). */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

/** The bucket-level API every hdr-histogram-js JS histogram has (not in its typings). */
interface Buckets {
  countsArrayIndex(value: number): number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  recordValueWithCount(value: number, count: number): void;
  readonly maxValue: number;
}

/**
 * Encodes a histogram for another thread of this process: its non-empty buckets as
 * `[index, count, …]` pairs in a transferable array. Exact like {@link encodeHistogram}, but
 * with no deflate: compressing every series every second cost the load thread 3–20 ms per
 * tick (measured), a pause its own event loop and schedule would pay.
 */
export function encodeHistogramBuckets(h: Histogram): Float64Array {
  const b = h as unknown as Buckets;
  if (h.totalCount === 0) return new Float64Array(0);
  const last = b.countsArrayIndex(b.maxValue);
  let n = 0;
  for (let i = 0; i <= last; i++) if (b.getCountAtIndex(i) !== 0) n++;
  const out = new Float64Array(n * 2);
  let k = 0;
  for (let i = 0; i <= last; i++) {
    const c = b.getCountAtIndex(i);
    if (c !== 0) {
      out[k++] = i;
      out[k++] = c;
    }
  }
  return out;
}

/** Rebuilds a histogram from {@link encodeHistogramBuckets} (same settings, so same buckets). */
export function decodeHistogramBuckets(pairs: Float64Array): Histogram {
  const h = acquireHistogram();
  const b = h as unknown as Buckets;
  for (let k = 0; k < pairs.length; k += 2) {
    b.recordValueWithCount(b.valueFromIndex(pairs[k]), pairs[k + 1]);
  }
  return h;
}

/** Decodes a histogram written by {@link encodeHistogram}. */
export function decodeHistogram(encoded: string): Histogram {
  const h = decodeFromCompressedBase64(encoded);
  h.autoResize = true;
  return h;
}

/** Adds every value of `from` into `into` (exact). */
export function addHistogram(into: Histogram, from: Histogram): void {
  if (from.totalCount === 0) return;
  into.add(from);
}
