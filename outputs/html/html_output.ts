/**
 * The HTML report output (`--out html=report.html`): checks that the path can be written
 * before any load is sent, and writes the self-contained report when the run ends. A write
 * failure is reported with exit code 9, never swallowed.
 *
 * @module
 */
import type { Output } from "../../core/run/output.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { ExitCode, RampaError } from "../../core/errors.ts";
import { checkWritable } from "../json/mod.ts";
import { renderHtmlReport } from "./render.ts";

/** Creates the HTML report output writing to `path`. */
export function createHtmlOutput(path: string): Output {
  return {
    describe: () => `html (${path})`,
    async start(): Promise<void> {
      await checkWritable(path);
    },
    push(): void {},
    async stop(summary: Summary): Promise<void> {
      await writeHtmlReport(path, summary);
    },
  };
}

/** Renders `summary` and writes it to `path`; throws a RampaError (exit 9) on failure. */
export async function writeHtmlReport(path: string, summary: Summary): Promise<void> {
  const html = renderHtmlReport(summary);
  try {
    await Deno.writeTextFile(path, html);
  } catch (e) {
    throw new RampaError(
      `Cannot write HTML report to "${path}": ${e instanceof Error ? e.message : String(e)}`,
      ExitCode.OUTPUT_FAILED,
    );
  }
}
