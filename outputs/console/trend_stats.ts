/**
 * The console summary's timing columns, chosen with `--summary-trend-stats` in k6's names
 * (`avg,min,med,max,p(90),p(95),p(99.9)`). Only statistics every summary carries can be
 * shown: those the summary keeps for each trend (its percentiles are fixed at build time).
 *
 * ```ts
 * import { parseTrendStats } from "./trend_stats.ts";
 * parseTrendStats("avg,p(95),max"); // ["avg", "p(95)", "max"]
 * ```
 *
 * @module
 */
import { ConfigError } from "../../core/errors.ts";
import type { TrendSummary } from "../../core/summary/schema.ts";

/** A statistic's column: its k6 name (the column heading) and the summary field it shows. */
export interface TrendColumn {
  readonly head: string;
  readonly key: Exclude<keyof TrendSummary, "count"> | "count";
}

/** Every accepted name, in k6's spelling, to the summary field behind it. */
const KEYS: Readonly<Record<string, TrendColumn["key"]>> = {
  avg: "avg",
  min: "min",
  med: "med",
  max: "max",
  count: "count",
  "p(50)": "p50",
  "p(90)": "p90",
  "p(95)": "p95",
  "p(99)": "p99",
  "p(99.9)": "p999",
};

/** The default columns (rampa's own: percentiles, no average). */
export const DEFAULT_TREND_STATS: readonly string[] = [
  "min",
  "p(50)",
  "p(90)",
  "p(95)",
  "p(99)",
  "p(99.9)",
  "max",
];

/** Normalises one name: `p95` and `p(95)` both read as `p(95)`, `P(99.90)` as `p(99.9)`. */
function normalise(name: string): string {
  const t = name.trim().toLowerCase();
  const m = /^p\(?(\d+(?:\.\d+)?)\)?$/.exec(t);
  return m ? `p(${Number(m[1])})` : t;
}

/**
 * Parses a `--summary-trend-stats` list; throws a ConfigError naming the first statistic the
 * summary does not keep, with the accepted names.
 */
export function parseTrendStats(text: string): string[] {
  const names = text.split(",").map((x) => x.trim()).filter(Boolean).map(normalise);
  if (names.length === 0) {
    throw new ConfigError(
      `Cannot parse --summary-trend-stats "${text}": expected a list such as avg,p(95),max`,
    );
  }
  const bad = names.find((n) => !(n in KEYS));
  if (bad !== undefined) {
    throw new ConfigError(
      `Cannot use --summary-trend-stats "${bad}": expected some of ${Object.keys(KEYS).join(",")}`,
    );
  }
  return [...new Set(names)];
}

/**
 * The columns a summary asks for: the list its run recorded (`config.summaryTrendStats`), or
 * the default when it has none or an unreadable one (an older summary, a hand-edited file).
 */
export function trendColumns(config: Readonly<Record<string, unknown>> | undefined): TrendColumn[] {
  const list = config?.summaryTrendStats;
  const names = Array.isArray(list) && list.length > 0 &&
      list.every((n) => typeof n === "string" && normalise(n) in KEYS)
    ? (list as string[]).map(normalise)
    : DEFAULT_TREND_STATS;
  return names.map((n) => ({ head: n.replace(/^p\((.*)\)$/, "p$1"), key: KEYS[n] }));
}
