/**
 * Child processes of the peers benchmark: spawning one and watching it exit, reading /proc, and
 * stopping a whole process tree on a signal or a timeout.
 *
 * @module
 */

import $, { type CommandResult } from "dax";

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Fields 3 onwards of a /proc/<pid>/stat line (after the command name, which may hold spaces). */
export function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 2).trim().split(/\s+/);
}

/** Parent pid of every process, from /proc. */
function processTable(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const fields = statFields(Deno.readTextFileSync(`/proc/${e.name}/stat`));
      parents.set(Number(e.name), Number(fields[1]));
    } catch { /* exited meanwhile */ }
  }
  return parents;
}

/** Sends SIGTERM to every descendant of `pid` (deepest first), and to `pid` when asked. */
export function killTree(pid: number, includeRoot: boolean): void {
  const parents = processTable();
  const order: number[] = [];
  const visit = (p: number) => {
    for (const [child, parent] of parents) if (parent === p) visit(child);
    order.push(p);
  };
  visit(pid);
  for (const p of order) {
    if (p === pid && !includeRoot) continue;
    try {
      Deno.kill(p, "SIGTERM");
    } catch { /* gone */ }
  }
}

/** Reads a file that another process writes shortly; empty string when it never appears. */
export async function readWhenThere(path: string, waitMs: number): Promise<string> {
  const until = performance.now() + waitMs;
  for (;;) {
    try {
      const text = await Deno.readTextFile(path);
      if (text.trim() !== "") return text;
    } catch { /* not yet */ }
    if (performance.now() > until) return "";
    await sleep(10);
  }
}

/** A spawned process whose exit is watched. */
export interface Watched {
  /** Resolves with the process's result once it has exited. */
  readonly finished: Promise<CommandResult>;
  /** Whether the process has exited. */
  exited(): boolean;
  /** Sends SIGTERM unless the process has exited, then waits for its exit. */
  stop(): Promise<CommandResult>;
}

/**
 * Spawns `argv` with no stdin and stderr piped; stdout is piped when `stdout` says so (for a
 * process whose output is read) and discarded otherwise.
 */
export function spawnWatched(argv: string[], stdout: "piped" | "null"): Watched {
  let dead = false;
  const child = $`${argv}`.noThrow().stdin("null").stdout(stdout).stderr("piped").spawn();
  const finished = child.then((r) => {
    dead = true;
    return r;
  });
  return {
    finished,
    exited: () => dead,
    stop: () => {
      if (!dead) child.kill("SIGTERM");
      return finished;
    },
  };
}
