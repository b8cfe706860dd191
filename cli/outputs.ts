/**
 * The outputs every run gets, as the CLI's run arguments describe them: a thin wrapper over
 * the registry's {@link createRunOutputs} (console, JSON summary unless `--no-summary`, each
 * `--out`, the GitHub job summary when `GITHUB_STEP_SUMMARY` is set).
 *
 * @module
 */
import type { Output } from "../core/run/output.ts";
import { mapOutputPath, type OutputContext } from "../outputs/registry.ts";
import { userPath } from "./user_path.ts";
import { createRunOutputs } from "../outputs/standard.ts";
import type { ReportingSpec } from "../core/run/spec.ts";

/** The output context of a command run in this process's terminal. */
export function terminalOutputContext(
  opts: { color: boolean; quiet: boolean; targetRate?: number | null },
): OutputContext {
  const tty = Deno.stderr.isTerminal();
  return {
    color: opts.color && tty,
    quiet: opts.quiet,
    tty,
    targetRate: opts.targetRate ?? null,
    env: Deno.env,
  };
}

/** `--out` values with their path targets resolved from where the user stands. */
export function userOutSpecs(outs: readonly string[]): string[] {
  return outs.map((text) => mapOutputPath(text, (p) => userPath(p)));
}

/** Builds the standard outputs for a run; `targetRate` feeds the live progress line. */
export function standardOutputs(a: ReportingSpec, targetRate: number | null): Output[] {
  return createRunOutputs({
    outs: userOutSpecs(a.outs),
    summaryPath: a.summaryPath === null ? null : userPath(a.summaryPath),
    ctx: terminalOutputContext({ color: a.color, quiet: a.quiet, targetRate }),
  });
}
