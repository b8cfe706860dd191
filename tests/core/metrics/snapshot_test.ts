import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { createHistogram, percentile, recordValue } from "../../../core/metrics/histogram.ts";
import {
  addCounter,
  addRate,
  addTrend,
  MetricRegistry,
  setGauge,
} from "../../../core/metrics/registry.ts";
import {
  createSnapshot,
  decodeSnapshot,
  encodeSnapshot,
  mergeSnapshot,
  seriesKey,
  type Snapshot,
  trendStats,
} from "../../../core/metrics/snapshot.ts";

function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function registryWith(values: number[]): MetricRegistry {
  const r = new MetricRegistry();
  r.define({ name: "lat", kind: "trend", unit: "ms" });
  r.define({ name: "reqs", kind: "counter" });
  r.define({ name: "failed", kind: "rate" });
  r.define({ name: "vus", kind: "gauge" });
  const t = r.series("lat", { name: "a" });
  const c = r.series("reqs", { name: "a" });
  const f = r.series("failed", { name: "a" });
  for (const v of values) {
    addTrend(t, v);
    addCounter(c, 1);
    addRate(f, v > 100);
  }
  setGauge(r.series("vus"), values.length % 7);
  return r;
}

Deno.test("two runs' snapshots merged equal one histogram fed all the values", () => {
  const rnd = lcg(42);
  const a = Array.from({ length: 5000 }, () => rnd() * 300);
  const b = Array.from({ length: 7000 }, () => 50 + rnd() * 2000);
  const merged = createSnapshot();
  // Through the JSON form, as between workers and hosts.
  for (const part of [a, b]) {
    const enc = JSON.parse(JSON.stringify(encodeSnapshot(registryWith(part).drain())));
    mergeSnapshot(merged, decodeSnapshot(enc));
  }
  const all = createHistogram();
  for (const v of [...a, ...b]) recordValue(all, v);
  const s = merged.series.get(seriesKey("lat", { name: "a" }))!;
  equal(s.count, 12_000);
  for (const p of [50, 90, 95, 99, 99.9, 100]) equal(percentile(s.hist!, p), percentile(all, p));
  equal(s.min, Math.min(...a, ...b));
  equal(s.max, Math.max(...a, ...b));
  const stats = trendStats(s);
  ok(Math.abs(stats.avg - [...a, ...b].reduce((x, y) => x + y, 0) / 12_000) < 1e-9);
  equal(merged.series.get(seriesKey("reqs", { name: "a" }))!.value, 12_000);
  const failed = merged.series.get(seriesKey("failed", { name: "a" }))!;
  equal(failed.count, 12_000);
  equal(failed.value, [...a, ...b].filter((v) => v > 100).length);
});

Deno.test("merging worker shares adds gauges; merging later intervals replaces them", () => {
  const mk = (v: number): Snapshot => {
    const r = new MetricRegistry();
    r.define({ name: "vus", kind: "gauge" });
    setGauge(r.series("vus"), v);
    return r.drain();
  };
  const shares = createSnapshot();
  mergeSnapshot(shares, mk(3));
  mergeSnapshot(shares, mk(4));
  equal(shares.series.get("vus")!.value, 7);
  const time = createSnapshot();
  mergeSnapshot(time, mk(3), "time");
  mergeSnapshot(time, mk(4), "time");
  equal(time.series.get("vus")!.value, 4);
  equal(time.series.get("vus")!.max, 4);
});

Deno.test("drain hands over the interval and keeps resolved series usable", () => {
  const r = new MetricRegistry();
  r.define({ name: "lat", kind: "trend" });
  const s = r.series("lat");
  addTrend(s, 5);
  const first = r.drain();
  equal(first.series.get("lat")!.count, 1);
  equal(r.drain().series.size, 0, "nothing recorded since");
  addTrend(s, 7);
  const third = r.drain();
  equal(third.series.get("lat")!.count, 1);
  equal(third.series.get("lat")!.min, 7);
  equal(first.series.get("lat")!.max, 5, "an earlier delta is not changed by later records");
});

Deno.test("series keys sort tags so tag order never splits a series", () => {
  equal(seriesKey("m", { b: "2", a: "1" }), seriesKey("m", { a: "1", b: "2" }));
  equal(seriesKey("m", {}), "m");
});

Deno.test("snapshots with other histogram settings or kinds are refused", () => {
  const enc = encodeSnapshot(registryWith([1, 2, 3]).drain());
  throws(() => decodeSnapshot({ ...enc, histogram: { ...enc.histogram, significantDigits: 2 } }));
  const other = createSnapshot();
  other.metrics.set("lat", { name: "lat", kind: "counter" });
  throws(() => mergeSnapshot(other, decodeSnapshot(enc)), /Cannot merge metric "lat"/);
});

Deno.test("encoding keeps tags, counts and extremes", () => {
  const enc = encodeSnapshot(registryWith([10, 20, 30]).drain());
  const lat = enc.series.find((s) => s.metric === "lat")!;
  deepStrictEqual(lat.tags, { name: "a" });
  deepStrictEqual([lat.count, lat.min, lat.max, lat.sum], [3, 10, 30, 60]);
  ok(typeof lat.hdr === "string" && lat.hdr.length > 0);
});
