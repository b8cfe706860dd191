/**
 * Row builder of the CSV output: turns one interval's snapshot into CSV lines, one per
 * metric × tag set. Pure and synchronous so `push` can call it on the tick (while the delta's
 * histograms are still valid) and keep only strings.
 *
 * @module
 */
import type { MetricKind } from "../../core/types.ts";
import { type SeriesData, type Snapshot, trendStats } from "../../core/metrics/snapshot.ts";

/** The columns, in order; the header row is exactly these names. */
export const CSV_COLUMNS: readonly string[] = [
  "time",
  "elapsed_s",
  "interval_s",
  "metric",
  "tags",
  "count",
  "rate",
  "min",
  "p50",
  "p90",
  "p95",
  "p99",
  "max",
  "value",
];

/** RFC 4180 ends records with CRLF; spreadsheets and csv parsers expect it. */
export const CSV_EOL = "\r\n";

/** The header record. */
export const CSV_HEADER: string = CSV_COLUMNS.join(",") + CSV_EOL;

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Quotes one field per RFC 4180: only when it holds a comma, a quote or a line break, with
 * inner quotes doubled. Tag values are user text (request names), so this is not optional.
 */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A tag set as `k=v;k2=v2`, sorted by key so equal sets always read the same. */
export function formatTags(tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags).sort();
  let out = "";
  for (let i = 0; i < keys.length; i++) out += (i ? ";" : "") + keys[i] + "=" + tags[keys[i]];
  return out;
}

/** A number with at most `digits` decimals and no trailing zeros; empty when not finite. */
function num(v: number, digits: number): string {
  if (!Number.isFinite(v)) return "";
  const f = 10 ** digits;
  const r = Math.round(v * f) / f;
  return Object.is(r, -0) ? "0" : String(r);
}

/** Where and how long the interval was, in the run's wall time. */
export interface IntervalSpan {
  /** Wall-clock ms (epoch) of the run's start. */
  readonly startedAtMs: number;
  /** Elapsed ms at the interval's end. */
  readonly endMs: number;
  /** Length of the interval, ms. */
  readonly lengthMs: number;
}

/** The count, rate, trend and value fields of one series (everything after `tags`). */
function valueFields(kind: MetricKind, d: SeriesData, seconds: number): string {
  const perSecond = (n: number) => (seconds > 0 ? num(n / seconds, 3) : "");
  switch (kind) {
    case "counter":
      // `count` of a counter is what was added, as in the summary (bytes for data_sent).
      return `${num(d.value, 6)},${perSecond(d.value)},,,,,,,${num(d.value, 6)}`;
    case "rate":
      return `${d.count},${d.count ? num(d.value / d.count, 6) : ""},,,,,,,${num(d.value, 6)}`;
    case "gauge":
      return `${d.count},,,,,,,,${num(d.value, 6)}`;
    case "trend": {
      const t = trendStats(d);
      return `${d.count},${perSecond(d.count)},${num(t.min, 3)},${num(t.p50, 3)},${num(t.p90, 3)},${
        num(t.p95, 3)
      },${num(t.p99, 3)},${num(t.max, 3)},`;
    }
  }
}

/**
 * The CSV lines of one interval, sorted by metric and tags. Series without samples are left
 * out, except gauges, whose current value is news even when nobody set it this interval.
 */
export function intervalRows(s: Snapshot, span: IntervalSpan): string {
  const seconds = span.lengthMs / 1000;
  const head = new Date(span.startedAtMs + span.endMs).toISOString() + "," +
    num(span.endMs / 1000, 3) + "," + num(seconds, 3) + ",";
  const rows: { metric: string; tags: string; line: string }[] = [];
  for (const d of s.series.values()) {
    const kind = s.metrics.get(d.metric)?.kind;
    if (!kind || (d.count === 0 && kind !== "gauge")) continue;
    const tags = formatTags(d.tags);
    const line = head + csvField(d.metric) + "," + csvField(tags) + "," +
      valueFields(kind, d, seconds) + CSV_EOL;
    rows.push({ metric: d.metric, tags, line });
  }
  rows.sort((a, b) =>
    a.metric < b.metric
      ? -1
      : a.metric > b.metric
      ? 1
      : a.tags < b.tags
      ? -1
      : a.tags > b.tags
      ? 1
      : 0
  );
  let out = "";
  for (const r of rows) out += r.line;
  return out;
}
