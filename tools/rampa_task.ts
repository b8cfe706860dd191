/**
 * The Deno flags `deno task rampa` runs the CLI with, read from deno.json so the benchmarks
 * measure exactly what users run from source (V8 heap flags, lazy dynamic imports) instead of
 * a copy that drifts; the end-to-end tests run the CLI with them too.
 *
 * @module
 */

const config = JSON.parse(
  await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
) as { tasks: Record<string, string> };

/**
 * The flags between `deno run` and `cli/main.ts` in the `rampa` task, without permission
 * flags (the benchmarks run with `-A`).
 */
export const RAMPA_RUN_FLAGS: readonly string[] = (() => {
  const words = config.tasks.rampa.trim().split(/\s+/);
  const from = words.indexOf("run") + 1;
  const to = words.indexOf("cli/main.ts");
  if (from === 0 || to < from) {
    throw new Error("deno.json: the rampa task is not `deno run … cli/main.ts`");
  }
  return words.slice(from, to).filter((w) => !w.startsWith("--allow-"));
})();
