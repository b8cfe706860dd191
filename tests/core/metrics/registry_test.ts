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
