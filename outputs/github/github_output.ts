/**
 * The GitHub Actions output, added automatically to a run when `GITHUB_STEP_SUMMARY` is set,
 * or asked for with `--out github[=path]`: at the end of the run it appends a Markdown summary
 * to the job summary file and prints one `::error` workflow command per failed threshold, which
 * GitHub shows as an annotation on the run and the pull request. Nothing happens per tick.
 *
 * @example
 * ```ts
 * import { githubOutputFromEnv } from "./github_output.ts";
 * const github = githubOutputFromEnv(Deno.env); // null outside GitHub Actions
 * const outputs = github ? [github] : [];
 * ```
 *
 * @module
 */
import type { Output } from "../../core/run/output.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { ExitCode, RampaError } from "../../core/errors.ts";
import { checkWritable } from "../_file_output.ts";
import { formatObserved, renderStepSummary, thresholdName } from "./step_summary.ts";

/** The variable GitHub Actions sets to the job summary file of the current step. */
export const STEP_SUMMARY_VAR = "GITHUB_STEP_SUMMARY";

/** Options of the GitHub output. */
export interface GithubOutputOptions {
  /**
   * Receives each workflow-command line (no trailing newline). GitHub reads them from stdout.
   * @default console.log
   */
  write?: (line: string) => void;
}

/**
 * Where environment variables come from: `Deno.env` or a plain record (tests, or a config
 * layer that already resolved the environment).
 */
export type EnvSource =
  | { get(name: string): string | undefined }
  | Readonly<Record<string, string | undefined>>;

/** Escapes the message of a workflow command, so a newline cannot end it early. */
export function escapeCommandData(s: string): string {
  return s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** Escapes a property (`title=`) of a workflow command, where `:` and `,` are delimiters. */
export function escapeCommandProperty(s: string): string {
  return escapeCommandData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** The `::error` lines for a summary's failed thresholds (ignored ones never fail). */
export function thresholdAnnotations(summary: Summary): string[] {
  const title = escapeCommandProperty("rampa threshold");
  return summary.thresholds
    .filter((t) => !t.passed && t.status !== "ignored")
    .map((t) => {
      const why = t.reason && t.reason !== "no data" ? ` (${t.reason})` : "";
      const text = `${thresholdName(t)} failed: observed ${formatObserved(t, summary)}${why}`;
      return `::error title=${title}::${escapeCommandData(text)}`;
    });
}

/** Creates the output that appends the job summary to `path` and prints annotations. */
export function createGithubSummaryOutput(
  path: string,
  options: GithubOutputOptions = {},
): Output {
  const write = options.write ?? ((line: string) => console.log(line));
  return {
    describe: () => `github step summary (${path})`,
    async start(): Promise<void> {
      await checkWritable(path);
    },
    push(): void {},
    async stop(summary: Summary): Promise<void> {
      for (const line of thresholdAnnotations(summary)) write(line);
      // Append: earlier steps and earlier runs in the same step keep their summaries. A failed
      // append (a full disk) is cut back to what was there, never left half written.
      const before = (await Deno.stat(path).catch(() => null))?.size ?? null;
      try {
        await Deno.writeTextFile(path, renderStepSummary(summary) + "\n", { append: true });
      } catch (e) {
        if (before === null) await Deno.remove(path).catch(() => {});
        else await Deno.truncate(path, before).catch(() => {});
        throw new RampaError(
          `Cannot append the GitHub step summary to "${path}": ${
            e instanceof Error ? e.message : String(e)
          }`,
          ExitCode.OUTPUT_FAILED,
        );
      }
    },
  };
}

/** The GitHub output when running in GitHub Actions (`GITHUB_STEP_SUMMARY` set), else null. */
export function githubOutputFromEnv(
  env: EnvSource,
  options: GithubOutputOptions = {},
): Output | null {
  const get = typeof env.get === "function"
    ? (env as { get(name: string): string | undefined }).get.bind(env)
    : (name: string) => (env as Readonly<Record<string, string | undefined>>)[name];
  const path = get(STEP_SUMMARY_VAR);
  return path ? createGithubSummaryOutput(path, options) : null;
}
