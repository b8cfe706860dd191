/**
 * The Deno flags `deno task rampa` runs the CLI with, read from deno.json so the benchmarks
 * measure exactly what users run from source (V8 heap flags, lazy dynamic imports) instead of
 * a copy that drifts; the end-to-end tests run the CLI with them too.
 *
 * @module
 */

const config = JSON.parse(
  await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
) as { tasks: Record<string, string | { command: string }> };

/**
 * The flags between `deno run` and `cli/main.ts` in the `rampa` task, without permission
 * flags (the benchmarks and tests run with `-A`).
 */
export const RAMPA_RUN_FLAGS: readonly string[] = (() => {
  const task = config.tasks.rampa;
  const words = (typeof task === "string" ? task : task.command).trim().split(/\s+/);
  const from = words.indexOf("run") + 1;
  const to = words.indexOf("cli/main.ts");
  if (from === 0 || to < from) {
    throw new Error("deno.json: the rampa task is not `deno run … cli/main.ts`");
  }
  const flags = words.slice(from, to).filter((w) => !w.startsWith("--allow-"));
  // Anything permission-like left would fight the callers' -A: say so instead of guessing.
  const odd = flags.find((w) => w.startsWith("--deny-") || /^-[A-Za-z]+$/.test(w));
  if (odd) throw new Error(`deno.json: unexpected flag ${odd} in the rampa task`);
  return flags;
})();
