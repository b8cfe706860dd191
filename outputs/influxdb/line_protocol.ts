/**
 * InfluxDB line protocol for one interval of a run: one measurement per metric, tags as tags
 * (plus `testid`), numeric fields only (all floats, so a field never changes type).
 *
 * - Counters: `value`, what was added in the interval (`sum("value")` is the summary's count).
 * - Rate metrics: `value` (true samples) and `count` (samples).
 * - Gauges: `value`, the current value.
 * - Trends: `count`, `min`, `p50`, `p90`, `p95`, `p99`, `max`, in the metric's unit.
 *
 * @module
 */
import type { Snapshot } from "../../core/metrics/snapshot.ts";
import { trendStats } from "../../core/metrics/snapshot.ts";

/** Escapes a measurement name (commas, spaces). */
export function escapeMeasurement(s: string): string {
  return s.replace(/[\\,\s]/g, (c) => `\\${c === "\n" ? " " : c}`);
}

/** Escapes a tag key or value (commas, equals signs, spaces). */
export function escapeTag(s: string): string {
  return s.replace(/[\\,=\s]/g, (c) => `\\${/\s/.test(c) ? " " : c}`);
}

function num(v: number): string {
  return Number.isFinite(v) ? `${v}` : "0";
}

/**
 * Lines for the series of `s` that saw samples (gauges always), at `timeMs` (wall time, ms;
 * write with `precision=ms`).
 */
export function intervalLines(s: Snapshot, testId: string, timeMs: number): string {
  let out = "";
  for (const d of s.series.values()) {
    const kind = s.metrics.get(d.metric)?.kind;
    if (!kind || (d.count === 0 && kind !== "gauge")) continue;
    let fields: string;
    switch (kind) {
      case "counter":
      case "gauge":
        fields = `value=${num(d.value)}`;
        break;
      case "rate":
        fields = `value=${num(d.value)},count=${num(d.count)}`;
        break;
      case "trend": {
        const t = trendStats(d);
        fields = `count=${t.count},min=${num(t.min)},p50=${num(t.p50)},p90=${num(t.p90)},` +
          `p95=${num(t.p95)},p99=${num(t.p99)},max=${num(t.max)}`;
        break;
      }
      default:
        continue;
    }
    let tags = `,testid=${escapeTag(testId)}`;
    for (const k of Object.keys(d.tags).sort()) {
      const v = d.tags[k];
      if (k === "testid" || v === "") continue;
      tags += `,${escapeTag(k)}=${escapeTag(v)}`;
    }
    out += `${escapeMeasurement(d.metric)}${tags} ${fields} ${Math.round(timeMs)}\n`;
  }
  return out;
}
