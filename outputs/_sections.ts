/**
 * The protocol sections of a summary (`summary.sections`), as rows every output renders the
 * same way: each registered protocol's metric family in its declared order, whatever the
 * protocol. Outputs never name a protocol to show its metrics.
 *
 * @module
 */
import type { MetricSummary, Summary } from "../core/summary/schema.ts";
import { CORE_METRICS } from "../core/metrics/builtin.ts";
import { SCENARIO_METRICS } from "../core/scenario/thresholds_setup.ts";
import { protocolMetrics } from "../core/protocol/registry.ts";

/** One metric of a section that was recorded. */
export interface SectionRow {
  readonly name: string;
  readonly metric: MetricSummary;
}

/** One protocol's section with its recorded metrics. */
export interface SectionRows {
  readonly protocol: string;
  readonly title: string;
  readonly rows: readonly SectionRow[];
}

/**
 * The sections with at least one recorded metric, in the summary's order. `covered` names
 * metrics an output already shows in tables of its own: a section whose request latency is
 * among them is left out whole (that output covers the protocol in depth), and the other
 * sections leave those metrics out.
 */
export function sectionRows(s: Summary, covered: ReadonlySet<string> = new Set()): SectionRows[] {
  const out: SectionRows[] = [];
  for (const sec of s.sections ?? []) {
    if (sec.requests && covered.has(sec.requests.duration)) continue;
    const rows = sec.metrics.flatMap((name) => {
      const metric = s.metrics[name];
      const recorded = metric && (metric.type === "gauge" || metric.count > 0);
      return recorded && !covered.has(name) ? [{ name, metric }] : [];
    });
    if (rows.length) out.push({ protocol: sec.protocol, title: sec.title, rows });
  }
  return out;
}

/** Metrics every run records whatever the scenario: never "custom". */
function builtinNames(s: Summary): Set<string> {
  return new Set([
    ...CORE_METRICS.map((d) => d.name),
    ...SCENARIO_METRICS.map((d) => d.name),
    ...protocolMetrics().map((d) => d.name),
    ...(s.sections ?? []).flatMap((sec) => sec.metrics),
    ...(s.sections ?? []).flatMap((sec) => Object.values(sec.requests ?? {})),
  ]);
}

/**
 * The scenario's own metrics (`new Counter(…)`, `Trend`, `Rate`, `Gauge`) that recorded
 * something, by name: every metric of the summary that is neither built in nor part of a
 * protocol's family. Reports show them in a block of their own, so a custom metric is never
 * only in the JSON.
 */
export function customMetricRows(s: Summary): SectionRow[] {
  const builtin = builtinNames(s);
  return Object.entries(s.metrics)
    .filter(([name, m]) => !builtin.has(name) && (m.type === "gauge" || m.count > 0))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, metric]) => ({ name, metric }));
}
