/**
 * One report section per protocol the run knew (`summary.sections`): every metric of its
 * family that was recorded, with the same columns for every protocol.
 *
 * @module
 */
import type { Summary } from "../../core/summary/schema.ts";
import { sectionRows } from "../_sections.ts";
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
  return sectionRows(s).map((sec) => {
    const rows = sec.rows.map(({ name, metric: m }) => {
      const cell = (v: number) => m.type === "trend" && m.unit !== "ms" ? String(v) : formatMs(v);
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
        : `${m.value} (max ${m.max})`;
      return [e(name), m.type, value, "", "", "", "", ""];
    });
    return section(
      `protocol-${e(sec.protocol)}`,
      e(sec.title),
      table(
        ["metric", "kind", "count", "p50", "p90", "p95", "p99", "max"],
        rows,
        new Set([2, 3, 4, 5, 6, 7]),
      ),
      `The ${e(sec.title)} metric family, over the whole run.`,
    );
  }).join("\n");
}
