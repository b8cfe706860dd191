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
