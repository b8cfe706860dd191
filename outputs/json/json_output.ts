/**
 * The JSON summary file (`rampa-summary.json`, `--out json=path`): the whole summary, schema
 * `rampa.summary` v1, including the merged snapshot with encoded histograms so the file can be
 * merged or re-rendered later.
 *
 * @module
 */
import type { Output } from "../../core/run/output.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { createSummaryFileOutput, writeOutputFile } from "../_file_output.ts";

/** The summary as the file holds it. */
export function renderJson(summary: Summary): string {
  return JSON.stringify(summary, null, 2) + "\n";
}

/** Creates the JSON summary output writing to `path`. */
export function createJsonOutput(path: string): Output {
  return createSummaryFileOutput("json", path, "summary", renderJson);
}

/** Writes a summary as pretty-printed JSON; throws a RampaError (exit 9) on failure. */
export function writeJson(path: string, summary: Summary): Promise<void> {
  return writeOutputFile(path, renderJson(summary), "summary");
}

/** Targets that mean "standard output" for the JSON summary: `-` and `/dev/stdout`. */
export const STDOUT_TARGETS: readonly string[] = ["-", "/dev/stdout"];

/** Whether a summary target is standard output rather than a file. */
export function isStdoutTarget(target: string): boolean {
  return STDOUT_TARGETS.includes(target);
}

/**
 * The JSON summary on standard output (`--summary -`), for `rampa run … --summary - | jq`.
 * Nothing to check before the run; the whole document is written at once at the end, by
 * `write` (a synchronous stdout writer in the CLI).
 */
export function createJsonStdoutOutput(write: (text: string) => void): Output {
  return {
    describe: () => "json (stdout)",
    start(): void {},
    push(): void {},
    stop(summary: Summary): void {
      write(renderJson(summary));
    },
  };
}
