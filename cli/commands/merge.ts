/**
 * `rampa merge a.json b.json … [--out json=merged.json]`: merges summary files of separate runs
 * or hosts into one summary, judges thresholds again on the merged data, prints the console
 * summary, writes each `--out` (any output the registry can write from a summary) and exits
 * with the merged verdict's code.
 *
 * @module
 */
import { ConfigError, ExitCode } from "../../core/errors.ts";
import { knownMetrics, thresholdFlags } from "../../core/scenario/thresholds_setup.ts";
import { thresholdAliases } from "../../core/protocol/registry.ts";
import { type MergeInput, mergeSummaries } from "../../core/summary/merge.ts";
import {
  type Summary,
  SUMMARY_SCHEMA,
  SUMMARY_VERSION,
  SummarySchema,
} from "../../core/summary/schema.ts";
import { DEFAULT_POLICY } from "../../core/summary/verdict.ts";
import { parseShare } from "../../core/units.ts";
import { decodeSnapshot } from "../../core/metrics/snapshot.ts";
import {
  parseThresholds,
  type Threshold,
  type ThresholdsInput,
} from "../../core/thresholds/mod.ts";
import type { MetricDef } from "../../core/types.ts";
import { outputEntry, outputsHelp } from "../../outputs/registry.ts";
import { createSummaryOutputs, deliverSummary } from "../../outputs/standard.ts";
import { parseFlags } from "../flags.ts";
import { MAX_SUMMARY_BYTES, readTextFileBounded } from "../read_file.ts";

/** Help text for `rampa merge --help`. */
export const MERGE_USAGE = `Usage: rampa merge <summary.json>… [options]

Merges summary files of separate runs or hosts into one summary: histograms are merged
exactly, so percentiles are those of all samples. Thresholds are judged again on the merged
data (windowed ones are not: they need the live run); the exit code is the merged verdict's.

Options:
  --out <name=path>      Also write the merged run to an output (repeatable), e.g.
                         --out json=merged.json --out html=report.html; a bare path
                         (--out merged.json) still means json=merged.json
  --threshold <expr>     Judge these thresholds instead of the first file's (repeatable),
                         e.g. 'http_req_duration p(99)<500ms' or 'error_rate: <1%'
  --fail-on-check        Any failed check fails the merged run (exit 5)
  --max-dropped <share>  Dropped arrivals tolerated before exit 7 (default 1%)
  --max-iteration-errors <share>
                         Iterations that threw tolerated before exit 6 (default 10%)
  -q, --quiet            Print only the verdict line
  --no-color             No colours (also NO_COLOR=1)
  -h, --help             Show this help

Outputs (--out name=path?option=value; the console summary is always printed):
${outputsHelp({ fromSummary: true })}
`;

const OPTIONS = {
  out: { type: "string", multiple: true },
  threshold: { type: "string", multiple: true },
  "fail-on-check": { type: "boolean" },
  "max-dropped": { type: "string" },
  "max-iteration-errors": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `rampa merge`; returns the exit code. */
export async function mergeCommand(args: string[]): Promise<number> {
  const { values: v, positionals: files } = parseFlags("merge", args, OPTIONS, true);
  if (v.help) {
    console.log(MERGE_USAGE);
    return ExitCode.OK;
  }
  const share = (flag: string) => {
    const t = v[flag as "max-dropped"];
    return t === undefined ? null : parseShare(t, `--${flag}`);
  };
  const maxDropped = share("max-dropped");
  const maxIterationErrors = share("max-iteration-errors");
  if (files.length === 0) {
    throw new ConfigError("Missing the summary files to merge: rampa merge a.json b.json …");
  }
  // Outputs are checked before any file is read: a typo in --out costs nothing.
  const outputs = createSummaryOutputs({
    outs: (v.out ?? []).map(legacyOut),
    console: true,
    ctx: {
      color: !v["no-color"] && !Deno.noColor && Deno.stdout.isTerminal(),
      quiet: v.quiet ?? false,
      tty: false,
      targetRate: null,
      env: Deno.env,
      write: (s) => console.log(s.replace(/\n$/, "")),
    },
  });
  const inputs = await readSummaries(files);
  const merged = mergeSummaries(inputs, {
    thresholds: thresholdsForMerge(inputs, v.threshold ?? []),
    policy: {
      failOnCheck: v["fail-on-check"] ?? false,
      maxDroppedFraction: maxDropped ?? DEFAULT_POLICY.maxDroppedFraction,
      maxIterationErrorFraction: maxIterationErrors ?? DEFAULT_POLICY.maxIterationErrorFraction,
    },
  });
  let exitCode: number = merged.verdict.exitCode;
  for (const failure of await deliverSummary(outputs, merged)) {
    console.error(`error: ${failure.message}`);
    if (exitCode === ExitCode.OK) exitCode = failure.exitCode;
  }
  return exitCode;
}

/**
 * Before `--out` took `name=path`, it took the merged summary's path: a value without `=`
 * that names no output (`merged.json`) still means `json=merged.json`.
 */
export function legacyOut(value: string): string {
  const name = value.split("?")[0];
  return value.includes("=") || outputEntry(name) ? value : `json=${value}`;
}

/**
 * Reads and validates summary files. Each unusable file is one issue naming it (missing,
 * not JSON, another schema or version, or the first schema violation); all are thrown at once.
 */
export async function readSummaries(paths: readonly string[]): Promise<MergeInput[]> {
  const issues: string[] = [];
  const out: MergeInput[] = [];
  for (const path of paths) {
    let data: unknown;
    try {
      data = JSON.parse(await readTextFileBounded(path, MAX_SUMMARY_BYTES, `"${path}"`));
    } catch (e) {
      const what = e instanceof SyntaxError ? "Cannot parse" : "Cannot read";
      issues.push(`${what} "${path}": ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const head = (typeof data === "object" && data !== null ? data : {}) as Record<
      string,
      unknown
    >;
    if (head.schema !== SUMMARY_SCHEMA || head.schemaVersion !== SUMMARY_VERSION) {
      issues.push(
        `Cannot merge "${path}": it is ${JSON.stringify(head.schema ?? null)} version ` +
          `${JSON.stringify(head.schemaVersion ?? null)}, expected "${SUMMARY_SCHEMA}" ` +
          `version ${SUMMARY_VERSION}`,
      );
      continue;
    }
    const parsed = SummarySchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue.path.length ? ` at ${issue.path.join(".")}` : "";
      issues.push(`Invalid summary "${path}"${at}: ${issue.message}`);
      continue;
    }
    const impossible = impossibleValue(parsed.data);
    if (impossible) {
      issues.push(`Invalid summary "${path}": ${impossible}`);
      continue;
    }
    // The same run (and segment) twice would count every request twice.
    const id = parsed.data.run.id;
    if (id) {
      const seg = parsed.data.run.segment;
      const twin = out.find((o) =>
        o.summary.run.id === id && o.summary.run.segment.index === seg.index &&
        o.summary.run.segment.count === seg.count
      );
      if (twin) {
        issues.push(
          `"${path}" is the same run as "${twin.name}" (id ${id}, segment ${seg.index}/${seg.count}): ` +
            "merging it twice would count every request twice",
        );
        continue;
      }
    }
    out.push({ name: path, summary: parsed.data });
  }
  if (issues.length) throw new ConfigError(issues);
  return out;
}

/**
 * The first count or duration no run can produce (negative, not finite), or null: a hand-edited
 * or corrupted file must not be merged into a verdict.
 */
export function impossibleValue(s: Summary): string | null {
  const counts: [string, number][] = [
    ["load.started", s.load.started],
    ["load.dropped", s.load.dropped],
    ["load.interrupted", s.load.interrupted],
    ["run.durationMs", s.run.durationMs],
    ...Object.entries(s.statuses).map(([k, v]) => [`statuses.${k}`, v] as [string, number]),
    ...s.errors.map((e) => [`errors.${e.kind}`, e.count] as [string, number]),
    ...s.iterationErrors.map((e) => [`iterationErrors.${e.kind}`, e.count] as [string, number]),
    ...s.checks.flatMap((c) =>
      [[`checks.${c.name}`, c.passes], [`checks.${c.name}`, c.fails]] as [
        string,
        number,
      ][]
    ),
    ...s.snapshot.series.flatMap((x) => [[`snapshot ${x.metric}`, x.count]] as [string, number][]),
  ];
  for (const [what, v] of counts) {
    if (!Number.isFinite(v) || v < 0) return `impossible value ${v} at ${what}`;
  }
  for (const [name, m] of Object.entries(s.metrics)) {
    const v = (m as { count?: number }).count;
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
      return `impossible value ${v} at metrics.${name}.count`;
    }
  }
  const defined = new Set(s.snapshot.metrics.map((m) => m.name));
  for (const name of defined) {
    if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(name)) return `corrupt snapshot: metric name "${name}"`;
  }
  for (const x of s.snapshot.series) {
    if (!defined.has(x.metric)) return `corrupt snapshot: series of undefined metric "${x.metric}"`;
  }
  try {
    // Histograms are only decoded when merged: a corrupt one must be refused here, whole.
    decodeSnapshot(s.snapshot);
  } catch (e) {
    return `corrupt snapshot (${e instanceof Error ? e.message.split("\n")[0] : e})`;
  }
  return null;
}

/**
 * The thresholds to judge: `--threshold` flags when given, else those the first input
 * recorded (`run.thresholdSpecs`; for older files, rebuilt from its threshold results, which
 * lack `delayAbortEval` and `noData`). Metrics are checked against the built-ins plus every
 * metric the inputs define, so custom metrics of scenarios keep working.
 */
export function thresholdsForMerge(
  inputs: readonly MergeInput[],
  flags: readonly string[],
): Threshold[] {
  const input: Record<string, unknown[]> = Object.create(null);
  if (flags.length) {
    Object.assign(input, thresholdFlags(flags));
  } else if (inputs.length) {
    for (const spec of recordedSpecs(inputs[0].summary)) {
      const { key, expression: threshold, ...rest } = spec;
      (input[key] ??= []).push({ threshold, ...rest });
    }
  }
  const metrics: Map<string, MetricDef> = knownMetrics();
  for (const i of inputs) for (const m of i.summary.snapshot.metrics) metrics.set(m.name, m);
  return parseThresholds(input as ThresholdsInput, metrics, thresholdAliases());
}

function recordedSpecs(s: Summary): NonNullable<Summary["run"]["thresholdSpecs"]> {
  if (s.run.thresholdSpecs) return s.run.thresholdSpecs;
  return s.thresholds.map((t) => ({
    key: t.key ?? t.metric,
    expression: t.expression,
    abortOnFail: t.abortOnFail,
  }));
}
