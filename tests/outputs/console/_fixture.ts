/**
 * A deterministic, realistic run for the console output tests: a 30 s open-loop run at
 * 500/s against three endpoints, with a few timeouts, refused connections, 4xx/5xx statuses,
 * 39 dropped arrivals and 2 interrupted iterations. Recorded through the real registry and
 * HTTP recorder so the summary is built the way a live run builds it.
 *
 * @module
 */
import { addCounter, addTrend, MetricRegistry, setGauge } from "../../../core/metrics/registry.ts";
import { HttpRecorder } from "../../../engines/http/recorder.ts";
import { EvidenceLog } from "../../../core/run/evidence.ts";
import { cloneSnapshot, createSnapshot, mergeSnapshot } from "../../../core/metrics/snapshot.ts";
import { Timeline } from "../../../core/run/timeline.ts";
import { HTTP_FAMILIES, type RecordedRun, summaryInputOf } from "../../_support/recorded_run.ts";
import type { Tick } from "../../../core/run/output.ts";
import { buildSummary } from "../../../core/summary/build.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import type { ErrorKind } from "../../../core/types.ts";
import { createOutcome } from "../../../engines/http/types.ts";

/** A small linear congruential generator: the same "random" latencies on every run. */
export function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

const ENDPOINTS = [
  { method: "GET", name: "/api/users/{id}", base: 8, ok: 200 },
  { method: "POST", name: "/api/orders", base: 24, ok: 201 },
  {
    method: "GET",
    name: "/api/v2/organisations/{organisationId}/projects/{projectId}/deployments",
    base: 41,
    ok: 200,
  },
];

const FAILURES: Record<number, [ErrorKind, string]> = {
  1000: ["refused", "connection refused (os error 111): 127.0.0.1:8080"],
  7000: ["refused", "connection refused (os error 111): 127.0.0.1:8080"],
  9000: ["refused", "connection refused (os error 111): 127.0.0.1:8080"],
};

/** The run and the ticks a live run would have handed to outputs. */
export interface Fixture {
  result: RecordedRun;
  ticks: Tick[];
  errorExamples: Map<string, string>;
}

/** Records the fixture run: 14,961 requests over three 10 s ticks. */
export function recordRun(): Fixture {
  const reg = new MetricRegistry();
  const evidence = new EvidenceLog();
  const rec = new HttpRecorder(reg, evidence, { scenario: "checkout" });
  const ids = ENDPOINTS.map((e) => rec.endpoint({ name: e.name, method: e.method }));
  const tags = { scenario: "checkout" };
  const iterations = reg.series("iterations", tags);
  const dropped = reg.series("dropped_iterations", tags);
  const interrupted = reg.series("interrupted_iterations", tags);
  const vus = reg.series("vus", tags);
  const vusMax = reg.series("vus_max", tags);
  const loop = reg.series("event_loop_lag");
  const rand = rng(42);
  const o = createOutcome();
  const total = createSnapshot();
  const timeline = new Timeline(HTTP_FAMILIES);
  const ticks: Tick[] = [];
  const started = 14_961;
  let i = 0;
  for (let tick = 1; tick <= 3; tick++) {
    for (; i < Math.round((started * tick) / 3); i++) {
      const r = rand();
      const ep = r < 0.6 ? 0 : r < 0.9 ? 1 : 2;
      const e = ENDPOINTS[ep];
      const slow = rand() < 0.01 ? 6 : 1;
      const service = e.base * (0.6 + rand() * 0.8) * slow;
      const lag = rand() < 0.005 ? 3 + rand() * 6 : 0.02 + rand() * 0.4;
      o.scheduled = i * 2;
      o.started = o.scheduled + lag;
      o.ended = o.started + service;
      o.sending = 0.03;
      o.waiting = service * 0.85;
      o.receiving = service * 0.12;
      o.connecting = i < 64 ? 0.3 + rand() * 0.4 : NaN;
      o.status = rand() < (ep === 0 ? 0.02 : 0.005) ? (ep === 0 ? 404 : 500) : e.ok;
      o.error = null;
      o.errorMessage = "";
      o.bytesSent = 140;
      o.bytesReceived = 1_020;
      if (i % 1247 === 11) {
        o.error = "timeout";
        o.errorMessage = "request timed out after 5000 ms (no response headers)";
      } else if (FAILURES[i]) [o.error, o.errorMessage] = FAILURES[i];
      else if (i >= started - 2) [o.error, o.errorMessage] = ["aborted", "cut at graceful stop"];
      if (o.error) {
        o.status = 0;
        o.bytesReceived = 0;
        o.ended = o.error === "timeout" ? o.started + 5000 : o.started + 0.4;
      }
      rec.record(ids[ep], o);
      if (o.error !== "aborted") addCounter(iterations, 1);
    }
    for (let k = 0; k < 100; k++) addTrend(loop, 0.1 + rand() * (k === 99 ? 4 : 1.2));
    if (tick >= 2) addCounter(dropped, tick === 2 ? 10 : 29);
    if (tick === 3) addCounter(interrupted, 2);
    setGauge(vus, [9, 31, 12][tick - 1]);
    setGauge(vusMax, 50);
    const delta = reg.drain();
    mergeSnapshot(total, delta, "time");
    timeline.add(tick * 10_000, 10_000, delta);
    ticks.push({
      elapsedMs: tick * 10_000,
      intervalMs: 10_000,
      delta,
      total: cloneSnapshot(total),
    });
  }
  const result: RecordedRun = {
    startedAt: new Date("2025-01-15T10:00:00.000Z"),
    endedAt: new Date("2025-01-15T10:00:30.012Z"),
    durationMs: 30_012,
    stopped: false,
    total,
    timeline,
    scenarios: [{
      startTimeMs: 0,
      name: "checkout",
      target: "http://127.0.0.1:8080",
      plan: {
        executor: "constant-arrival-rate",
        durationMs: 30_000,
        plannedIterations: 15_000,
        peakRate: 500,
        peakVUs: 50,
        timeline: [],
      },
      result: { started, dropped: 39, interrupted: 2, stopped: false },
    }],
    cpu: 0.34,
    spin: 0,
  };
  return { result, ticks, errorExamples: new Map(Object.entries(evidence.value.errorExamples)) };
}

/** The summary as `buildSummary` makes it (no thresholds, verdict PASSED). */
export function builtSummary(f: Fixture = recordRun()): Summary {
  return buildSummary(summaryInputOf(f.result, f.errorExamples));
}

/** The golden fixture: the built summary plus thresholds, checks and a failed verdict. */
export function fixtureSummary(f: Fixture = recordRun()): Summary {
  const s = builtSummary(f);
  const dur = s.metrics.http_req_duration;
  const failed = s.metrics.http_req_failed;
  const requests = s.metrics.http_reqs.type === "counter" ? s.metrics.http_reqs.count : 0;
  return {
    ...s,
    thresholds: [
      {
        metric: "http_req_duration",
        expression: "p(95)<200",
        observed: dur.type === "trend" ? dur.p95 : null,
        passed: true,
        abortOnFail: false,
      },
      {
        metric: "http_req_failed",
        expression: "rate<0.01",
        observed: failed.type === "rate" ? failed.rate : null,
        passed: false,
        abortOnFail: false,
      },
    ],
    checks: [
      { name: "status is 2xx", passes: requests - 201, fails: 201 },
      { name: "order response has an id", passes: 4_480, fails: 0 },
    ],
    verdict: {
      passed: false,
      exitCode: 3,
      summary: "FAILED: 1 of 2 thresholds failed (http_req_failed rate<0.01)",
    },
  };
}

/** What one synthetic interval contains. */
export interface IntervalSpec {
  requests?: number;
  failed?: number;
  dropped?: number;
  lagMs?: number;
  latencyMs?: number;
  vus?: number;
}

/** Makes consecutive 1 s ticks with chosen contents, for the live-output tests. */
export function createTicker(): (spec?: IntervalSpec) => Tick {
  const reg = new MetricRegistry();
  const rec = new HttpRecorder(reg, new EvidenceLog(), { scenario: "s" });
  const ep = rec.endpoint({ name: "/", method: "GET" });
  const dropped = reg.series("dropped_iterations", { scenario: "s" });
  const vus = reg.series("vus", { scenario: "s" });
  const total = createSnapshot();
  const o = createOutcome();
  let elapsed = 0;
  return (spec = {}) => {
    for (let i = 0; i < (spec.requests ?? 100); i++) {
      o.scheduled = elapsed + i;
      o.started = o.scheduled + (spec.lagMs ?? 0.1);
      o.ended = o.scheduled + (spec.latencyMs ?? 10);
      o.status = i < (spec.failed ?? 0) ? 500 : 200;
      rec.record(ep, o);
    }
    if (spec.dropped) addCounter(dropped, spec.dropped);
    setGauge(vus, spec.vus ?? 4);
    elapsed += 1000;
    const delta = reg.drain();
    mergeSnapshot(total, delta, "time");
    return { elapsedMs: elapsed, intervalMs: 1000, delta, total: cloneSnapshot(total) };
  };
}
