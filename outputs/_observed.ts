/**
 * A threshold's observed value with its unit, the same in every report (console, HTML, JUnit,
 * the GitHub job summary and its annotations). A threshold names its metric with tags
 * (`http_req_duration{name:/api}`) or by an alias; the unit comes from the metric underneath,
 * so a tagged threshold never reads as a bare `4.135`. Private to outputs/.
 *
 * @example
 * ```ts
 * import { formatObservedValue } from "./_observed.ts";
 * import type { Summary } from "../core/summary/schema.ts";
 * declare const s: Summary;
 * formatObservedValue(s, "http_req_duration{name:/api}", "p(95)<500", 4.135); // "4.14ms"
 * ```
 *
 * @module
 */
import type { MetricSummary, Summary } from "../core/summary/schema.ts";
import { formatDuration } from "../core/units.ts";
import { formatBytes, formatPercent, formatRate, groupInt } from "./_numbers.ts";

/** What an observed value measures, which decides how it is written. */
export type ObservedUnit = "ms" | "bytes" | "share" | "per-second" | "count" | "none";

/** The summary's metric behind a threshold's metric key (tags and `{…}` filters dropped). */
export function thresholdMetric(s: Summary, metric: string): MetricSummary | undefined {
  const base = metric.replace(/\{.*$/, "").trim();
  return Object.hasOwn(s.metrics, base) ? s.metrics[base] : undefined;
}

/**
 * The unit of a threshold's observed value: a trend's own unit (ms, bytes or none), a rate
 * metric's share, a counter's per-second rate (`rate<…`) or its count (`count<…`).
 */
export function observedUnit(s: Summary, metric: string, expression: string): ObservedUnit {
  const m = thresholdMetric(s, metric);
  switch (m?.type) {
    case "trend":
      return m.unit === "ms" ? "ms" : m.unit === "bytes" ? "bytes" : "none";
    case "rate":
      return "share";
    case "counter": {
      const perSecond = /^\s*rate\b/i.test(expression);
      return perSecond ? "per-second" : m.unit === "bytes" ? "bytes" : "count";
    }
    default:
      return "none";
  }
}

function plain(v: number): string {
  return Math.abs(v) >= 100 ? groupInt(v) : String(Number(v.toPrecision(4)));
}

/** A value in `unit` as the text reports write it: `4.14ms`, `1.2%`, `498.7/s`, `1,024`. */
export function formatInUnit(v: number, unit: ObservedUnit): string {
  switch (unit) {
    case "ms":
      return formatDuration(v);
    case "bytes":
      return formatBytes(v);
    case "share":
      return formatPercent(v);
    case "per-second":
      return formatRate(v);
    case "count":
      return Number.isInteger(v) ? groupInt(v) : plain(v);
    default:
      return plain(v);
  }
}

/** `v`, observed for the threshold `metric expression`, with its unit; "no data" for null. */
export function formatObservedValue(
  s: Summary,
  metric: string,
  expression: string,
  v: number | null,
): string {
  if (v === null || !Number.isFinite(v)) return "no data";
  return formatInUnit(v, observedUnit(s, metric, expression));
}
