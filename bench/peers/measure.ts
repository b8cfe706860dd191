/**
 * Runs one tool and measures its CPU time from outside, the same way for every tool.
 *
 * The tool runs as the child of a wrapper `sh -c '"$@"; rc=$?; cat /proc/$$/stat > FILE; exit
 * $rc'`. After `sh` has waited for the tool, the kernel has added the tool's user and system time —
 * including every descendant the tool itself waited for (npx/node children, threads, workers) — to
 * the wrapper's `cutime`/`cstime` fields (16 and 17 of /proc/<pid>/stat, in clock ticks of
 * `getconf CLK_TCK`). `cat` reads them before it is itself waited for, so neither `cat` nor the
 * wrapper's own time is included. This is the same rusage `/usr/bin/time` would print, without
 * needing that package. It includes each tool's start-up (for rampa: Deno loading the CLI's
 * modules), which is part of what a user pays; with 5 s runs that is a few percent for rampa and
 * ~0 for the C tools.
 *
 * @module
 */

import $ from "dax";
import { killTree, readWhenThere, statFields } from "./processes.ts";
import { pin } from "./session.ts";
import type { Measured, Session } from "./types.ts";

/** The wrapper: records its pid, runs the tool, then saves its own stat with the tool's times. */
const WRAPPER = 'echo $$ > "$1"; stat="$2"; shift 2; "$@"; rc=$?; ' +
  'cat /proc/$$/stat > "$stat"; exit $rc';

/** User and system CPU-seconds of a wrapper's waited-for children, from its /proc stat line. */
export function childCpuSeconds(stat: string, clockTicks: number): { userS: number; sysS: number } {
  const fields = statFields(stat);
  // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
  return { userS: Number(fields[13]) / clockTicks, sysS: Number(fields[14]) / clockTicks };
}

/**
 * Runs `argv` pinned to CPU 0 under the CPU-reporting wrapper (see the module doc), killing it
 * after `timeoutMs`.
 */
export async function measure(
  session: Session,
  argv: string[],
  timeoutMs: number,
): Promise<Measured> {
  const id = session.nextId();
  const pidFile = `${session.scratchDir}/pid-${id}`;
  const statFile = `${session.scratchDir}/stat-${id}`;
  const full = [...pin(session, 0), "sh", "-c", WRAPPER, "sh", pidFile, statFile, ...argv];
  const started = performance.now();
  const child = $`${full}`.noThrow().stdin("null").stdout("piped").stderr("piped").spawn();
  const wrapperPid = Number(await readWhenThere(pidFile, 5000));
  if (wrapperPid > 0) session.active.add(wrapperPid);
  const timer = setTimeout(() => {
    console.error(`  timeout after ${timeoutMs / 1000} s: stopping ${argv[0]}`);
    if (wrapperPid > 0) killTree(wrapperPid, false);
  }, timeoutMs);
  const result = await child;
  const wallS = (performance.now() - started) / 1000;
  clearTimeout(timer);
  session.active.delete(wrapperPid);
  const stat = await readWhenThere(statFile, 1000);
  if (stat === "") throw new Error(`no CPU accounting for ${argv.join(" ")}`);
  const { userS, sysS } = childCpuSeconds(stat, session.clockTicks);
  return { code: result.code, stdout: result.stdout, stderr: result.stderr, userS, sysS, wallS };
}
