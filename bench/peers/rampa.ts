/**
 * How the peers benchmark runs rampa's own CLI: the command lines for `rampa run` and `rampa
 * serve`, the summary file, and which engine works on this machine.
 *
 * @module
 */

import $ from "dax";
import { fileURLToPath } from "node:url";
import { RAMPA_RUN_FLAGS } from "../../tools/rampa_task.ts";

/** The CLI entry point of this repository. */
const CLI_MAIN = fileURLToPath(new URL("../../cli/main.ts", import.meta.url));

/** rampa's engines, in the order the benchmark prefers them. */
export const RAMPA_ENGINES = ["http1", "fetch"] as const;

/** The command line of rampa's CLI with `args`, run by this Deno with every permission. */
export function rampaCli(args: string[]): string[] {
  return [Deno.execPath(), "run", "-A", ...RAMPA_RUN_FLAGS, CLI_MAIN, ...args];
}

/**
 * The command line of a quiet `rampa run` against `url` with `engine`: `load` shapes the load
 * (`--vus`, `--rate`, `-d`…); the summary goes to `summary`, or nowhere when it is null.
 */
export function rampaRunArgv(
  url: string,
  engine: string,
  load: string[],
  summary: string | null,
): string[] {
  return rampaCli([
    "run",
    url,
    "--engine",
    engine,
    ...load,
    ...(summary === null ? ["--no-summary"] : ["--summary", summary]),
    "-q",
    "--no-color",
  ]);
}

/**
 * The open-loop load options: `rate` per second for `seconds`, at most `maxInFlight` at once,
 * after a 2 s unmeasured warm-up (the JIT compiles the hot path during the first second; the
 * table measures the generator's steady timing, as the targets mean it).
 */
export function openLoopLoad(
  rate: number,
  maxInFlight: number,
  seconds: number,
  timing = "slice",
): string[] {
  return [
    "--timing",
    timing,
    "--rate",
    `${rate}/s`,
    "--max-in-flight",
    String(maxInFlight),
    "-d",
    `${seconds}s`,
    "--warmup",
    "2s",
    "--workers",
    "1",
  ];
}

/** Reads the `--summary` file of a rampa run. */
export async function readSummary(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(file));
}

/**
 * Runs `engine` for 300 ms with one VU against `url`: null when it works (which also warms Deno's
 * module cache before anything is measured), otherwise why not.
 */
export async function probeEngine(url: string, engine: string): Promise<string | null> {
  const r = await $`${rampaRunArgv(url, engine, ["--vus", "1", "-d", "300ms"], null)}`
    .noThrow().stdin("null").stdout("piped").stderr("piped");
  if (r.code === 0) return null;
  return `engine not usable yet (exit ${r.code}: ${r.stderr.trim().split("\n")[0]})`;
}

/** The preferred engine among generator ids such as `rampa-fetch`; null when there is none. */
export function pickEngine(ids: string[]): string | null {
  return RAMPA_ENGINES.find((e) => ids.includes(`rampa-${e}`)) ?? null;
}
