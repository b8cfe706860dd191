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

/** Total length of the union of `[start, end]` intervals. */
export function unionLength(intervals: readonly (readonly [number, number])[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [s, e] of sorted) {
    if (s > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = s;
      curEnd = e;
    } else if (e > curEnd) curEnd = e;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/** One input's count and the wall-clock window its rate was taken over. */
interface Part {
  readonly startMs: number;
  readonly count: number;
  readonly rate: number;
  /** The window when the rate cannot give it back (a rate of 0). */
  readonly fallbackMs: number;
}

/**
 * A merged rate: the counts over the union of the inputs' windows (each window given back by
 * count / rate). Shares running side by side share one window, so their rates add up; runs
 * made one after the other do not count the gaps between them. The same rule as the merged
 * metrics' rates, so load and endpoints agree.
 */
function mergedRate(parts: readonly Part[]): number {
  let count = 0;
  const windows: [number, number][] = [];
  for (const p of parts) {
    count += p.count;
    const ms = p.rate > 0 && p.count > 0 ? (p.count * 1000) / p.rate : p.fallbackMs;
    windows.push([p.startMs, p.startMs + Math.max(0, ms)]);
  }
  const span = unionLength(windows);
  return span > 0 ? (count * 1000) / span : parts.reduce((a, p) => a + p.rate, 0);
}

/**
 * Load delivery: counts add up; offered and achieved rates are the planned and started
 * iterations over the union of the inputs' windows ({@link mergedRate}), and the request
 * rate is the merged requests over `spanMs`, the span the endpoints' rates use.
 */
export function loadOf(
  inputs: readonly Input[],
  requests: { readonly total: number; readonly spanMs: number },
): Summary["load"] {
  let planned: number | null = 0;
  let openLoop = true;
  let started = 0;
  let dropped = 0;
  let interrupted = 0;
  const notes: string[] = [];
  const offeredParts: Part[] = [];
  const achievedParts: Part[] = [];
  for (const { name, summary: { load: l, run } } of inputs) {
    const startMs = Date.parse(run.startedAt);
    planned = planned === null || l.planned === null ? null : planned + l.planned;
    if (l.offeredRate === null) openLoop = false;
    else {
      offeredParts.push({
        startMs,
        count: l.planned ?? 0,
        rate: l.offeredRate,
        fallbackMs: run.durationMs,
      });
    }
    achievedParts.push({
      startMs,
      count: l.started,
      rate: l.achievedRate,
      fallbackMs: run.durationMs,
    });
    started += l.started;
    dropped += l.dropped;
    interrupted += l.interrupted;
    if (l.note) notes.push(`${name}: ${l.note}`);
  }
  return {
    planned,
    started,
    dropped,
    interrupted,
    offeredRate: openLoop ? mergedRate(offeredParts) : null,
    achievedRate: mergedRate(achievedParts),
    requestRate: requests.spanMs > 0 ? (requests.total * 1000) / requests.spanMs : 0,
    requests: requests.total,
    delivered: inputs.every((i) => i.summary.load.delivered),
    note: notes.length ? notes.join(" ") : null,
  };
}

/**
 * Scenarios merged by name: iteration counts add up; the plan (executor, planned duration and
 * iterations, peaks, curve) is the first input's, since shares of one run share one plan.
 */
export function scenariosOf(
  inputs: readonly Input[],
  requestsByScenario: ReadonlyMap<string, number> = new Map(),
): Summary["scenarios"] {
  const by = new Map<string, Summary["scenarios"][number]>();
  const parts = new Map<string, { offered: Part[]; achieved: Part[]; open: boolean }>();
  for (const { summary } of inputs) {
    const runStart = Date.parse(summary.run.startedAt);
    for (const sc of summary.scenarios) {
      const m = by.get(sc.name);
      if (!m) by.set(sc.name, { ...sc, plan: sc.plan.map((p) => ({ ...p })) });
      else {
        m.started += sc.started;
        m.dropped += sc.dropped;
        m.interrupted += sc.interrupted;
      }
      let p = parts.get(sc.name);
      if (!p) parts.set(sc.name, p = { offered: [], achieved: [], open: true });
      const startMs = runStart + sc.startTimeMs;
      const fallbackMs = sc.plannedDurationMs;
      if (sc.offeredRate === null || sc.offeredRate === undefined) p.open = false;
      else {
        p.offered.push({
          startMs,
          count: sc.plannedIterations ?? 0,
          rate: sc.offeredRate,
          fallbackMs,
        });
      }
      p.achieved.push({ startMs, count: sc.started, rate: sc.achievedRate ?? 0, fallbackMs });
    }
  }
  for (const [name, sc] of by) {
    const p = parts.get(name)!;
    // Inputs written before scenario rates existed give none back.
    if (sc.achievedRate === undefined) continue;
    const achieved = mergedRate(p.achieved);
    const requests = requestsByScenario.get(name) ?? 0;
    sc.offeredRate = p.open ? mergedRate(p.offered) : null;
    sc.achievedRate = achieved;
    sc.requests = requests;
    // Requests per started iteration, at the merged iteration rate: the same window.
    sc.requestRate = sc.started > 0 ? (requests / sc.started) * achieved : 0;
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
