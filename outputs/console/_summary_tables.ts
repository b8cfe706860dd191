/**
 * The tabular sections of the end-of-test summary: timings, endpoints, thresholds and checks.
 * Cells are padded as plain text first and styled afterwards, so colour never shifts a column.
 *
 * @module
 */
import type { EndpointSummary, Summary, TrendSummary } from "../../core/summary/schema.ts";
import { formatDuration } from "../../core/units.ts";
import { type Paint, truncateEnd, truncateMiddle, wrap } from "./_text.ts";
import { formatBytes, formatPercent, formatRate, groupInt, percentOf } from "../_numbers.ts";
import { customMetricRows, type SectionRow, sectionRows } from "../_sections.ts";
import { formatObservedValue } from "../_observed.ts";
import { shortEndpointName } from "../_endpoint_name.ts";
import { trendColumns } from "./trend_stats.ts";

/** The console says "no samples" where other reports say "no data". */
function observedText(s: Summary, metric: string, expression: string, v: number | null): string {
  return v === null || !Number.isFinite(v)
    ? "no samples"
    : formatObservedValue(s, metric, expression, v);
}

/** Most endpoint rows shown; the rest are counted so nothing disappears silently. */
export const MAX_ENDPOINT_ROWS = 20;

/** Timing rows in reading order: the headline latency first, phases after. */
export const TIMING_ROWS: readonly { label: string; metric: string }[] = [
  { label: "latency", metric: "http_req_duration" },
  { label: "service time", metric: "http_req_service_time" },
  { label: "CO-corrected", metric: "http_req_duration_corrected" },
  { label: "scheduler lag", metric: "scheduler_lag" },
  { label: "waiting (TTFB)", metric: "http_req_waiting" },
  { label: "connecting", metric: "http_req_connecting" },
  { label: "tls", metric: "http_req_tls_handshaking" },
  { label: "receiving", metric: "http_req_receiving" },
];

type TimingCol = { head: string; key: keyof TrendSummary; width: number };

const TIMING_COLS: readonly TimingCol[] = [
  { head: "min", key: "min", width: 8 },
  { head: "p50", key: "p50", width: 8 },
  { head: "p90", key: "p90", width: 8 },
  { head: "p95", key: "p95", width: 8 },
  { head: "p99", key: "p99", width: 8 },
  { head: "p99.9", key: "p999", width: 8 },
  { head: "max", key: "max", width: 8 },
];
const TIMING_PRIORITY = ["p50", "p95", "p99", "max", "p90", "min", "p99.9"];

/**
 * The timing columns and the order they give way in: the run's `--summary-trend-stats` (kept
 * from the left when the terminal is narrow), else rampa's percentiles.
 */
function timingColumns(s: Summary): { cols: readonly TimingCol[]; priority: readonly string[] } {
  if (!Array.isArray(s.run.config?.summaryTrendStats)) {
    return { cols: TIMING_COLS, priority: TIMING_PRIORITY };
  }
  const cols = trendColumns(s.run.config).map((c) => ({ ...c, width: CELL }));
  return { cols, priority: cols.map((c) => c.head) };
}

const CELL = 8;
const LABEL = 16;
/** Narrowest endpoint name column before figures start to give way. */
const MIN_NAME = 20;

/**
 * The columns that fit in `room`, most important first, shown in their usual order: on a
 * narrow terminal p99.9 and min give way before p95 and p99 do.
 */
function fitColumns<T extends { head: string; width: number }>(
  cols: readonly T[],
  priority: readonly string[],
  room: number,
): T[] {
  const kept = new Set<string>();
  let used = 0;
  for (const head of priority) {
    const c = cols.find((c) => c.head === head);
    if (!c || used + c.width > room) continue;
    kept.add(head);
    used += c.width;
  }
  return cols.filter((c) => kept.has(c.head));
}

function trend(s: Summary, metric: string): TrendSummary | null {
  const m = s.metrics[metric];
  return m?.type === "trend" && m.count > 0 ? m : null;
}

/**
 * The timings table plus its legend; empty when nothing was timed. A phase the engine cannot
 * observe has no samples and so no row: an absent row is honest, a row of zeros would not be.
 */
export function timingsBlock(s: Summary, width: number, paint: Paint): string[] {
  const rows = TIMING_ROWS.flatMap((r) => {
    const t = trend(s, r.metric);
    return t ? [{ ...r, t }] : [];
  });
  if (rows.length === 0) return [];
  const all = timingColumns(s);
  const cols = fitColumns(all.cols, all.priority, width - LABEL);
  const head = paint("bold", "timings".padEnd(LABEL)) +
    paint("dim", cols.map((c) => c.head.padStart(c.width)).join(""));
  const out = [head];
  for (const r of rows) {
    const cells = cols.map((c) =>
      (c.key === "count" ? groupInt(r.t.count) : formatDuration(r.t[c.key])).padStart(c.width)
    );
    const label = ("  " + r.label).padEnd(LABEL);
    out.push(
      r.metric === "http_req_duration"
        ? paint("bold", label + cells.join(""))
        : label + cells.join(""),
    );
  }
  const legend = "latency counts from the scheduled start (no coordinated omission); " +
    "service time from the actual send; scheduler lag is the gap between them.";
  const rps = s.run.config?.rps;
  const capped = typeof rps === "number"
    ? ` The --rps ${rps} cap held requests back: that wait is in latency, not in scheduler lag.`
    : "";
  for (const l of wrap(legend + capped, width, "  ")) out.push(paint("dim", l));
  return out;
}

/** One row per endpoint, busiest first, capped at {@link MAX_ENDPOINT_ROWS}. */
export function endpointsBlock(s: Summary, width: number, paint: Paint): string[] {
  if (s.endpoints.length === 0) return [];
  const all: { head: string; width: number; cell: (e: EndpointSummary) => string }[] = [
    { head: "reqs", width: 8, cell: (e) => groupInt(e.requests) },
    { head: "req/s", width: 10, cell: (e) => formatRate(e.rate) },
    { head: "failed", width: 8, cell: (e) => percentOf(e.failed, e.requests) },
    { head: "p50", width: CELL, cell: (e) => formatDuration(e.duration.p50) },
    { head: "p95", width: CELL, cell: (e) => formatDuration(e.duration.p95) },
    { head: "p99", width: CELL, cell: (e) => formatDuration(e.duration.p99) },
  ];
  const priority = ["reqs", "failed", "p95", "p99", "p50", "req/s"];
  const cols = fitColumns(all, priority, width - 2 - MIN_NAME);
  const nameW = width - 2 - cols.reduce((n, c) => n + c.width, 0);
  const out = [
    paint("bold", "endpoints".padEnd(nameW + 2)) +
    paint("dim", cols.map((c) => c.head.padStart(c.width)).join("")),
  ];
  for (const e of s.endpoints.slice(0, MAX_ENDPOINT_ROWS)) {
    // Shortened at the host, never in the middle of the path: endpoints differ in their paths.
    const name = shortEndpointName(`${e.method} ${e.name}`.trim(), nameW - 1).padEnd(nameW);
    // Only the failed column is coloured: red draws the eye to the endpoint that failed.
    const cells = cols.map((c) => {
      const v = c.cell(e).padStart(c.width);
      return c.head === "failed" && e.failed > 0 ? paint("red", v) : v;
    });
    out.push("  " + name + cells.join(""));
  }
  const more = s.endpoints.length - MAX_ENDPOINT_ROWS;
  if (more > 0) out.push(paint("dim", `  … ${groupInt(more)} more (see the JSON summary)`));
  return out;
}

/** Pads the left column so the right one (observed values, pass rates) starts aligned. */
function twoColumns(rows: { mark: string; left: string; right: string }[], width: number) {
  const rightW = Math.max(...rows.map((r) => r.right.length));
  const leftW = Math.max(
    8,
    Math.min(Math.max(...rows.map((r) => r.left.length)), width - 6 - rightW),
  );
  return rows.map((r) => ({
    ...r,
    text: truncateMiddle(r.left, leftW).padEnd(leftW) + "  " + r.right,
  }));
}

/** Threshold results; empty when none were set. */
export function thresholdsBlock(s: Summary, width: number, paint: Paint): string[] {
  if (s.thresholds.length === 0) return [];
  const rows = twoColumns(
    s.thresholds.map((t) => ({
      mark: t.passed ? "✓" : "✗",
      left: `${t.metric} ${t.expression}`,
      right: "observed " + observedText(s, t.metric, t.expression, t.observed) +
        (t.abortOnFail && !t.passed ? " (abort)" : ""),
    })),
    width,
  );
  return [
    paint("bold", "thresholds"),
    ...rows.map((r) => `  ${paint(r.mark === "✓" ? "green" : "red", r.mark)} ${r.text}`),
  ];
}

/** Check results; empty when the scenario had none. */
export function checksBlock(s: Summary, width: number, paint: Paint): string[] {
  if (s.checks.length === 0) return [];
  const rows = twoColumns(
    s.checks.map((c) => {
      const n = c.passes + c.fails;
      return {
        mark: c.fails === 0 ? "✓" : "✗",
        left: c.name,
        right: `${percentOf(c.passes, n).padStart(6)}  ${groupInt(c.passes)} of ${groupInt(n)}`,
      };
    }),
    width,
  );
  const out = [paint("bold", "checks")];
  rows.forEach((r, i) => {
    out.push(`  ${paint(r.mark === "✓" ? "green" : "red", r.mark)} ${r.text}`);
    // The most frequent failure reason says *why* without opening the JSON.
    const top = s.checks[i].reasons?.[0];
    if (top) {
      out.push(
        paint("dim", "    " + truncateEnd(`${top.reason} (${groupInt(top.count)}×)`, width - 4)),
      );
    }
  });
  return out;
}

/** Errors by kind: count, share of requests and the first message seen. */
export function errorsBlock(s: Summary, requests: number, width: number, paint: Paint): string[] {
  const thrown = iterationErrorsBlock(s, width, paint);
  if (s.errors.length === 0) {
    return thrown.length ? thrown : [paint("bold", "errors".padEnd(15)) + "none"];
  }
  const out = [...thrown, paint("bold", "errors by kind")];
  for (const e of s.errors) {
    const left = "  " + truncateEnd(e.kind, 12).padEnd(12) + groupInt(e.count).padStart(8) +
      percentOf(e.count, requests).padStart(8);
    const room = width - left.length - 2;
    const example = e.example && room > 8 ? "  " + truncateEnd(e.example, room) : "";
    out.push(paint("red", left) + paint("dim", example));
  }
  return out;
}

/**
 * Exceptions thrown by scenario code, by kind, with the first message and its file:line: a
 * scenario that throws is never a silent pass.
 */
function iterationErrorsBlock(s: Summary, width: number, paint: Paint): string[] {
  const list = s.iterationErrors ?? [];
  if (list.length === 0) return [];
  const threw = list.reduce((a, e) => a + e.count, 0);
  const of = s.load.started > 0
    ? ` of ${groupInt(s.load.started)} iterations (${percentOf(threw, s.load.started)})`
    : "";
  const out = [paint("bold", "iteration errors") + `  ${groupInt(threw)}${of}`];
  for (const e of list.slice(0, 5)) {
    const left = "  " + truncateEnd(e.kind, 18).padEnd(18) + groupInt(e.count).padStart(8);
    const room = width - left.length - 2;
    out.push(paint("red", left) + (room > 8 ? "  " + truncateEnd(e.example, room) : ""));
  }
  if (list.length > 5) out.push(paint("dim", `  … ${list.length - 5} more kinds in the JSON`));
  return out;
}

/** Status codes with count and share; 0 stands for requests that got no response. */
export function statusesBlock(s: Summary, requests: number, paint: Paint): string[] {
  const codes = Object.entries(s.statuses).sort(([a], [b]) => Number(a) - Number(b));
  if (codes.length === 0) return [];
  const out = [paint("bold", "status codes")];
  for (const [code, count] of codes) {
    const row = "  " + (code === "0" ? "none" : code).padEnd(12) + groupInt(count).padStart(8) +
      percentOf(count, requests).padStart(8) + (code === "0" ? "  no response (see errors)" : "");
    out.push(Number(code) >= 400 ? paint("red", row) : row);
  }
  return out;
}

/** Metrics the summary's own blocks already show (the sections block skips them). */
const SHOWN = new Set([
  ...TIMING_ROWS.map((r) => r.metric),
  "http_reqs",
  "http_req_failed",
  "data_sent",
  "data_received",
]);

/**
 * One block per protocol section with metrics not shown elsewhere (a WebSocket or a
 * plug-in protocol's family): trends with their percentiles, counters with count and rate,
 * rates as a share, gauges with their value.
 */
export function sectionsBlock(s: Summary, width: number, paint: Paint): string[] {
  const out: string[] = [];
  for (const sec of sectionRows(s, SHOWN)) {
    if (out.length) out.push("");
    out.push(...metricsTable(sec.title.toLowerCase(), sec.rows, width, paint, timingColumns(s)));
  }
  return out;
}

/**
 * The scenario's custom metrics (`Counter`, `Trend`, `Rate`, `Gauge`), in the same columns
 * as a protocol's family; empty when the scenario declared none or none recorded.
 */
export function customMetricsBlock(s: Summary, width: number, paint: Paint): string[] {
  const rows = customMetricRows(s);
  return rows.length ? metricsTable("custom metrics", rows, width, paint, timingColumns(s)) : [];
}

/** A titled table of metrics: trends with percentiles, counters, rates and gauges in words. */
function metricsTable(
  title: string,
  rows: readonly SectionRow[],
  width: number,
  paint: Paint,
  all: { cols: readonly TimingCol[]; priority: readonly string[] },
): string[] {
  // Metric names are the point of this block: the label column fits them (within reason).
  const lw = Math.min(30, Math.max(LABEL, ...rows.map((r) => r.name.length + 4)));
  const cols = fitColumns(all.cols, all.priority, width - lw);
  const out = [
    paint("bold", truncateEnd(title, lw - 1).padEnd(lw)) +
    paint("dim", cols.map((c) => c.head.padStart(c.width)).join("")),
  ];
  for (const { name, metric: m } of rows) {
    const label = ("  " + truncateMiddle(name, lw - 3)).padEnd(lw);
    if (m.type === "trend") {
      const fmt = (v: number) =>
        m.unit === "ms"
          ? formatDuration(v)
          : m.unit === "bytes"
          ? formatBytes(v)
          : String(round2(v));
      out.push(
        label +
          cols.map((c) => (c.key === "count" ? groupInt(m.count) : fmt(m[c.key])).padStart(c.width))
            .join(""),
      );
    } else if (m.type === "counter") {
      const count = m.unit === "bytes" ? formatBytes(m.count) : groupInt(m.count);
      const rate = m.unit === "bytes" ? `${formatBytes(m.rate)}/s` : formatRate(m.rate);
      out.push(label + `${count} (${rate})`);
    } else if (m.type === "rate") {
      out.push(label + `${formatPercent(m.rate)} of ${groupInt(m.count)}`);
    } else out.push(label + `${round2(m.value)} (min ${round2(m.min)}, max ${round2(m.max)})`);
  }
  return out;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
