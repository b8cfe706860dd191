/**
 * The memory check (`--memory`): rampa at 5000/s for `--memory-duration`, its VmRSS sampled every
 * second from /proc/<pid>/status.
 *
 * @module
 */

import { OPEN_LOOP_MAX_IN_FLIGHT } from "./open_loop.ts";
import { readWhenThere, sleep, spawnWatched } from "./processes.ts";
import { openLoopLoad, rampaRunArgv } from "./rampa.ts";
import { pin } from "./session.ts";
import { fmt, memoryTable } from "./tables.ts";
import type { RssSample, Session, Target } from "./types.ts";

/** Rate of the memory run, per second. */
export const MEMORY_RATE = 5000;

/** What the memory run records in the results. */
export interface MemoryResult {
  engine: string;
  rate: number;
  durationS: number;
  exitCode: number;
  samples: RssSample[];
}

/** VmRSS of `pid` in KiB; null once the process is gone. */
function readRssKiB(pid: number): number | null {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Runs rampa with `engine` at the memory rate for `durationS`, sampling and printing its RSS. */
export async function runMemory(
  session: Session,
  engine: string,
  target: Target,
  durationS: number,
): Promise<MemoryResult> {
  const pidFile = `${session.scratchDir}/memory.pid`;
  const load = openLoopLoad(MEMORY_RATE, OPEN_LOOP_MAX_IN_FLIGHT, durationS);
  // exec keeps the pid: sh -> taskset -> deno are one process, the one we sample.
  const argv = [
    "sh",
    "-c",
    'echo $$ > "$1"; shift; exec "$@"',
    "sh",
    pidFile,
    ...pin(session, 0),
    ...rampaRunArgv(target.url, engine, load, null),
  ];
  const started = performance.now();
  const rampa = spawnWatched(argv, "piped");
  const pid = Number(await readWhenThere(pidFile, 5000));
  if (pid > 0) session.active.add(pid);
  const samples: RssSample[] = [];
  for (let i = 1; !rampa.exited() && !session.stopping; i++) {
    const wait = started + i * 1000 - performance.now();
    await Promise.race([sleep(Math.max(0, wait)), rampa.finished]);
    if (rampa.exited()) break;
    const rss = readRssKiB(pid);
    if (rss === null) break;
    samples.push({ t: Math.round((performance.now() - started) / 100) / 10, rssKiB: rss });
    if (i % 10 === 0) console.error(`  t=${i}s RSS ${fmt(rss / 1024, 1)} MiB`);
  }
  const result = await rampa.finished;
  session.active.delete(pid);
  console.log(`\n## Memory: rampa --engine ${engine} at ${MEMORY_RATE}/s for ${durationS} s\n`);
  console.log(`exit code ${result.code}; VmRSS sampled every second from /proc/${pid}/status\n`);
  console.log(memoryTable(samples, durationS));
  return { engine, rate: MEMORY_RATE, durationS, exitCode: result.code, samples };
}
