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
    let f: Deno.FsFile;
    try {
      f = await Deno.open(lock, { write: true, createNew: true });
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
      continue;
    }
    // Ours from here, even if the pid cannot be written (a full disk): an empty lock left by a
    // dead process reads as stale.
    held.add(lock);
    try {
      await f.write(new TextEncoder().encode(String(Deno.pid)));
    } catch {
      /* see above */
    } finally {
      f.close();
    }
    return async () => {
      held.delete(lock);
      await Deno.remove(lock).catch(() => {});
    };
  }
  return async () => {};
}

/**
 * Fails early when `path` cannot be written the way it will be at the end: a regular file is
 * written to a temporary file beside it and renamed, so its directory must take a new file
 * (`/proc/version` or a read-only folder fails here, before any load); an existing special
 * file (`/dev/stdout`, a pipe) must open for writing. Nothing is left behind.
 */
export async function checkWritable(path: string): Promise<void> {
  const fail = (e: unknown) =>
    new RampaError(
      `Cannot write to "${path}": ${e instanceof Error ? e.message : String(e)}`,
      ExitCode.OUTPUT_FAILED,
    );
  let info: Deno.FileInfo | null = null;
  try {
    info = await Deno.stat(path);
  } catch { /* does not exist yet */ }
  if (info && info.isDirectory) throw fail(new Error("it is a directory"));
  if (info && !info.isFile) {
    try {
      (await Deno.open(path, { write: true })).close();
      return;
    } catch (e) {
      throw fail(e);
    }
  }
  const probe = join(dirname(path), `.${basename(path)}.${Deno.pid}.${randomTag()}.check`);
  try {
    (await Deno.open(probe, { write: true, createNew: true })).close();
    await Deno.remove(probe);
  } catch (e) {
    await Deno.remove(probe).catch(() => {});
    throw fail(e);
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
