/**
 * Scenario file formats other than JavaScript/TypeScript modules. Core cannot know them (the
 * declarative YAML/JSON loader lives in `declarative/`, beside the engines), so a format
 * registers a loader for its file extensions and `loadScenario` dispatches to it. A loader
 * turns a file into the same module shape an imported scenario has, so the rest of rampa runs
 * it unchanged.
 *
 * @example
 * ```ts
 * import { registerScenarioFormat } from "./formats.ts";
 *
 * registerScenarioFormat(".txt", async (path) => ({
 *   options: { vus: 1, iterations: 1 },
 *   default: async () => console.log(await Deno.readTextFile(path)),
 * }));
 * ```
 *
 * @module
 */

/**
 * Loads one scenario file (absolute path) into a module: `options`, `default` and any other
 * scenario function. Invalid files throw a `ConfigError` whose issues carry their position.
 */
export type ScenarioFormatLoader = (
  path: string,
) => Promise<{ readonly [name: string]: unknown }>;

const formats = new Map<string, ScenarioFormatLoader>();

/** Registers `load` for files ending in `ext` (`".yaml"`; case-insensitive). Idempotent. */
export function registerScenarioFormat(ext: string, load: ScenarioFormatLoader): void {
  formats.set(ext.toLowerCase(), load);
}

/** The loader registered for `path`'s extension, or null for an imported (JS/TS) module. */
export function scenarioFormatFor(path: string): ScenarioFormatLoader | null {
  const dot = path.lastIndexOf(".");
  if (dot < 0 || Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) > dot) return null;
  return formats.get(path.slice(dot).toLowerCase()) ?? null;
}
