/**
 * Imports a user's scenario file at run time, straight from disk (no build step, no type
 * check), and turns every way that can fail into one clear line with the file and position.
 * The URL is built from an absolute path, which is what lets a compiled binary import files
 * it did not embed; a bare `"rampa"` import in the user's file resolves through rampa's own
 * import map to the same module instance the runner uses.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../errors.ts";
import { setDatasetBase } from "./dataset.ts";
import { toError } from "./user_error.ts";
import { scenarioFormatFor } from "./formats.ts";

/** What a scenario module may export. */
export interface ScenarioModule {
  readonly options?: unknown;
  readonly setup?: (ctx: unknown) => unknown;
  readonly teardown?: (data: unknown) => unknown;
  readonly default?: unknown;
  readonly [name: string]: unknown;
}

/** A loaded scenario file. */
export interface LoadedScenario {
  /** Absolute path. */
  readonly path: string;
  readonly module: ScenarioModule;
}

export { isScenarioPath } from "./scenario_path.ts";

/** Finds `file:///…:line:col` of the user's file in an error's text. */
function position(text: string, url: string): string | null {
  const i = text.indexOf(url + ":");
  if (i < 0) return null;
  const m = /^:(\d+):(\d+)/.exec(text.slice(i + url.length));
  return m ? `${m[1]}:${m[2]}` : null;
}

/** Imports the scenario at `path` (relative to `cwd`). */
export async function loadScenario(path: string, cwd = Deno.cwd()): Promise<LoadedScenario> {
  const abs = resolve(cwd, path);
  try {
    const st = await Deno.stat(abs);
    if (!st.isFile) throw new ConfigError(`Scenario "${path}" is not a file`);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`Cannot find scenario file "${path}" (looked at ${abs})`);
  }
  const url = pathToFileURL(abs).href;
  // Datasets opened at module load resolve relative to the scenario's folder.
  setDatasetBase(dirname(abs));
  // A registered format (YAML/JSON) builds its module itself; its errors carry positions.
  const format = scenarioFormatFor(abs);
  if (format) return { path: abs, module: await format(abs) as ScenarioModule };
  let module: ScenarioModule;
  try {
    module = await import(url);
  } catch (e) {
    const err = toError(e);
    const text = `${err.message}\n${err.stack ?? ""}`;
    const syntax = /SyntaxError: ([^\n]*)/.exec(err.message);
    if (syntax) {
      const at = position(text, url);
      throw new ConfigError(`Syntax error in ${abs}${at ? `:${at}` : ""}: ${syntax[1]}`);
    }
    const notFound = /Module not found "([^"]+)"/.exec(err.message);
    if (notFound) {
      throw new ConfigError(
        `Cannot load ${abs}: it imports "${notFound[1]}", which does not exist`,
      );
    }
    const at = position(text, url);
    throw new ConfigError(
      `Error while loading ${abs}${at ? `:${at}` : ""}: ${err.name}: ${err.message.split("\n")[0]}`,
    );
  }
  return { path: abs, module };
}
