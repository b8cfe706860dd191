/**
 * The number formats people read in rampa's text reports (the console summary and progress
 * line, the GitHub job summary): thousands separators independent of the host's locale, rates,
 * shares that never round a partial failure to 0% or 100%, and bytes. One file at the outputs
 * level so every text output formats a number the same way; private to outputs/.
 *
 * @example
 * ```ts
 * import { formatBytes, groupInt, percentOf } from "./_numbers.ts";
 *
 * console.log(groupInt(1234567), percentOf(1, 5000), formatBytes(1_790_000));
 * // 1,234,567 0.02% 1.79 MB
 * ```
 *
 * @module
 */

/** An integer with thousands separators, independent of the host's locale. */
export function groupInt(n: number): string {
  const s = Math.round(Math.abs(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return n < 0 ? "-" + s : s;
}

/** A per-second rate: one decimal below 1,000/s, whole numbers above. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "-";
  return (perSecond < 1000 ? perSecond.toFixed(1) : groupInt(perSecond)) + "/s";
}

/**
 * A share (0–1) as a percentage. Small shares get more digits: 0.02% of errors is not 0%,
 * and rounding it away would hide exactly what the reader looks for.
 */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return "0%";
  const p = share * 100;
  if (p >= 100) return "100%";
  if (p < 0.01) return "<0.01%";
  if (p < 1) return p.toFixed(2) + "%";
  // Never round a partial failure up to a clean 100%.
  return Math.min(p, 99.9).toFixed(1) + "%";
}

/** `part` of `whole` as a percentage; 0% when there is no whole. */
export function percentOf(part: number, whole: number): string {
  return whole > 0 ? formatPercent(part / whole) : "0%";
}

const BYTE_UNITS = ["B", "kB", "MB", "GB", "TB"];

/** Bytes in decimal units (`1.79 MB`), the way network throughput is usually quoted. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "-";
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < BYTE_UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  if (u === 0) return `${Math.round(v)} B`;
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${BYTE_UNITS[u]}`;
}
