/**
 * Loads a declarative scenario file (YAML or JSON) into a scenario module: read, parse with
 * positions, validate (the `options:` block exactly as a TypeScript scenario's), open the
 * datasets, compile the plan. Every problem is a `file:line:column: message` line of one
 * ConfigError (exit 2), raised before any load is sent.
 *
 * @module
 */
import { dirname, isAbsolute, join } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { dataset } from "../core/scenario/dataset.ts";
import { compilePlan } from "./compile.ts";
import type { OpenDataset } from "./plan.ts";
import { createScenarioModule } from "./run.ts";
import type { DeclarativeFile } from "./schema.ts";
import { parseSource, type Source } from "./source.ts";
import { sortByPosition, validateFile } from "./validate.ts";

function columnsOf(first: unknown): ReadonlySet<string> | null {
  return first !== null && typeof first === "object" && !Array.isArray(first)
    ? new Set(Object.keys(first))
    : null;
}

/** Opens every dataset under `data:`, relative to the scenario file's folder. */
export async function openDatasets(src: Source, file: DeclarativeFile): Promise<OpenDataset[]> {
  const out: OpenDataset[] = [];
  const issues: string[] = [];
  for (const [name, d] of Object.entries(file.data ?? {})) {
    const rel = (d.csv ?? d.json)!;
    const path = isAbsolute(rel) ? rel : join(dirname(src.file), rel);
    const at = ["data", name, d.csv !== undefined ? "csv" : "json"];
    // Checked here: a missing CSV file would surface later as an unhandled stream error.
    const st = await Deno.stat(path).catch(() => null);
    if (!st?.isFile) {
      issues.push(src.issue(at, `Cannot find data file "${rel}" (looked at ${path})`));
      continue;
    }
    try {
      const rows = d.csv !== undefined
        ? await dataset.csv(path, { pick: d.pick })
        : await dataset.json(path, { pick: d.pick });
      out.push({ name, rows, columns: rows.length ? columnsOf(rows.at(0)) : null });
    } catch (e) {
      const msg = (e as Error).message.replace(/^Cannot load (CSV|JSON) dataset/, "Cannot load $1");
      issues.push(src.issue(at, msg));
    }
  }
  if (issues.length) throw new ConfigError(sortByPosition(issues));
  return out;
}

/** Parses, validates and compiles `text` (the content of `path`) into a scenario module. */
export async function compileDeclarative(
  path: string,
  text: string,
): Promise<{ readonly [name: string]: unknown }> {
  const src = parseSource(path, text);
  const { file, issues } = validateFile(src);
  if (!file) throw new ConfigError(sortByPosition(issues));
  try {
    const datasets = await openDatasets(src, file);
    const plan = await compilePlan({ src, file, datasets });
    if (issues.length) throw new ConfigError(sortByPosition(issues));
    return createScenarioModule(plan, file.options);
  } catch (e) {
    if (e instanceof ConfigError && issues.length) {
      throw new ConfigError(sortByPosition([...issues, ...e.issues]));
    }
    throw e;
  }
}

/** Loads the declarative scenario at `path` (absolute) into a scenario module. */
export async function loadDeclarativeScenario(
  path: string,
): Promise<{ readonly [name: string]: unknown }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new ConfigError(`Cannot read scenario file "${path}": ${(e as Error).message}`);
  }
  return await compileDeclarative(path, text);
}
