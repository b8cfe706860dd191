/**
 * One report section per protocol the run knew (`summary.sections`): every metric of its
 * family that was recorded, with the same columns for every protocol.
 *
 * @module
 */
import type { Summary } from "../../core/summary/schema.ts";
import { customMetricRows, type SectionRow, sectionRows } from "../_sections.ts";
import {
  escapeHtml as e,
  formatInt,
  formatMs,
  formatPercent,
  formatRate,
  section,
  table,
} from "./_format.ts";

/** The protocol sections; empty when no protocol metric was recorded. */
export function protocolSections(s: Summary): string {
  return sectionRows(s).map((sec) =>
    section(
      `protocol-${e(sec.protocol)}`,
      e(sec.title),
      metricsTable(sec.rows),
      `The ${e(sec.title)} metric family, over the whole run.`,
    )
  ).join("\n");
}

/** The scenario's own metrics (Counter, Trend, Rate, Gauge); empty when it declared none. */
export function customMetricsSection(s: Summary): string {
  const rows = customMetricRows(s);
  if (rows.length === 0) return "";
  return section(
    "custom-metrics",
    "Custom metrics",
    metricsTable(rows),
    "Metrics the scenario declared, over the whole run.",
  );
}

/** One row per metric: trends with percentiles, the other kinds as a value. */
function metricsTable(list: readonly SectionRow[]): string {
  const rows = list.map(({ name, metric: m }) => {
    const cell = (v: number) =>
      m.type === "trend" && m.unit !== "ms" ? String(Math.round(v * 1000) / 1000) : formatMs(v);
    if (m.type === "trend") {
      return [
        e(name),
        "trend",
        formatInt(m.count),
        cell(m.p50),
        cell(m.p90),
        cell(m.p95),
        cell(m.p99),
        cell(m.max),
      ];
    }
    const value = m.type === "counter"
      ? `${formatInt(m.count)} (${formatRate(m.rate)})`
      : m.type === "rate"
      ? `${formatPercent(m.rate)} of ${formatInt(m.count)}`
      : `${m.value} (min ${m.min}, max ${m.max})`;
    return [e(name), m.type, value, "", "", "", "", ""];
  });
  return table(
    ["metric", "kind", "count", "p50", "p90", "p95", "p99", "max"],
    rows,
    new Set([2, 3, 4, 5, 6, 7]),
  );
}
