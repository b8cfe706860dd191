/**
 * The JSON summary file (`rampa-summary.json`, `--out json=path`): the whole summary, schema
 * `rampa.summary` v1, including the merged snapshot with encoded histograms so the file can be
 * merged or re-rendered later. The path is checked for writability before any load is sent,
 * so a typo costs nothing; a write failure at the end is reported, never swallowed.
 *
 * @module
 */
import type { Output } from "../../core/run/output.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { ExitCode, RampaError } from "../../core/errors.ts";

/** Creates the JSON summary output writing to `path`. */
export function createJsonOutput(path: string): Output {
  return {
    describe: () => `json (${path})`,
    async start(): Promise<void> {
      await checkWritable(path);
    },
    push(): void {},
    async stop(summary: Summary): Promise<void> {
      await writeJson(path, summary);
    },
  };
}

/** Writes a summary as pretty-printed JSON; throws a RampaError (exit 9) on failure. */
export async function writeJson(path: string, summary: Summary): Promise<void> {
  try {
    await Deno.writeTextFile(path, JSON.stringify(summary, null, 2) + "\n");
  } catch (e) {
    throw new RampaError(
      `Cannot write summary to "${path}": ${e instanceof Error ? e.message : String(e)}`,
      ExitCode.OUTPUT_FAILED,
    );
  }
}

/**
 * Fails early when `path` cannot be written: its directory must exist and the file must be
 * creatable. A file that did not exist before is removed again, so a run that never ends
 * leaves nothing behind.
 */
export async function checkWritable(path: string): Promise<void> {
  let existed = true;
  try {
    await Deno.lstat(path);
  } catch {
    existed = false;
  }
  try {
    const f = await Deno.open(path, { write: true, create: true });
    f.close();
    if (!existed) await Deno.remove(path);
  } catch (e) {
    throw new RampaError(
      `Cannot write to "${path}": ${e instanceof Error ? e.message : String(e)}`,
      ExitCode.OUTPUT_FAILED,
    );
  }
}
