import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { addCounter, addTrend } from "../../../core/metrics/registry.ts";
import { combineSeries, createSeries, trendStats } from "../../../core/metrics/snapshot.ts";
import { SlidingWindow } from "../../../core/thresholds/window.ts";
import { ReplayRun, spread } from "./_run.ts";

const FAST = { latencies: spread(100, 5, 15) };

Deno.test("one bad 30 s window fails a threshold whose whole-run value passes", () => {
  const run = new ReplayRun({
    http_req_duration: ["p(99)<500 over 30s", "p(99)<500"],
  });
  for (let i = 1; i <= 60; i++) {
    // At 20 s, 50 requests take 900 ms: 0.8 % of the run, but 1.6 % of any 30 s around them.
    run.tick(i === 20 ? [FAST, { latencies: spread(50, 900, 900) }] : FAST);
  }
  const [windowed, whole] = run.results();
  equal(whole.passed, true);
  ok(whole.observed! < 16, `whole-run p99 ${whole.observed}`);
  equal(windowed.passed, false);
  equal(windowed.status, "failed");
  equal(windowed.observed, 900);
  deepStrictEqual(windowed.window, { ms: 30_000, worst: 900, atMs: 30_000 });
  equal(windowed.reason, "breached in the 30s window ending at 30s");
});

Deno.test("windowed thresholds that never breach report their worst window", () => {
  const run = new ReplayRun({ http_req_duration: ["max<100 over 5s", "max>1 over 5s"] });
  for (let i = 1; i <= 20; i++) run.tick({ latencies: [10 + (i === 12 ? 50 : 0), 20] });
  const [below, above] = run.results();
  deepStrictEqual([below.passed, below.window], [true, { ms: 5000, worst: 60, atMs: 12_000 }]);
  deepStrictEqual([above.passed, above.window], [true, { ms: 5000, worst: 20, atMs: 5000 }]);
});

Deno.test("windowed counts and rates cover the window, not the run", () => {
  const run = new ReplayRun({
    http_reqs: ["count>=40 over 10s", "count>=40", "rate>=4 over 10s", "rate>=4"],
  });
  const gapTick = (i: number) => i > 30 && i <= 36 ? {} : { latencies: [1, 2, 3, 4, 5] };
  for (let i = 1; i <= 60; i++) run.tick(gapTick(i));
  const r = run.results();
  deepStrictEqual(r.map((x) => [x.passed, x.observed]), [
    [false, 20],
    [true, 270],
    [false, 2],
    [true, 4.5],
  ]);
  equal(r[0].window!.atMs, 36_000, "the window (26 s, 36 s] had 4 busy seconds");
});

Deno.test("a window is judged only once the run is about one window long", () => {
  const run = new ReplayRun({ http_reqs: ["count>=10 over 5s"] });
  for (let i = 1; i <= 8; i++) run.tick({ latencies: [1, 2] });
  deepStrictEqual(run.results()[0].window, { ms: 5000, worst: 10, atMs: 5000 });
});

Deno.test("a run shorter than the window is judged on the whole run as one window", () => {
  const run = new ReplayRun({
    http_reqs: ["count>=100 over 1m"],
    http_req_duration: ["avg<5 over 1m"],
  });
  for (let i = 1; i <= 5; i++) run.tick({ latencies: [1, 2, 3] });
  deepStrictEqual(run.results().map((r) => [r.passed, r.window]), [
    [false, { ms: 60_000, worst: 15, atMs: 5000 }],
    [true, { ms: 60_000, worst: 2, atMs: 5000 }],
  ]);
});

Deno.test("a windowed abortOnFail threshold aborts on the first bad window after its delay", () => {
  const run = new ReplayRun({
    http_req_failed: [{ threshold: "rate<5% over 10s", abortOnFail: true, delayAbortEval: "15s" }],
  });
  const clean = { latencies: spread(20, 1, 1) };
  equal(run.ticks(5, { latencies: spread(20, 1, 1), failed: 10 }), null, "bad, but before delay");
  equal(run.ticks(20, clean), null, "good windows after the delay");
  const abortAt = run.ticks(5, { ...clean, failed: 4 });
  equal(abortAt, 28_000, "20 % fail from 26 s: the 10 s window reaches 6 % at 28 s");
  const [r] = run.results();
  deepStrictEqual([r.passed, r.abortedAtMs, r.observed], [false, 28_000, 0.06]);
});

Deno.test("gauges take their latest value in a window, and its extremes for min and max", () => {
  const run = new ReplayRun({ vus: ["value<=50 over 3s", "max<=50 over 3s", "max<=50"] });
  const levels = [10, 20, 80, 30, 30, 30, 30];
  for (const vus of levels) run.tick({ vus });
  for (let i = 0; i < 3; i++) run.tick({}); // unchanged gauge: still 30
  deepStrictEqual(run.results().map((r) => [r.passed, r.observed, r.window?.atMs]), [
    [false, 80, 3000],
    [false, 80, 3000],
    [false, 80, undefined],
  ]);
  const calm = new ReplayRun({ vus: ["value<=50 over 3s", "max<=25 over 3s"] });
  for (const vus of [10, 20, 30, 10, 10, 10]) calm.tick({ vus });
  for (let i = 0; i < 4; i++) calm.tick({});
  deepStrictEqual(calm.results().map((r) => [r.passed, r.observed]), [[true, 30], [false, 30]]);
});

Deno.test("jittery ticks still give windows of about the window's length", () => {
  const w = new SlidingWindow(30_000, "counter");
  let t = 0;
  const jitter = [997, 1003, 1000, 1010, 990, 1002, 998];
  for (let i = 0; i < 1000; i++) {
    const s = createSeries("http_reqs", {});
    addCounter(s, 10);
    const dt = jitter[i % jitter.length];
    w.push(t, t + dt, s);
    t += dt;
    const v = w.view()!;
    ok(v.spanMs < 30_000 + 1010 && (!v.full || v.spanMs > 30_000 - 1010), `span ${v.spanMs}`);
    equal(v.series.value, 10 * w.size);
    ok(w.size <= 31, "the ring holds one window, not the run");
  }
});

Deno.test("an interval longer than the window is the window", () => {
  const w = new SlidingWindow(1000, "counter");
  const s = createSeries("http_reqs", {});
  addCounter(s, 7);
  w.push(0, 5000, s);
  w.push(5000, 10_000, s);
  const v = w.view()!;
  deepStrictEqual([w.size, v.spanMs, v.full, v.series.value], [1, 5000, true, 7]);
});

Deno.test("a sliding trend window equals a fresh merge of its intervals", () => {
  const w = new SlidingWindow(10_000, "trend");
  const intervals = [];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 100; i++) {
    const s = createSeries("http_req_duration", {});
    // Every 13th second is slow, so extremes enter and leave the window.
    for (let j = 0; j < 50; j++) addTrend(s, (i % 13 === 0 ? 2000 : 20) * random() + 0.5);
    intervals.push(s);
    w.push(i * 1000, (i + 1) * 1000, s);
    const fresh = combineSeries("http_req_duration", intervals.slice(-10));
    deepStrictEqual(trendStats(w.view()!.series), trendStats(fresh), `after ${i + 1} s`);
  }
});
