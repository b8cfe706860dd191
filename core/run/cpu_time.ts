/**
 * The process's CPU time (user + system, every thread), for the generator-health block.
 *
 * Deno answers this natively (`Deno.cpuUsage`, present at runtime though not in Deno's public
 * types); `node:process`'s `cpuUsage` answers the same, but importing `node:process` loads
 * Deno's Node compatibility layer for it: ~16 ms of every run's start-up, measured. The native
 * call is used when present; otherwise {@link prepareCpuTime} loads the Node one. No top-level
 * await: a Web Worker imports this module, and its messages must not wait on an import.
 *
 * @module
 */

/** Microseconds of CPU, as both APIs report them. */
interface CpuUsage {
  user: number;
  system: number;
}

const native = (Deno as unknown as { cpuUsage?: () => CpuUsage }).cpuUsage;
let fallback: (() => CpuUsage) | null = null;

/** Makes {@link processCpuMs} usable; a no-op where Deno answers natively. Await before a run. */
export async function prepareCpuTime(): Promise<void> {
  if (typeof native !== "function" && fallback === null) {
    fallback = (await import("node:process")).cpuUsage;
  }
}

/** CPU time this process has used so far, in ms (differences are what matter); NaN unprepared. */
export function processCpuMs(): number {
  const u = typeof native === "function" ? native.call(Deno) : fallback?.();
  return u === undefined ? NaN : (u.user + u.system) / 1000;
}
