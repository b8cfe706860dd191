/**
 * A deterministic 50 s run with two scenarios for the HTML report tests, recorded through the
 * real registry, HTTP recorder and Timeline, and built by `buildSummary` as a live run is:
 * `browse` ramps an arrival rate 0 → 300/s, holds it and ramps down, with a slowdown at
 * 30–35 s (503s and dropped arrivals); `checkout` runs 10 VUs from 10 s to 40 s through the
 * groups `login`, `login::submit` and `cart`, with checks. Thresholds include a passing and a
 * failing one on latency, one on the failure rate, a windowed one and one without data.
 *
 * @module
 */
import {
  addCounter,
  addRate,
  addTrend,
  MetricRegistry,
  setGauge,
} from "../../../core/metrics/registry.ts";
import { HttpRecorder } from "../../../engines/http/recorder.ts";
import { EvidenceLog } from "../../../core/run/evidence.ts";
import { createSnapshot, mergeSnapshot } from "../../../core/metrics/snapshot.ts";
import { Timeline } from "../../../core/run/timeline.ts";
import { HTTP_FAMILIES, type RecordedRun, summaryInputOf } from "../../_support/recorded_run.ts";
import { buildSummary } from "../../../core/summary/build.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import { createOutcome } from "../../../engines/http/types.ts";
import { rng } from "../console/_fixture.ts";

const BROWSE_PLAN = [
  { atMs: 0, rate: 0 },
  { atMs: 20_000, rate: 300 },
  { atMs: 40_000, rate: 300 },
  { atMs: 50_000, rate: 0 },
];

/** The rate `browse` plans at second `s` (piecewise linear). */
function planned(s: number): number {
  if (s < 20) return 15 * s;
  if (s < 40) return 300;
  return Math.max(0, 300 - 30 * (s - 40));
}

/** Records the run and builds its summary. */
export function rampSummary(): Summary {
  const reg = new MetricRegistry();
  reg.define({ name: "checks", kind: "rate" });
  const browse = new HttpRecorder(reg, new EvidenceLog(), { scenario: "browse" });
  const checkout = new HttpRecorder(reg, new EvidenceLog(), { scenario: "checkout" });
  const pages = [
    browse.endpoint({ name: "/api/products", method: "GET" }),
    browse.endpoint({ name: "/api/products/{id}", method: "GET" }),
  ];
  const login = checkout.endpoint({ name: "/login", method: "POST", group: "login" });
  const submit = checkout.endpoint({ name: "/login/2fa", method: "POST", group: "login::submit" });
  const cart = checkout.endpoint({ name: "/api/cart", method: "GET", group: "cart" });
  const checks = {
    ok: reg.series("checks", { scenario: "checkout", check: "status is 200", group: "cart" }),
    token: reg.series("checks", { scenario: "checkout", check: "has token", group: "login" }),
  };
  const dropped = reg.series("dropped_iterations", { scenario: "browse" });
  const iterations = reg.series("iterations", { scenario: "browse" });
  const vus = [
    reg.series("vus", { scenario: "browse" }),
    reg.series("vus", { scenario: "checkout" }),
  ];
  const loop = reg.series("event_loop_lag");
  const rand = rng(7);
  const o = createOutcome();
  const total = createSnapshot();
  const timeline = new Timeline(HTTP_FAMILIES);
  let started = 0;
  let drops = 0;
  const send = (rec: HttpRecorder, id: number, at: number, base: number, slow: boolean) => {
    const service = base * (0.5 + rand()) * (slow ? 8 : 1) * (rand() < 0.01 ? 5 : 1);
    o.scheduled = at;
    o.started = at + 0.05 + rand() * 0.3 + (slow ? rand() * 3 : 0);
    o.ended = o.started + service;
    o.waiting = service * 0.9;
    o.receiving = service * 0.08;
    o.status = slow && rand() < 0.06 ? 503 : rand() < 0.003 ? 500 : 200;
    o.error = null;
    o.bytesSent = 120;
    o.bytesReceived = 2_000;
    rec.record(id, o);
    return o.status;
  };
  for (let s = 0; s < 50; s++) {
    const slow = s >= 30 && s < 35;
    const n = Math.round(planned(s + 0.5));
    const drop = slow ? 20 : 0;
    for (let i = 0; i < n - drop; i++) {
      send(browse, pages[i % 3 === 0 ? 1 : 0], s * 1000 + (i * 1000) / n, 12, slow);
      addCounter(iterations, 1);
    }
    started += n - drop;
    drops += drop;
    if (drop) addCounter(dropped, drop);
    const active = s >= 10 && s < 40;
    for (let v = 0; active && v < 10; v++) {
      const at = s * 1000 + v * 100;
      addRate(checks.token, send(checkout, login, at, 30, slow) === 200);
      send(checkout, submit, at + 40, 45, slow);
      addRate(checks.ok, send(checkout, cart, at + 90, 20, slow) === 200);
    }
    for (let k = 0; k < 10; k++) addTrend(loop, 0.2 + rand() * (slow ? 6 : 1));
    setGauge(vus[0], Math.round(n * 0.012 * (slow ? 8 : 1)) + 1);
    setGauge(vus[1], active ? 10 : 0);
    const delta = reg.drain();
    mergeSnapshot(total, delta, "time");
    timeline.add((s + 1) * 1000, 1000, delta);
  }
  const result: RecordedRun = {
    startedAt: new Date("2025-03-04T09:00:00.000Z"),
    endedAt: new Date("2025-03-04T09:00:50.020Z"),
    durationMs: 50_020,
    stopped: false,
    total,
    timeline,
    scenarios: [{
      name: "browse",
      startTimeMs: 0,
      target: "http://127.0.0.1:8080",
      plan: {
        executor: "ramping-arrival-rate",
        durationMs: 50_000,
        plannedIterations: started + drops,
        peakRate: 300,
        peakVUs: 100,
        timeline: BROWSE_PLAN,
      },
      result: { started, dropped: drops, interrupted: 0, stopped: false },
    }, {
      name: "checkout",
      startTimeMs: 10_000,
      plan: {
        executor: "constant-vus",
        durationMs: 30_000,
        plannedIterations: null,
        peakRate: null,
        peakVUs: 10,
        timeline: [{ atMs: 0, vus: 10 }, { atMs: 30_000, vus: 0 }],
      },
      result: { started: 300, dropped: 0, interrupted: 0, stopped: false },
    }],
    cpu: 0.41,
    spin: 0.02,
  };
  const pre = buildOnce(result).metrics.http_req_duration;
  const dur = (stat: "p95" | "p99", tags: Record<string, string> = {}) => {
    let worst = 0;
    const m = pre;
    if (m?.type !== "trend") return 0;
    for (const b of m.breakdown) {
      if (Object.entries(tags).every(([k, v]) => b.tags[k] === v)) worst = Math.max(worst, b[stat]);
    }
    return Object.keys(tags).length ? worst : m[stat];
  };
  const p95 = dur("p95");
  const loginP99 = dur("p99", { group: "login" });
  return buildSummary(summaryInputOf(result, {}, {
    config: {
      scenarios: "examples/shop.ts",
      thresholds: { http_req_duration: ["p(95)<200", "p(99)<150ms over 5s"] },
      noProxy: true,
    },
    thresholds: [
      {
        metric: "http_req_duration",
        expression: "p(95)<200",
        observed: p95,
        passed: true,
        abortOnFail: false,
        status: "passed",
      },
      {
        metric: "http_req_duration",
        key: "http_req_duration{group:login}",
        expression: "p(99)<150ms",
        observed: loginP99,
        passed: false,
        abortOnFail: false,
        status: "failed",
      },
      {
        metric: "http_req_duration",
        expression: "avg<0.1s over 5s",
        observed: 91,
        passed: false,
        abortOnFail: true,
        status: "failed",
        reason: "breached in the window ending at 35s",
        window: { ms: 5000, worst: 143.2, atMs: 35_000 },
      },
      {
        metric: "http_req_failed",
        key: "error_rate",
        expression: "rate<1%",
        observed: 0.004,
        passed: true,
        abortOnFail: false,
        status: "passed",
      },
      {
        metric: "checks",
        key: "checks{check:missing}",
        expression: "rate>0.99",
        observed: null,
        passed: true,
        abortOnFail: false,
        status: "ignored",
        reason: "no data",
      },
    ],
  }));
}

/** The summary without thresholds, only to read per-series stats for the thresholds' values. */
function buildOnce(result: RecordedRun): Summary {
  return buildSummary(summaryInputOf(result));
}
