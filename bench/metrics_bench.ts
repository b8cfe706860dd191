/**
 * Micro-benchmarks of metric recording on the hot path: one request's outcome into its series
 * (eight trends, a counter, a rate), a bare trend sample, and a tick's drain and merge.
 * Run with `deno task bench`; compare against the baseline in the same run, not absolutes.
 */
import { CORE_METRICS } from "../core/metrics/builtin.ts";
import { HttpRecorder } from "../engines/http/recorder.ts";
import { EvidenceLog } from "../core/run/evidence.ts";
import { addTrend, MetricRegistry } from "../core/metrics/registry.ts";
import { createSnapshot, mergeSnapshot } from "../core/metrics/snapshot.ts";
import { createOutcome } from "../engines/http/types.ts";

const reg = new MetricRegistry();
for (const d of CORE_METRICS) reg.define(d);
const rec = new HttpRecorder(reg, new EvidenceLog(), { scenario: "default" });
const ep = rec.endpoint({ name: "http://127.0.0.1/", method: "GET" });
const o = createOutcome();
Object.assign(o, {
  status: 200,
  blocked: 0,
  connecting: 0,
  tls: 0,
  sending: 0.01,
  waiting: 0.2,
  receiving: 0.02,
  bytesSent: 80,
  bytesReceived: 160,
});
let i = 0;

Deno.bench("baseline: read performance.now()", { group: "record", baseline: true }, () => {
  o.ended = performance.now();
});

Deno.bench("record one HTTP outcome (all series)", { group: "record" }, () => {
  o.scheduled = 0;
  o.started = 0.005;
  o.ended = 0.2 + (i++ % 1000) / 1000;
  rec.record(ep, o);
});

const trend = reg.series("iteration_duration", { scenario: "default" });
Deno.bench("add one trend sample", { group: "record" }, () => {
  addTrend(trend, 1 + (i++ % 5000) / 1000);
});

const total = createSnapshot();
Deno.bench("tick: drain 1,000 outcomes and merge into the total", { n: 200 }, () => {
  for (let k = 0; k < 1000; k++) {
    o.ended = 0.2 + (k % 100) / 100;
    rec.record(ep, o);
  }
  const d = reg.drain();
  mergeSnapshot(total, d, "time");
  reg.recycle(d);
});
