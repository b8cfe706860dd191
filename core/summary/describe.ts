/**
 * Turns a (merged) snapshot into the summary's metric, endpoint, status and error sections.
 * Pure and independent of how the snapshot was made, so a live run, `rampa merge` and
 * `rampa report` all describe results the same way.
 *
 * @module
 */
import {
  combineSeries,
  selectSeries,
  type SeriesData,
  type Snapshot,
  trendStats,
} from "../metrics/snapshot.ts";
import type { EndpointSummary, MetricSummary, TrendSummary } from "./schema.ts";
import type { RequestFamily } from "../protocol/types.ts";
import { protocolSections } from "../protocol/registry.ts";

/** The request families of `sections` (default: every registered protocol's). */
export function requestFamilies(
  sections: readonly { readonly requests?: RequestFamily }[] = protocolSections(),
): RequestFamily[] {
  return sections.flatMap((s) => (s.requests ? [s.requests] : []));
}

/** The snapshot-derived sections of a summary. */
export interface Described {
  metrics: Record<string, MetricSummary>;
  endpoints: EndpointSummary[];
  statuses: Record<string, number>;
  errors: { kind: string; count: number }[];
}

const EMPTY_TREND: TrendSummary = trendStats(combineSeries("", []));

/** Trend statistics of `metric` over every series matching `filter` (exact merge). */
export function trendOf(
  s: Snapshot,
  metric: string,
  filter: Record<string, string> = {},
): TrendSummary {
  const list = selectSeries(s, metric, filter);
  return list.length ? trendStats(combineSeries(metric, list)) : EMPTY_TREND;
}

function values(kind: string, d: SeriesData, seconds: number) {
  switch (kind) {
    case "counter":
      return { count: d.value, rate: seconds > 0 ? d.value / seconds : 0 };
    case "rate":
      return {
        count: d.count,
        passes: d.value,
        fails: d.count - d.value,
        rate: d.count ? d.value / d.count : 0,
      };
    case "gauge":
      return {
        value: d.value,
        min: Number.isFinite(d.min) ? d.min : 0,
        max: Number.isFinite(d.max) ? d.max : 0,
      };
    default:
      return trendStats(d);
  }
}

/**
 * Describes a snapshot; `seconds` is the span counters' rates are computed over. Endpoints,
 * statuses and errors come from each protocol's request family.
 */
export function describeSnapshot(
  s: Snapshot,
  seconds: number,
  families: readonly RequestFamily[] = requestFamilies(),
): Described {
  const byMetric = new Map<string, SeriesData[]>();
  for (const d of s.series.values()) {
    if (d.count === 0 && s.metrics.get(d.metric)?.kind !== "gauge") continue;
    let l = byMetric.get(d.metric);
    if (!l) byMetric.set(d.metric, l = []);
    l.push(d);
  }
  const metrics: Record<string, MetricSummary> = {};
  for (const [name, list] of [...byMetric].sort(([a], [b]) => a.localeCompare(b))) {
    const def = s.metrics.get(name);
    if (!def) continue;
    const all = combineSeries(name, list);
    const entry = {
      type: def.kind,
      ...(def.kind === "trend" ? { unit: def.unit ?? "ms" } : def.unit ? { unit: def.unit } : {}),
      ...values(def.kind, all, seconds),
      breakdown: list.map((d) => ({ tags: { ...d.tags }, ...values(def.kind, d, seconds) })),
    };
    metrics[name] = entry as MetricSummary;
  }

  const endpoints = new Map<string, EndpointSummary>();
  const statuses: Record<string, number> = {};
  const errors = new Map<string, number>();
  for (const fam of families) {
    for (const d of byMetric.get(fam.count) ?? []) {
      const { name = "", method = "", status = "0", error } = d.tags;
      const key = fam.count + "\u0000" + method + " " + name;
      let e = endpoints.get(key);
      if (!e) {
        const f = { name, method };
        e = {
          name,
          method,
          requests: 0,
          rate: 0,
          failed: 0,
          statuses: {},
          errors: {},
          duration: trendOf(s, fam.duration, f),
          serviceTime: trendOf(s, fam.serviceTime ?? fam.duration, f),
        };
        endpoints.set(key, e);
      }
      e.requests += d.value;
      statuses[status] = (statuses[status] ?? 0) + d.value;
      if (status !== "0") e.statuses[status] = (e.statuses[status] ?? 0) + d.value;
      if (error) {
        e.errors[error] = (e.errors[error] ?? 0) + d.value;
        errors.set(error, (errors.get(error) ?? 0) + d.value);
      }
    }
    for (const d of byMetric.get(fam.failed) ?? []) {
      const key = fam.count + "\u0000" + (d.tags.method ?? "") + " " + (d.tags.name ?? "");
      const e = endpoints.get(key);
      if (e) e.failed += d.value;
    }
  }
  for (const e of endpoints.values()) e.rate = seconds > 0 ? e.requests / seconds : 0;
  return {
    metrics,
    endpoints: [...endpoints.values()].sort((a, b) => b.requests - a.requests),
    statuses,
    errors: [...errors].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count),
  };
}

/**
 * Requests made, in total and per scenario (the `scenario` tag): every request family's
 * counter summed, so a run mixing protocols counts each request once.
 */
export function requestCounts(
  metrics: Readonly<Record<string, MetricSummary>>,
  families: readonly RequestFamily[],
): { total: number; byScenario: Map<string, number> } {
  let total = 0;
  const byScenario = new Map<string, number>();
  for (const name of new Set(families.map((f) => f.count))) {
    const m = metrics[name];
    if (m?.type !== "counter") continue;
    total += m.count;
    for (const b of m.breakdown) {
      const sc = b.tags.scenario;
      if (sc !== undefined) byScenario.set(sc, (byScenario.get(sc) ?? 0) + b.count);
    }
  }
  return { total, byScenario };
}
