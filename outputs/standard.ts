/**
 * The outputs a command gets, built from the registry: for `rampa run` the console, the JSON
 * summary file, each `--out` and the GitHub job summary in GitHub Actions; for `rampa merge`
 * and `rampa report` the outputs a saved summary can feed. Every `--out` problem is gathered
 * into one ConfigError, so a user fixes them all at once.
 *
 * @example
 * ```ts
 * import { createRunOutputs } from "./standard.ts";
 * const tty = Deno.stderr.isTerminal();
 * const outputs = createRunOutputs({
 *   outs: ["csv=metrics.csv?interval=5s", "junit=junit.xml"],
 *   summaryPath: "rampa-summary.json",
 *   ctx: { color: tty, quiet: false, tty, targetRate: 200, env: Deno.env },
 * });
 * ```
 *
 * @module
 */
import type { Output, RunInfo } from "../core/run/output.ts";
import type { Summary } from "../core/summary/schema.ts";
import { ConfigError, RampaError } from "../core/errors.ts";
import { STEP_SUMMARY_VAR } from "./github/mod.ts";
import { isStdoutTarget } from "./json/mod.ts";
import { stderrWriter } from "./console/console_output.ts";
import {
  createOutput,
  type OutputContext,
  outputEntry,
  type OutputSpec,
  parseOutputSpec,
} from "./registry.ts";

/** Options of {@link createRunOutputs}. */
export interface RunOutputsOptions {
  /** The `--out` values, in order. */
  readonly outs: readonly string[];
  /** Where the JSON summary goes (`--summary`); null for `--no-summary`. */
  readonly summaryPath: string | null;
  /** Colours, quiet, terminal, offered rate and environment. */
  readonly ctx: OutputContext;
}

/** Options of {@link createSummaryOutputs}. */
export interface SummaryOutputsOptions {
  /** The `--out` values, in order. */
  readonly outs: readonly string[];
  /** Put the console first, as `rampa merge` does. @default false */
  readonly console?: boolean;
  /** Colours, quiet and environment (no run: `targetRate` is unused). */
  readonly ctx: OutputContext;
}

const CONSOLE: OutputSpec = { name: "console", target: "", options: {} };

/** `--out console` without a path is the terminal's console, which replaces the default. */
function isTerminalConsole(spec: OutputSpec): boolean {
  return spec.name === "console" && !spec.target;
}

interface Plan {
  readonly outs: readonly string[];
  readonly ctx: OutputContext;
  readonly console: boolean;
  readonly summaryPath: string | null;
  readonly autoGithub: boolean;
  readonly fromSummary: boolean;
}

function build(plan: Plan): Output[] {
  const issues: string[] = [];
  const collect = <T>(fn: () => T): T | null => {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      issues.push(...e.issues);
      return null;
    }
  };
  const specs: OutputSpec[] = [];
  for (const text of plan.outs) {
    const spec = collect(() => parseOutputSpec(text));
    if (!spec) continue;
    if (plan.fromSummary && !outputEntry(spec.name)?.fromSummary) {
      issues.push(
        `Output "${spec.name}" in --out "${text}" cannot be written from a saved summary: it ` +
          `records each interval while the run goes (use it with rampa run)`,
      );
      continue;
    }
    specs.push(spec);
  }
  const terminal = specs.filter(isTerminalConsole);
  if (plan.console && terminal.length > 1) {
    issues.push(`--out console without a path is given ${terminal.length} times: expected once`);
  }
  const ordered: OutputSpec[] = [];
  if (plan.console) ordered.push(terminal[0] ?? CONSOLE);
  if (plan.summaryPath !== null) {
    ordered.push({ name: "json", target: plan.summaryPath, options: {} });
  }
  ordered.push(...specs.filter((s) => !(plan.console && isTerminalConsole(s))));
  // In GitHub Actions a job summary comes for free, unless the user placed one already.
  if (
    plan.autoGithub && plan.ctx.env.get(STEP_SUMMARY_VAR) &&
    !specs.some((s) => s.name === "github")
  ) {
    ordered.push({ name: "github", target: "", options: {} });
  }
  // The JSON summary on stdout (`--summary -`) owns stdout: everything else that would go
  // there (the console's summary, GitHub annotations) goes to stderr, so the JSON parses.
  const jsonOnStdout = (s: OutputSpec) => s.name === "json" && isStdoutTarget(s.target);
  const stdoutTaken = ordered.some(jsonOnStdout);
  const elsewhere: OutputContext = stdoutTaken
    ? { ...plan.ctx, write: plan.ctx.writeErr ?? stderrWriter }
    : plan.ctx;
  if (ordered.filter(jsonOnStdout).length > 1) {
    issues.push("The JSON summary can go to stdout once: --summary - and --out json=- both ask");
  }
  const outputs: Output[] = [];
  for (const spec of ordered) {
    const out = collect(() => createOutput(spec, jsonOnStdout(spec) ? plan.ctx : elsewhere));
    if (out) outputs.push(out);
  }
  if (issues.length) throw new ConfigError(issues);
  return outputs;
}

/**
 * The outputs of `rampa run`, in this order: the console (a path-less `--out console?…`
 * replaces the default one), the JSON summary unless `summaryPath` is null, each other
 * `--out`, then the GitHub job summary when `GITHUB_STEP_SUMMARY` is set in `ctx.env` and no
 * `--out github` was given. Throws one ConfigError holding every `--out` problem.
 */
export function createRunOutputs(opts: RunOutputsOptions): Output[] {
  return build({
    outs: opts.outs,
    ctx: opts.ctx,
    console: true,
    summaryPath: opts.summaryPath,
    autoGithub: true,
    fromSummary: false,
  });
}

/**
 * The outputs of a command that has a finished summary (`rampa merge`, `rampa report`): the
 * console first when asked, then each `--out`. Outputs that need the live run (csv) are
 * rejected, and nothing is added from the environment.
 */
export function createSummaryOutputs(opts: SummaryOutputsOptions): Output[] {
  return build({
    outs: opts.outs,
    ctx: opts.ctx,
    console: opts.console ?? false,
    summaryPath: null,
    autoGithub: false,
    fromSummary: true,
  });
}

/** What outputs would have learnt when the summarized run started. */
export function runInfoOf(summary: Summary): RunInfo {
  const planned = summary.scenarios.map((s) => s.startTimeMs + s.plannedDurationMs);
  return {
    startedAt: new Date(summary.run.startedAt),
    plannedDurationMs: Math.max(summary.run.durationMs, ...planned),
    scenarios: summary.scenarios.map(({ name, executor, target }) => ({ name, executor, target })),
  };
}

/**
 * Hands a finished summary to outputs: starts each (checking its path), then stops the ones
 * that started, in order. Failures of one output do not keep the others from being written;
 * they are returned (output failures, exit 9), and anything else is rethrown.
 */
export async function deliverSummary(
  outputs: readonly Output[],
  summary: Summary,
): Promise<RampaError[]> {
  const info = runInfoOf(summary);
  const failures: RampaError[] = [];
  const started: Output[] = [];
  for (const out of outputs) {
    try {
      await out.start(info);
      started.push(out);
    } catch (e) {
      if (!(e instanceof RampaError)) throw e;
      failures.push(e);
    }
  }
  for (const out of started) {
    try {
      await out.stop(summary);
    } catch (e) {
      if (!(e instanceof RampaError)) throw e;
      failures.push(e);
    }
  }
  return failures;
}
