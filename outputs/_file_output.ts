/**
 * Outputs that write one file from the final summary (JSON, JUnit, HTML) share this: the path
 * is checked for writability before any load is sent, so a typo costs nothing, and a write
 * failure at the end is reported as exit 9, never swallowed.
 *
 * @module
 */
import { ExitCode, RampaError } from "../core/errors.ts";
import type { Output } from "../core/run/output.ts";
import type { Summary } from "../core/summary/schema.ts";

/** Writes `text` to `path`; a failure is a RampaError (exit 9) naming `what`. */
export async function writeOutputFile(path: string, text: string, what: string): Promise<void> {
  try {
    await Deno.writeTextFile(path, text);
  } catch (e) {
    throw new RampaError(
      `Cannot write ${what} to "${path}": ${e instanceof Error ? e.message : String(e)}`,
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

/** An output that renders the final summary into one file (`name` as in `--out name=path`). */
export function createSummaryFileOutput(
  name: string,
  path: string,
  what: string,
  render: (s: Summary) => string,
): Output {
  return {
    describe: () => `${name} (${path})`,
    start: () => checkWritable(path),
    // Judged on the whole run: nothing to do per tick.
    push(): void {},
    stop: (summary) => writeOutputFile(path, render(summary), what),
  };
}
