import { equal } from "node:assert/strict";
import { MetricRegistry, setGauge } from "../../../core/metrics/registry.ts";

Deno.test("resetGauges forgets a gauge's extremes (a warm-up's peak) but keeps its value", () => {
  const reg = new MetricRegistry();
  reg.define({ name: "vus_max", kind: "gauge" });
  const g = reg.series("vus_max");
  setGauge(g, 50);
  reg.drain();
  reg.resetGauges();
  equal(g.value, 50);
  setGauge(g, 3);
  const s = [...reg.drain().series.values()].find((x) => x.metric === "vus_max")!;
  equal(s.max, 3);
  equal(s.min, 3);
});

Deno.test("without resetGauges a drained gauge keeps its earlier peak in the next interval", () => {
  const reg = new MetricRegistry();
  reg.define({ name: "vus_max", kind: "gauge" });
  const g = reg.series("vus_max");
  setGauge(g, 50);
  setGauge(g, 10);
  reg.drain();
  setGauge(g, 3);
  // The interval's extremes start from the value carried over (10), not from the old peak.
  equal([...reg.drain().series.values()].find((x) => x.metric === "vus_max")!.max, 10);
});

Deno.test("fillForRehearsal gives every counter, rate and trend a sample; the drain takes them all", () => {
  const reg = new MetricRegistry();
  reg.define({ name: "reqs", kind: "counter" });
  reg.define({ name: "failed", kind: "rate" });
  reg.define({ name: "dur", kind: "trend", unit: "ms" });
  reg.define({ name: "vus", kind: "gauge" });
  reg.series("reqs");
  reg.series("failed");
  reg.series("dur", { name: "a" });
  reg.series("dur", { name: "b" });
  setGauge(reg.series("vus"), 7);
  reg.drain(); // the gauge's first value is history now
  reg.fillForRehearsal();
  const d = reg.drain();
  const by = (m: string) => [...d.series.values()].filter((s) => s.metric === m);
  equal(by("reqs")[0].value, 1);
  equal(by("failed")[0].count, 1);
  equal(by("dur").length, 2);
  for (const s of by("dur")) {
    equal(s.hist!.totalCount, s.count);
    equal(s.min < 0.1 && s.max > 1000, true); // µs to seconds: every bucket range the encode sees
  }
  equal(by("vus")[0].value, 7); // gauges are left as they were
  // Nothing made up survives into the next interval.
  const next = reg.drain();
  equal([...next.series.values()].filter((s) => s.metric !== "vus").length, 0);
});
