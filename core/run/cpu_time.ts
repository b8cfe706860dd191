/**
 * The process's CPU time (user + system, every thread), for the generator-health block.
 *
 * Deno answers this natively (`Deno.cpuUsage`, present at runtime though not in Deno's public
 * types); `node:process`'s `cpuUsage` answers the same, but importing `node:process` loads
 * Deno's Node compatibility layer for it: ~16 ms of every run's start-up, measured. The native
 * call is used when present, the Node one otherwise, so a Deno without it still measures.
 *
 * @module
 */

/** Microseconds of CPU, as both APIs report them. */
interface CpuUsage {
  user: number;
  system: number;
}

const native = (Deno as unknown as { cpuUsage?: () => CpuUsage }).cpuUsage;

const usage: () => CpuUsage = typeof native === "function"
  ? () => native.call(Deno)
  : (await import("node:process")).cpuUsage;

/** CPU time this process has used so far, in ms (differences are what matter). */
export function processCpuMs(): number {
  const u = usage();
  return (u.user + u.system) / 1000;
}
