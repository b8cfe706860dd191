/**
 * The session of one peers-benchmark invocation: clock ticks, CPU pinning, the scratch directory
 * and the processes in flight.
 *
 * Pinning: when `taskset` exists and the machine has at least 2 CPUs, the target runs on CPU 1 and
 * every generator on CPU 0, so neither steals the other's core and a generator's CPU-seconds are
 * its own. The output says whether pinning was used.
 *
 * @module
 */

import $ from "dax";
import { availableParallelism } from "node:os";
import { killTree } from "./processes.ts";
import type { Session } from "./types.ts";

/** Starts a session: reads `CLK_TCK`, decides on pinning, creates the scratch directory. */
export async function createSession(opts: { noPin: boolean }): Promise<Session> {
  const clockTicks = Number((await $`getconf CLK_TCK`.noThrow().text()).trim()) || 100;
  const pinning = !opts.noPin && availableParallelism() >= 2 &&
    (await $.which("taskset")) !== undefined;
  const scratchDir = await Deno.makeTempDir({ prefix: "rampa-peers-" });
  let serial = 0;
  return {
    scratchDir,
    pinning,
    clockTicks,
    stopping: false,
    active: new Set<number>(),
    nextId: () => ++serial,
  };
}

/** Prefix that pins a process to one CPU when pinning is on. */
export function pin(session: Session, cpu: number): string[] {
  return session.pinning ? ["taskset", "-c", String(cpu)] : [];
}

/**
 * Ends a session: stops every process in flight (with its descendants), then the target when
 * `stopTarget` is given, and removes the scratch directory.
 */
export async function closeSession(
  session: Session,
  stopTarget: (() => Promise<void>) | null,
): Promise<void> {
  for (const pid of session.active) killTree(pid, true);
  if (stopTarget) await stopTarget().catch(() => {});
  await Deno.remove(session.scratchDir, { recursive: true }).catch(() => {});
}
