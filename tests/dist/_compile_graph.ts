/**
 * The module graph `deno task compile` embeds, read from the real graph (`deno info --json`) of
 * the task's entry point and of every worker it starts, for the tests of the compile task and of
 * the Dockerfile.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root, with a trailing slash. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** deno.json, as far as these tests read it. */
export const CONFIG = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as {
  tasks: Record<string, string>;
  imports: Record<string, string>;
};

/** The parts of the compile task's command line these tests care about. */
export interface CompileTask {
  readonly includes: string[];
  readonly output: string;
  readonly entry: string;
  readonly words: string[];
}

/** Splits a `deno compile …` command into its includes, output and entry point. */
export function parseCompileTask(command: string): CompileTask {
  const words = command.trim().split(/\s+/);
  ok(words[0] === "deno" && words[1] === "compile", `not a deno compile command: ${command}`);
  const includes: string[] = [];
  let output = "";
  for (let i = 2; i < words.length; i++) {
    if (words[i] === "--include") includes.push(words[++i]);
    else if (words[i].startsWith("--include=")) includes.push(words[i].slice(10));
    else if (words[i] === "--output" || words[i] === "-o") output = words[++i];
  }
  return { includes, output, entry: words[words.length - 1], words };
}

/** What one module's source needs embedded beside it. */
export interface ModuleNeeds {
  /** Worker entry modules it starts. */
  readonly workers: URL[];
  /** Files it reads at run time from a URL relative to itself. */
  readonly reads: URL[];
}

const RELATIVE_URL = /new URL\(\s*(["'`])([^"'`$]+)\1\s*,\s*import\.meta\.url\s*\)/g;
const MODULE_EXT = /\.(ts|tsx|js|mjs|mts)$/;
const READS =
  /\bDeno\.(readTextFile|readFile|readDir|open|readTextFileSync|readFileSync|readDirSync|openSync)\b|\breadFileSync\(|\bfetch\(/;

/**
 * Finds the `import.meta.url`-relative URLs in `text` (the source of `url`): modules in a file
 * that starts workers are worker entries; any URL in a file that reads files is a run-time read.
 */
export function scanModule(text: string, url: URL): ModuleNeeds {
  const workers: URL[] = [];
  const reads: URL[] = [];
  const startsWorkers = text.includes("new Worker(");
  const readsFiles = READS.test(text);
  for (const m of text.matchAll(RELATIVE_URL)) {
    const target = new URL(m[2], url);
    if (startsWorkers && MODULE_EXT.test(target.pathname)) workers.push(target);
    else if (readsFiles) reads.push(target);
  }
  return { workers, reads };
}

/** The local modules of the graph rooted at `root` (a path relative to the repository). */
export async function localGraph(root: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root],
    cwd: ROOT,
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string }[];
  };
  const rootUrl = pathToFileURL(ROOT).href;
  return info.modules.map((m) => m.specifier).filter((s) => s.startsWith(rootUrl))
    .map((s) => relative(ROOT, fileURLToPath(s)));
}

/** Every module, worker entry and run-time read reachable from `entry`, following workers too. */
export async function walk(
  entry: string,
): Promise<{ modules: Set<string>; workers: Set<string>; reads: Set<string> }> {
  const modules = new Set<string>();
  const workers = new Set<string>();
  const reads = new Set<string>();
  const roots = [entry];
  for (let i = 0; i < roots.length; i++) {
    for (const path of await localGraph(roots[i])) {
      if (modules.has(path)) continue;
      modules.add(path);
      const needs = scanModule(
        await Deno.readTextFile(ROOT + path),
        pathToFileURL(ROOT + path),
      );
      for (const w of needs.workers) {
        const p = relative(ROOT, fileURLToPath(w));
        if (!workers.has(p)) roots.push(p);
        workers.add(p);
      }
      for (const r of needs.reads) reads.add(relative(ROOT, fileURLToPath(r)));
    }
  }
  return { modules, workers, reads };
}
