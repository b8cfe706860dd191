/**
 * StatsD lines for one interval of a run, plain or DogStatsD (`|#tag:value` tags).
 *
 * - Counters: `<prefix><metric>:<added>|c`.
 * - Rate metrics: `<prefix><metric>:<true samples>|c` and `<prefix><metric>.samples:<n>|c`.
 * - Gauges: `<prefix><metric>:<value>|g` (plain StatsD has no tags: series are summed).
 * - Trends: timings, `<prefix><metric>:<value>|ms|@<1/n>`, one line per histogram bucket
 *   (HDR buckets merged to 2 significant digits, ≤ 1% apart), `n` the values in it: the
 *   sample rate makes the server count `n` values of that size, so counts and percentiles
 *   survive without one line per request.
 *
 * @module
 */
import type { Snapshot } from "../../core/metrics/snapshot.ts";
import { forEachBucket } from "../_stream.ts";

/** Which dialect to write. */
export type StatsdFlavor = "statsd" | "datadog";

/** A metric name as StatsD servers accept it (no `:`, `|`, `@`, `#` or spaces). */
export function statsdName(name: string): string {
  return name.replace(/[:|@#,\s]/g, "_");
}

function ddTag(s: string): string {
  return s.replace(/[|,#\s]/g, "_");
}

function num(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v * 1e6) / 1e6}` : "0";
}

/** Rounds to 2 significant digits: the timing buckets' grid. */
function grid(v: number): number {
  if (v <= 0) return 0;
  return Number(v.toPrecision(2));
}

/** The lines of one interval (series without samples are left out, gauges kept). */
export function statsdLines(
  s: Snapshot,
  flavor: StatsdFlavor,
  prefix: string,
  testId: string,
): string[] {
  const out: string[] = [];
  const gauges = new Map<string, number>();
  for (const d of s.series.values()) {
    const kind = s.metrics.get(d.metric)?.kind;
    if (!kind || (d.count === 0 && kind !== "gauge")) continue;
    const name = prefix + statsdName(d.metric);
    let tags = "";
    if (flavor === "datadog") {
      const list = [`testid:${ddTag(testId)}`];
      for (const k of Object.keys(d.tags).sort()) {
        if (k !== "testid" && d.tags[k] !== "") list.push(`${ddTag(k)}:${ddTag(d.tags[k])}`);
      }
      tags = `|#${list.join(",")}`;
    }
    switch (kind) {
      case "counter":
        out.push(`${name}:${num(d.value)}|c${tags}`);
        break;
      case "rate":
        out.push(`${name}:${num(d.value)}|c${tags}`, `${name}.samples:${d.count}|c${tags}`);
        break;
      case "gauge":
        if (flavor === "datadog") out.push(`${name}:${num(d.value)}|g${tags}`);
        else gauges.set(name, (gauges.get(name) ?? 0) + d.value);
        break;
      case "trend": {
        if (!d.hist) break;
        const buckets = new Map<number, number>();
        forEachBucket(d.hist, (v, c) => {
          const g = grid(Math.min(Math.max(v, d.min), d.max));
          buckets.set(g, (buckets.get(g) ?? 0) + c);
        });
        for (const [v, c] of buckets) {
          out.push(`${name}:${num(v)}|ms${c > 1 ? `|@${1 / c}` : ""}${tags}`);
        }
        break;
      }
    }
  }
  for (const [name, v] of gauges) out.push(`${name}:${num(v)}|g`);
  return out;
}

/** Packs lines into datagrams of at most `mtu` bytes (a longer line travels alone). */
export function packLines(lines: readonly string[], mtu: number): Uint8Array[] {
  const enc = new TextEncoder();
  const packets: Uint8Array[] = [];
  let cur = "";
  for (const line of lines) {
    if (cur && enc.encode(cur).length + 1 + enc.encode(line).length > mtu) {
      packets.push(enc.encode(cur));
      cur = "";
    }
    cur = cur ? `${cur}\n${line}` : line;
  }
  if (cur) packets.push(enc.encode(cur));
  return packets;
}
