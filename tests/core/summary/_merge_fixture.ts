/**
 * Small deterministic runs for the merge tests, recorded through the real registry and HTTP
 * recorder and summarised by `buildSummary`, exactly as a live run is.
 *
 * @module
 */
import { addCounter, addRate, addTrend, MetricRegistry } from "../../../core/metrics/registry.ts";
import { HttpRecorder } from "../../../engines/http/recorder.ts";
import { EvidenceLog } from "../../../core/run/evidence.ts";
import { createSnapshot, mergeSnapshot } from "../../../core/metrics/snapshot.ts";
import { Timeline } from "../../../core/run/timeline.ts";
import { HTTP_FAMILIES, type RecordedRun, summaryInputOf } from "../../_support/recorded_run.ts";
import { buildSummary, type SummaryInput } from "../../../core/summary/build.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import type { ErrorKind } from "../../../core/types.ts";
import { createOutcome } from "../../../engines/http/types.ts";
import { SCENARIO_METRICS } from "../../../core/scenario/thresholds_setup.ts";

/** One request of a synthetic run. */
export interface Req {
  /** Scheduled offset from the run start, ms. */
  at: number;
  /** Latency from the scheduled start, ms. */
  ms: number;
  /** Delay of the actual start, ms. @default 0.1 */
  lag?: number;
  name?: string;
  method?: string;
  status?: number;
  error?: ErrorKind;
  /** A check made in the same iteration: its name and outcome. */
  check?: [string, boolean];
}

/** What a synthetic run contains. */
export interface RunSpec {
  /** ISO wall-clock start. @default "2025-01-15T10:00:00.000Z" */
  startedAt?: string;
  durationMs: number;
  /** Tick length, ms. @default 1000 */
  tickMs?: number;
  requests: readonly Req[];
  dropped?: number;
  cpu?: number;
}

/** A small linear congruential generator: the same "random" values on every run. */
export function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** `n` requests spread evenly over `durationMs`, on two endpoints, with a few failures. */
export function makeRequests(n: number, durationMs: number, seed = 7): Req[] {
  const rand = rng(seed);
  const out: Req[] = [];
  for (let i = 0; i < n; i++) {
    const api = rand() < 0.7;
    const slow = rand() < 0.02 ? 20 : 1;
    const r: Req = {
      at: (i * durationMs) / n,
      ms: (api ? 5 : 30) * (0.5 + rand()) * slow,
      lag: 0.01 + rand() * 0.5,
      name: api ? "/api" : "/slow",
      method: api ? "GET" : "POST",
      status: rand() < 0.03 ? 500 : 200,
      check: ["status is 200", rand() > 0.05],
    };
    if (i % 397 === 5) r.error = "timeout";
    out.push(r);
  }
  return out;
}

/** Records a run as the runner would: ticks drained into a total and a timeline. */
export function recordRun(
  spec: RunSpec,
): { result: RecordedRun; errorExamples: Map<string, string> } {
  const reg = new MetricRegistry();
  const evidence = new EvidenceLog();
  const rec = new HttpRecorder(reg, evidence, { scenario: "s" });
  for (const d of SCENARIO_METRICS) reg.define(d);
  const iterations = reg.series("iterations", { scenario: "s" });
  const tick = spec.tickMs ?? 1000;
  const total = createSnapshot();
  const timeline = new Timeline(HTTP_FAMILIES);
  const o = createOutcome();
  const reqs = [...spec.requests].sort((a, b) => a.at - b.at);
  let i = 0;
  for (let t = tick; t - tick < spec.durationMs; t += tick) {
    for (; i < reqs.length && reqs[i].at < t; i++) {
      const r = reqs[i];
      const ep = rec.endpoint({ name: r.name ?? "/", method: r.method ?? "GET" });
      o.scheduled = r.at;
      o.started = r.at + (r.lag ?? 0.1);
      o.ended = r.at + r.ms;
      o.error = r.error ?? null;
      o.errorMessage = r.error ? `${r.error} after ${r.ms} ms` : "";
      o.status = r.error ? 0 : r.status ?? 200;
      o.bytesSent = 100;
      o.bytesReceived = 500;
      rec.record(ep, o);
      addCounter(iterations, 1);
      if (r.check) addRate(reg.series("checks", { scenario: "s", check: r.check[0] }), r.check[1]);
    }
    if (t >= spec.durationMs && spec.dropped) {
      addCounter(reg.series("dropped_iterations", { scenario: "s" }), spec.dropped);
    }
    addTrend(reg.series("event_loop_lag"), 0.5);
    const delta = reg.drain();
    mergeSnapshot(total, delta, "time");
    timeline.add(Math.min(t, spec.durationMs), Math.min(tick, spec.durationMs - t + tick), delta);
  }
  const startedAt = new Date(spec.startedAt ?? "2025-01-15T10:00:00.000Z");
  const n = spec.requests.length;
  const result: RecordedRun = {
    startedAt,
    endedAt: new Date(startedAt.getTime() + spec.durationMs),
    durationMs: spec.durationMs,
    stopped: false,
    total,
    timeline,
    scenarios: [{
      name: "s",
      startTimeMs: 0,
      plan: {
        executor: "constant-arrival-rate",
        durationMs: spec.durationMs,
        plannedIterations: n + (spec.dropped ?? 0),
        peakRate: ((n + (spec.dropped ?? 0)) * 1000) / spec.durationMs,
        peakVUs: 10,
        timeline: [],
      },
      result: { started: n, dropped: spec.dropped ?? 0, interrupted: 0, stopped: false },
    }],
    cpu: spec.cpu ?? 0.2,
    spin: 0,
  };
  return { result, errorExamples: new Map(Object.entries(evidence.value.errorExamples)) };
}

/** Records a run and builds its summary; `extra` adds thresholds, policy or an early end. */
export function summaryOf(spec: RunSpec, extra: Partial<SummaryInput> = {}): Summary {
  const { result, errorExamples } = recordRun(spec);
  return buildSummary(
    summaryInputOf(result, errorExamples, { config: { url: "http://127.0.0.1:8080/" }, ...extra }),
  );
}
