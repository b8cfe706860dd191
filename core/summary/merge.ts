/**
 * Merges summary files from separate runs or hosts into one summary (`rampa merge`). Pure: the
 * caller reads the files. The snapshots are merged exactly (whole HDR histograms), and every
 * section derived from them is described again from the merged snapshot, so percentiles of the
 * merged summary are the true percentiles of all samples, never averages of percentiles.
 * Thresholds are judged again on the merged data and the verdict decided again.
 *
 * Inputs are treated as shares of one load running side by side (several hosts), which is
 * what the snapshot merge's `"shares"` mode means: gauges such as `vus` add up.
 *
 * @example
 * ```ts
 * import { mergeSummaries } from "./merge.ts";
 * import { DEFAULT_POLICY } from "./verdict.ts";
 * import type { Summary } from "./schema.ts";
 *
 * declare const a: Summary, b: Summary;
 * const merged = mergeSummaries(
 *   [{ name: "a.json", summary: a }, { name: "b.json", summary: b }],
 *   { thresholds: [], policy: DEFAULT_POLICY },
 * );
 * console.log(merged.verdict.summary);
 * ```
 *
 * @module
 */
import { ConfigError, ExitCode } from "../errors.ts";
import {
  createSnapshot,
  decodeSnapshot,
  encodeSnapshot,
  mergeSnapshot,
  seriesKey,
  type Snapshot,
} from "../metrics/snapshot.ts";
import { type Threshold, ThresholdEvaluator, type ThresholdResult } from "../thresholds/mod.ts";
import { VERSION } from "../version.ts";
import { checksOf, thresholdSpecsOf } from "./build.ts";
import { describeSnapshot, requestCounts, requestFamilies } from "./describe.ts";
import {
  evidenceOf,
  healthOf,
  loadOf,
  scenariosOf,
  timelineOf,
  unionLength,
} from "./_merge_sections.ts";

export { unionLength };
import { createEvidence, mergeEvidence, topReasons } from "../run/evidence.ts";
import { type Summary, SUMMARY_SCHEMA, SUMMARY_VERSION } from "./schema.ts";
import { decideVerdict, type EarlyEnd, type VerdictPolicy } from "./verdict.ts";

/** One summary to merge and the name it is reported by (its file path). */
export interface MergeInput {
  readonly name: string;
  readonly summary: Summary;
}

/** How to judge the merged run. */
export interface MergeOptions {
  /** Thresholds to judge on the merged data (see `thresholdsForMerge` in the CLI). */
  readonly thresholds: readonly Threshold[];
  /** Besides thresholds, what fails the merged run. */
  readonly policy: VerdictPolicy;
}

/** Why a windowed threshold is not judged on merged data. */
export const WINDOWED_REASON = "windowed thresholds need the live run";

/**
 * Merges summaries into one. Throws a ConfigError naming each file that cannot be merged
 * exactly: another schema or version, other histogram settings, a metric of another kind.
 */
export function mergeSummaries(inputs: readonly MergeInput[], options: MergeOptions): Summary {
  if (inputs.length < 1) throw new ConfigError("Nothing to merge: expected at least one summary");
  const total = mergedSnapshot(inputs);

  const starts = inputs.map((i) => Date.parse(i.summary.run.startedAt));
  const ends = inputs.map((i) => Date.parse(i.summary.run.endedAt));
  const startMs = Math.min(...starts);
  const endMs = Math.max(...ends);
  const durationMs = Math.max(0, endMs - startMs);
  // Rates are over the time some input was running: the union of the inputs' wall-clock
  // intervals. Hosts running side by side share one span; runs made one after the other do
  // not count the gaps between them, which would make their rates look lower than they were.
  const spanMs = unionLength(starts.map((s, i) => [s, Math.max(s, ends[i])]));
  const sections = sectionsOf(inputs);
  const d = describeSnapshot(
    total,
    spanMs / 1000,
    requestFamilies(sections ?? undefined),
  );
  const ev = createEvidence();
  for (const i of inputs) mergeEvidence(ev, evidenceOf(i.summary));
  const requests = requestCounts(d.metrics, requestFamilies(sections ?? undefined));

  const early = earlyEnd(inputs);
  const summary: Summary = {
    schema: SUMMARY_SCHEMA,
    schemaVersion: SUMMARY_VERSION,
    tool: { name: "rampa", version: VERSION },
    run: {
      startedAt: new Date(startMs).toISOString(),
      endedAt: new Date(endMs).toISOString(),
      durationMs,
      status: early?.status ?? "completed",
      reason: early?.reason ?? null,
      segment: { index: 0, count: 1 },
      // The first input's configuration stands for all; `merged` lists this merge's inputs.
      config: { ...inputs[0].summary.run.config, merged: inputs.map((i) => i.name) },
      thresholdSpecs: thresholdSpecsOf(options.thresholds),
    },
    scenarios: scenariosOf(inputs, requests.byScenario),
    load: loadOf(inputs, { total: requests.total, spanMs }),
    metrics: d.metrics,
    endpoints: d.endpoints,
    errors: d.errors.map((e) => ({ ...e, example: ev.errorExamples[e.kind] ?? "" })),
    statuses: d.statuses,
    health: healthOf(inputs, total),
    thresholds: judge(options.thresholds, total, spanMs),
    checks: checksOf(total, (name) => topReasons(ev, name)),
    iterationErrors: Object.entries(ev.iterationErrors)
      .map(([kind, e]) => ({ kind, count: e.count, example: e.example }))
      .sort((a, b) => b.count - a.count),
    verdict: { passed: true, exitCode: 0, summary: "" },
    timeline: timelineOf(inputs, startMs),
    snapshot: encodeSnapshot(total),
    ...(sections ? { sections } : {}),
  };
  summary.verdict = decideVerdict(summary, options.policy, early);
  return summary;
}

/** The inputs' protocol sections, each once (null when no input recorded any). */
function sectionsOf(inputs: readonly MergeInput[]): Summary["sections"] | null {
  const by = new Map<string, NonNullable<Summary["sections"]>[number]>();
  for (const i of inputs) {
    for (const s of i.summary.sections ?? []) if (!by.has(s.protocol)) by.set(s.protocol, s);
  }
  return by.size ? [...by.values()] : null;
}

/** Checks every input and merges their snapshots; one ConfigError lists every problem. */
function mergedSnapshot(inputs: readonly MergeInput[]): Snapshot {
  const issues: string[] = [];
  const first = inputs[0];
  const kinds = new Map<string, { kind: string; from: string }>();
  const decoded: Snapshot[] = [];
  for (const { name, summary: s } of inputs) {
    if (s.schema !== SUMMARY_SCHEMA || s.schemaVersion !== SUMMARY_VERSION) {
      issues.push(
        `Cannot merge "${name}": it is ${JSON.stringify(s.schema)} version ` +
          `${
            JSON.stringify(s.schemaVersion)
          }, expected "${SUMMARY_SCHEMA}" version ${SUMMARY_VERSION}`,
      );
      continue;
    }
    const h = s.snapshot.histogram;
    const h0 = first.summary.snapshot.histogram;
    if (
      h.scale !== h0.scale || h.lowest !== h0.lowest || h.significantDigits !== h0.significantDigits
    ) {
      issues.push(
        `Cannot merge "${name}": its histogram settings ${JSON.stringify(h)} differ from ` +
          `"${first.name}"'s ${JSON.stringify(h0)}`,
      );
      continue;
    }
    let bad = false;
    for (const m of s.snapshot.metrics) {
      const known = kinds.get(m.name);
      if (!known) kinds.set(m.name, { kind: m.kind, from: name });
      else if (known.kind !== m.kind) {
        issues.push(
          `Cannot merge "${name}": metric "${m.name}" is ${article(m.kind)} ${m.kind} there ` +
            `but ${article(known.kind)} ${known.kind} in "${known.from}"`,
        );
        bad = true;
      }
    }
    if (bad) continue;
    try {
      decoded.push(decodeSnapshot(s.snapshot));
    } catch (e) {
      issues.push(`Cannot merge "${name}": ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (issues.length) throw new ConfigError(issues);
  const total = createSnapshot();
  for (const s of decoded) mergeSnapshot(total, s, "shares");
  return total;
}

/**
 * Judges thresholds on the merged total. Windowed thresholds are marked ignored: their worst
 * window needs the run's interval snapshots, which summaries do not keep, and judging them on
 * the whole run instead would pass windows that failed.
 */
function judge(
  thresholds: readonly Threshold[],
  total: Snapshot,
  spanMs: number,
): ThresholdResult[] {
  const results = new ThresholdEvaluator(thresholds).results(total, spanMs);
  return results.map((r, i) => {
    const t = thresholds[i];
    if (t.windowMs === null) return r;
    const metric = seriesKey(t.metric, t.tags);
    return {
      metric,
      expression: t.expression,
      observed: null,
      passed: true,
      abortOnFail: t.abortOnFail,
      ...(t.key !== metric ? { key: t.key } : {}),
      status: "ignored",
      reason: WINDOWED_REASON,
    };
  });
}

/** The worst early end among the inputs (aborted before interrupted), naming its input. */
function earlyEnd(inputs: readonly MergeInput[]): EarlyEnd | null {
  const rank = { completed: 0, interrupted: 1, aborted: 2 } as const;
  let worst: MergeInput | null = null;
  let others = 0;
  for (const i of inputs) {
    const st = i.summary.run.status;
    if (st === "completed") continue;
    if (!worst || rank[st] > rank[worst.summary.run.status]) worst = i;
    others++;
  }
  if (!worst) return null;
  const s = worst.summary;
  const more = others > 1 ? ` (and ${others - 1} more input${others > 2 ? "s" : ""})` : "";
  return {
    status: s.run.status as EarlyEnd["status"],
    reason: `${worst.name}: ${s.run.reason ?? s.run.status}${more}`,
    // The input's own exit code (130, 4, 8…); a file that lost it still fails the merge.
    exitCode: s.verdict.exitCode ||
      (s.run.status === "interrupted" ? ExitCode.INTERRUPTED : ExitCode.ABORTED_BY_THRESHOLD),
  };
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? "an" : "a";
}
