/**
 * Outputs that write one file from the final summary (JSON, JUnit, HTML) share this: the path
 * is checked for writability before any load is sent, so a typo costs nothing, and a write
 * failure at the end is reported as exit 9, never swallowed.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { ExitCode, RampaError } from "../core/errors.ts";
import type { Output } from "../core/run/output.ts";
import type { Summary } from "../core/summary/schema.ts";

/**
 * Writes `text` to `path` atomically: into a temporary file in the same directory, then
 * renamed over `path`, so a full disk or a crash never leaves a truncated summary or report
 * (the old file, if any, stays whole). Paths that are not regular files (`/dev/stdout`, a
 * pipe) are written directly. A failure is a RampaError (exit 9) naming `what`.
 */
export async function writeOutputFile(path: string, text: string, what: string): Promise<void> {
  const fail = (e: unknown) =>
    new RampaError(
      `Cannot write ${what} to "${path}": ${e instanceof Error ? e.message : String(e)}`,
      ExitCode.OUTPUT_FAILED,
    );
  let special = false;
  try {
    special = !(await Deno.stat(path)).isFile;
  } catch { /* does not exist yet: a regular file will be created */ }
  if (special) {
    try {
      await Deno.writeTextFile(path, text);
      return;
    } catch (e) {
      throw fail(e);
    }
  }
  const tmp = join(dirname(path), `.${basename(path)}.${Deno.pid}.${randomTag()}.tmp`);
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw fail(e);
  }
}

function randomTag(): string {
  return crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
}

/** Lock files this process holds, removed when it exits whatever the path out. */
const held = new Set<string>();
globalThis.addEventListener("unload", () => {
  for (const l of held) {
    try {
      Deno.removeSync(l);
    } catch { /* already gone */ }
  }
});

function pidAlive(pid: number): boolean {
  if (Deno.build.os !== "linux") return true;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Claims `path` for this run: two runs writing the same summary would silently keep only the
 * last one's results. A lock file next to it (`.name.rampa-lock`, holding the pid) is created
 * exclusively; one left by a process that no longer exists is taken over. Returns the release.
 */
export async function claimPath(path: string): Promise<() => Promise<void>> {
  const lock = join(dirname(path), `.${basename(path)}.rampa-lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.writeTextFile(lock, String(Deno.pid), { createNew: true });
      held.add(lock);
      return async () => {
        held.delete(lock);
        await Deno.remove(lock).catch(() => {});
      };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) return async () => {};
      const pid = Number(await Deno.readTextFile(lock).catch(() => ""));
      if (pid > 0 && pid !== Deno.pid && pidAlive(pid)) {
        throw new RampaError(
          `"${path}" is being written by another rampa run (pid ${pid}); choose another path ` +
            `or wait for it (stale? remove ${lock})`,
          ExitCode.OUTPUT_FAILED,
        );
      }
      await Deno.remove(lock).catch(() => {});
    }
  }
  return async () => {};
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
  let release = async () => {};
  return {
    describe: () => `${name} (${path})`,
    start: async () => {
      await checkWritable(path);
      release = await claimPath(path);
    },
    // Judged on the whole run: nothing to do per tick.
    push(): void {},
    stop: async (summary) => {
      try {
        await writeOutputFile(path, render(summary), what);
      } finally {
        await release();
      }
    },
  };
}
