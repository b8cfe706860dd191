/**
 * The outputs every run gets: the console, the JSON summary file unless `--no-summary`, each
 * `--out`, and a GitHub step summary when `GITHUB_STEP_SUMMARY` is set.
 *
 * @module
 */
import type { Output } from "../core/run/output.ts";
import { createConsoleOutput } from "../outputs/console/mod.ts";
import { createJsonOutput } from "../outputs/json/mod.ts";
import { createOutputFromFlag } from "../outputs/registry.ts";
import { githubOutputFromEnv } from "../outputs/github/mod.ts";
import type { RunArgs } from "./commands/run_args.ts";

/** Builds the standard outputs for a run; `targetRate` feeds the live progress line. */
export function standardOutputs(a: RunArgs, targetRate: number | null): Output[] {
  const tty = Deno.stderr.isTerminal();
  const outputs: Output[] = [
    createConsoleOutput({ color: a.color && tty, quiet: a.quiet, tty, targetRate }),
  ];
  if (a.summaryPath) outputs.push(createJsonOutput(a.summaryPath));
  for (const spec of a.outs) outputs.push(createOutputFromFlag(spec));
  // In GitHub Actions, a Markdown summary and annotations come for free.
  const github = githubOutputFromEnv(Deno.env);
  if (github) outputs.push(github);
  return outputs;
}
