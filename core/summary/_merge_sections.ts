/**
 * The sections of a merged summary that are not described from the merged snapshot alone:
 * load, scenarios, each input's evidence, generator health and the time series. Private to
 * `merge.ts`.
 *
 * @module
 */
import type { Snapshot } from "../metrics/snapshot.ts";
import { DEFAULT_MAX_POINTS, foldPoint } from "../run/timeline.ts";
import { trendOf } from "./describe.ts";
import type { Summary } from "./schema.ts";
import { createEvidence, type Evidence } from "../run/evidence.ts";

interface Input {
  readonly name: string;
  readonly summary: Summary;
}

type Point = Summary["timeline"][number];

/**
 * Load delivery: counts add up; so do offered and achieved rates, since inputs are taken as
 * shares running side by side. For runs made one after the other the summed rates overstate
 * (the metrics' rates, over the union of the runs' spans, do not).
 */
export function loadOf(inputs: readonly Input[]): Summary["load"] {
  let planned: number | null = 0;
  let offered: number | null = 0;
  let started = 0;
  let dropped = 0;
  let interrupted = 0;
  let achieved = 0;
  const notes: string[] = [];
  for (const { name, summary: { load: l } } of inputs) {
    planned = planned === null || l.planned === null ? null : planned + l.planned;
    offered = offered === null || l.offeredRate === null ? null : offered + l.offeredRate;
    started += l.started;
    dropped += l.dropped;
    interrupted += l.interrupted;
    achieved += l.achievedRate;
    if (l.note) notes.push(`${name}: ${l.note}`);
  }
  return {
    planned,
    started,
    dropped,
    interrupted,
    offeredRate: offered,
    achievedRate: achieved,
    delivered: inputs.every((i) => i.summary.load.delivered),
    note: notes.length ? notes.join(" ") : null,
  };
}

/**
 * Scenarios merged by name: iteration counts add up; the plan (executor, planned duration and
 * iterations, peaks, curve) is the first input's, since shares of one run share one plan.
 */
export function scenariosOf(inputs: readonly Input[]): Summary["scenarios"] {
  const by = new Map<string, Summary["scenarios"][number]>();
  for (const { summary } of inputs) {
    for (const sc of summary.scenarios) {
      const m = by.get(sc.name);
      if (!m) by.set(sc.name, { ...sc, plan: sc.plan.map((p) => ({ ...p })) });
      else {
        m.started += sc.started;
        m.dropped += sc.dropped;
        m.interrupted += sc.interrupted;
      }
    }
  }
  return [...by.values()];
}

/**
 * An input's evidence as its summary recorded it, so that inputs merge with the same
 * {@link mergeEvidence} that folds workers and hosts. A summary keeps only each check's top
 * reasons, so the merged counts of rarer reasons may be short.
 */
export function evidenceOf(s: Summary): Evidence {
  const e = createEvidence();
  for (const x of s.errors) if (x.example) e.errorExamples[x.kind] = x.example;
  for (const c of s.checks) {
    if (!c.reasons?.length) continue;
    e.checkReasons[c.name] = Object.fromEntries(c.reasons.map((r) => [r.reason, r.count]));
  }
  for (const x of s.iterationErrors) {
    e.iterationErrors[x.kind] = { count: x.count, example: x.example };
  }
  for (const sc of s.scenarios) {
    e.scenarios[sc.name] = {
      started: sc.started,
      dropped: sc.dropped,
      interrupted: sc.interrupted,
      stopped: false,
    };
  }
  return e;
}

const HEALTH_RANK = {
  trustworthy: 0,
  "coordinated-omission": 1,
  saturated: 2,
  "load-not-delivered": 3,
} as const;

/**
 * Generator health of several generators: CPU and timing spin add up (both in cores), lag
 * statistics come from the merged snapshot, and the verdict is the worst input's, with every
 * input's reasons prefixed by its name (a saturated host taints the merged results).
 */
export function healthOf(inputs: readonly Input[], total: Snapshot): Summary["health"] {
  let verdict: Summary["health"]["verdict"] = "trustworthy";
  const reasons: string[] = [];
  for (const { name, summary: { health: h } } of inputs) {
    if (HEALTH_RANK[h.verdict] > HEALTH_RANK[verdict]) verdict = h.verdict;
    for (const r of h.reasons) reasons.push(`${name}: ${r}`);
  }
  return {
    cpu: inputs.reduce((a, i) => a + i.summary.health.cpu, 0),
    timingSpin: inputs.reduce((a, i) => a + i.summary.health.timingSpin, 0),
    schedulerLag: trendOf(total, "scheduler_lag"),
    eventLoopLag: trendOf(total, "event_loop_lag"),
    verdict,
    reasons,
  };
}

/**
 * The time series aligned on the wall clock: a point of an input ends at its `startedAt + t`,
 * and is put in the interval of the merged run (of the coarsest input's length) holding its
 * midpoint. Counts add up; VUs add up across inputs (the largest within one input);
 * percentiles take the largest. The interval histograms are not kept, so a merged interval's
 * percentile is an upper bound of the true one, not the value itself. The length doubles
 * until the series fits the same bound a live timeline keeps.
 */
export function timelineOf(inputs: readonly Input[], startMs: number): Summary["timeline"] {
  let dt = 0;
  for (const i of inputs) for (const p of i.summary.timeline) dt = Math.max(dt, p.dt);
  if (dt <= 0) return [];
  for (;;) {
    const points = bucket(inputs, startMs, dt);
    if (points.length <= DEFAULT_MAX_POINTS) return points;
    dt *= 2;
  }
}

function bucket(inputs: readonly Input[], startMs: number, dt: number): Point[] {
  const buckets = new Map<number, { point: Point; vus: number[] }>();
  inputs.forEach((input, n) => {
    const offset = Date.parse(input.summary.run.startedAt) - startMs;
    for (const p of input.summary.timeline) {
      const k = Math.max(1, Math.floor((offset + p.t - p.dt / 2) / dt) + 1);
      let b = buckets.get(k);
      if (!b) {
        b = {
          point: { ...p, t: k * dt, dt, requests: 0, failed: 0, iterations: 0, dropped: 0 },
          vus: [],
        };
        buckets.set(k, b);
      }
      foldPoint(b.point, p);
      b.vus[n] = Math.max(b.vus[n] ?? 0, p.vus);
    }
  });
  return [...buckets].sort(([a], [b]) => a - b).map(([, b]) => ({
    ...b.point,
    vus: b.vus.reduce((a, v) => a + (v ?? 0), 0),
  }));
}
