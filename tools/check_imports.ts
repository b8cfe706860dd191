/**
 * Checks rampa's own import graph: no import cycles (type-only and dynamic imports included)
 * and no layering breaks (core/ never reaches out to the CLI, the outputs or the engines; a
 * folder's `_` files stay private to it; benchmarks and production code never lean on tests).
 *
 * The graph comes from `deno info --json`, asked once about a generated root that imports every
 * entry point and every `.ts` file of the project, so modules reached only as workers or only by
 * tests are checked too; everything else is a pure function of that graph.
 *
 * @example
 * ```sh
 * deno run --allow-run --allow-read tools/check_imports.ts            # this repository
 * deno run --allow-run --allow-read tools/check_imports.ts --root DIR # another tree
 * ```
 *
 * @module
 */
import { fileURLToPath, pathToFileURL } from "node:url";

/** One import of a project module, as `deno info` reports it. */
export interface ImportEdge {
  /** The imported module, relative to the project root (`core/types.ts`). */
  readonly to: string;
  /** An `import type`/`export type` only: no code at run time, still a dependency. */
  readonly typeOnly: boolean;
  /** An `import()` expression. */
  readonly dynamic: boolean;
}

/** The project's own modules (root-relative paths, `/`-separated) and what each imports. */
export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

/** One problem the check found; `line` is what gets printed. */
export interface Finding {
  /** `cycle`, `layering`, or `error` (a module `deno info` could not load). */
  readonly kind: "cycle" | "layering" | "error";
  /** One line: `cycle: a.ts -> b.ts -> a.ts`, `layering: core/x.ts imports cli/y.ts (…)`. */
  readonly line: string;
}

/**
 * A layering rule: a module whose path matches `from` must not import one whose path matches
 * `to`, unless `when` (given both matches) says the pair is fine.
 */
export interface LayerRule {
  /** The importing modules the rule applies to. */
  readonly from: RegExp;
  /** The imported modules they must not reach. */
  readonly to: RegExp;
  /** Why, printed after the offending import. */
  readonly why: string;
  /** Narrows the rule to some pairs; captures of both patterns are at hand. */
  readonly when?: (from: RegExpExecArray, to: RegExpExecArray) => boolean;
}

const PRODUCTION = /^(?:core|engines|outputs|cli|target|declarative)\/|^mod\.ts$/;

/** The layering of the project, one row per rule; add rows here. */
export const LAYER_RULES: readonly LayerRule[] = [
  {
    from: /^core\//,
    to: /^(?:cli|outputs|engines|target)\//,
    why: "core/ must not import cli/, outputs/, engines/ or target/",
  },
  {
    // Formats register their loader with core/scenario/formats.ts instead.
    from: /^core\//,
    to: /^declarative\//,
    why: "core/ must not import declarative/",
  },
  {
    from: /^(?:engines|outputs)\//,
    to: /^cli\//,
    why: "engines/ and outputs/ must not import cli/",
  },
  {
    // engines/<a>/… may not reach engines/<b>/_x.ts or outputs/<b>/_x.ts: `_` files are
    // private to their folder (a shared helper moves up a level, like outputs/_file_output.ts).
    from: /^(engines|outputs)\/([^/]+)\//,
    to: /^(engines|outputs)\/([^/]+)\/(?:[^/]+\/)*_[^/]*$/,
    why: "a _ file is private to its folder",
    when: (f, t) => f[1] !== t[1] || f[2] !== t[2],
  },
  {
    from: /^bench\//,
    to: /^tests\//,
    why: "bench/ must not import tests/; shared fixtures live in tools/testing/",
  },
  {
    from: /^tools\//,
    to: /^(?:tests|bench)\//,
    why: "tools/ must not import tests/ or bench/",
  },
  {
    from: PRODUCTION,
    to: /^(?:tests|bench|tools)\//,
    why: "production code must not import tests/, bench/ or tools/",
  },
];

/** Beyond this many cycles in one tangle, the rest are summed up in one line. */
const MAX_CYCLES_PER_TANGLE = 25;
/** Steps of the cycle search in one tangle before it gives up listing them. */
const MAX_STEPS_PER_TANGLE = 200_000;

/**
 * Every import cycle and layering break of `graph`, cycles first, each list sorted so the
 * output is stable. Edges to modules outside the graph are ignored for cycles.
 */
export function checkImports(
  graph: ImportGraph,
  rules: readonly LayerRule[] = LAYER_RULES,
): Finding[] {
  const findings: Finding[] = [];
  for (const tangle of stronglyConnected(graph)) {
    findings.push(...cyclesOf(graph, tangle));
  }
  for (const [from, edges] of [...graph].sort(([a], [b]) => compare(a, b))) {
    for (const edge of edges) {
      for (const rule of rules) {
        const f = rule.from.exec(from);
        const t = f && rule.to.exec(edge.to);
        if (f && t && (rule.when?.(f, t) ?? true)) {
          findings.push({
            kind: "layering",
            line: `layering: ${from} imports ${edge.to}${mark(edge)} (${rule.why})`,
          });
        }
      }
    }
  }
  return findings;
}

/** ` (type)` or ` (dynamic)` after an import that is not a plain one. */
function mark(edge: ImportEdge): string {
  return edge.typeOnly ? " (type)" : edge.dynamic ? " (dynamic)" : "";
}

/** ` -> `, ` -(type)-> ` or ` -(dynamic)-> `, the arrow of a cycle line. */
function arrow(edge: ImportEdge): string {
  return edge.typeOnly ? " -(type)-> " : edge.dynamic ? " -(dynamic)-> " : " -> ";
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Tarjan's strongly connected components that hold a cycle (two modules or more, or a self-import). */
function stronglyConnected(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const next = (v: string): string[] =>
    (graph.get(v) ?? []).map((e) => e.to).filter((w) => graph.has(w));

  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next(v).includes(v)) out.push(component.sort(compare));
    }
  };
  for (const v of [...graph.keys()].sort(compare)) if (!index.has(v)) visit(v);
  return out.sort((a, b) => compare(a[0], b[0]));
}

/**
 * The elementary cycles of one tangle, each starting at its smallest module (so each is listed
 * once), up to a cap; past it, one line names the tangle instead.
 */
function cyclesOf(graph: ImportGraph, tangle: readonly string[]): Finding[] {
  const members = new Set(tangle);
  const edgesOf = (v: string): ImportEdge[] =>
    (graph.get(v) ?? []).filter((e) => members.has(e.to)).sort((a, b) => compare(a.to, b.to));
  const lines: string[] = [];
  let steps = 0;
  let truncated = false;

  for (const start of tangle) {
    const path: string[] = [start];
    const arrows: string[] = [];
    const onPath = new Set(path);
    const walk = (v: string): void => {
      for (const edge of edgesOf(v)) {
        if (truncated) return;
        if (++steps > MAX_STEPS_PER_TANGLE || lines.length >= MAX_CYCLES_PER_TANGLE) {
          truncated = true;
          return;
        }
        if (edge.to === start) {
          let line = `cycle: ${start}`;
          for (let i = 1; i < path.length; i++) line += arrows[i - 1] + path[i];
          lines.push(line + arrow(edge) + start);
        } else if (edge.to > start && !onPath.has(edge.to)) {
          path.push(edge.to);
          arrows.push(arrow(edge));
          onPath.add(edge.to);
          walk(edge.to);
          onPath.delete(path.pop()!);
          arrows.pop();
        }
      }
    };
    walk(start);
    if (truncated) break;
  }
  const findings = lines.map((line): Finding => ({ kind: "cycle", line }));
  if (truncated) {
    findings.push({
      kind: "cycle",
      line: `cycle: more cycles among these ${tangle.length} modules: ${tangle.join(", ")}`,
    });
  }
  return findings;
}

/** The subset of `deno info --json` this check reads. */
export interface DenoInfo {
  /** Every module of the graph. */
  readonly modules: readonly {
    readonly specifier: string;
    readonly error?: string;
    readonly dependencies?: readonly {
      readonly code?: { readonly specifier?: string };
      readonly type?: { readonly specifier?: string };
      readonly isDynamic?: boolean;
    }[];
  }[];
}

/**
 * The project's own modules out of `deno info --json` output: `file:` modules under `rootUrl`
 * (a directory URL ending in `/`), their imports of one another, and one `error` finding per
 * module that failed to load. npm:, node:, jsr: and files outside the root are left out.
 */
export function graphFromDenoInfo(
  infos: readonly DenoInfo[],
  rootUrl: string,
): { graph: Map<string, ImportEdge[]>; errors: Finding[] } {
  const own = (specifier: string | undefined): string | undefined =>
    specifier?.startsWith(rootUrl)
      ? decodeURIComponent(specifier.slice(rootUrl.length))
      : undefined;
  const graph = new Map<string, ImportEdge[]>();
  const errors = new Map<string, Finding>();
  for (const info of infos) {
    for (const module of info.modules) {
      const from = own(module.specifier);
      if (from === undefined) continue;
      if (module.error !== undefined) {
        const first = module.error.split("\n")[0];
        errors.set(from, { kind: "error", line: `error: ${from}: ${first}` });
        continue;
      }
      const edges = new Map<string, ImportEdge>();
      for (const dep of module.dependencies ?? []) {
        const code = own(dep.code?.specifier);
        const to = code ?? own(dep.type?.specifier);
        if (to === undefined) continue;
        const seen = edges.get(to);
        const edge = { to, typeOnly: code === undefined, dynamic: dep.isDynamic === true };
        // A module imported twice (a type and a value, or static and dynamic) counts as the
        // strongest of the two: a value import over a type one, a static over a dynamic one.
        edges.set(
          to,
          seen
            ? {
              to,
              typeOnly: seen.typeOnly && edge.typeOnly,
              dynamic: seen.dynamic && edge.dynamic,
            }
            : edge,
        );
      }
      graph.set(from, [...edges.values()]);
    }
  }
  return { graph, errors: [...errors.values()].sort((a, b) => compare(a.line, b.line)) };
}

/** The files always checked, when present: the library, the CLI and every worker entry. */
export const ENTRY_POINTS: readonly string[] = [
  "mod.ts",
  "cli/main.ts",
  "cli/worker/worker_main.ts",
  "core/schedule/waker_worker.ts",
  "target/worker.ts",
];

/** Folders whose every `.ts` file is a root (workers and tests are reached by no import). */
export const SOURCE_DIRS: readonly string[] = [
  "core",
  "engines",
  "outputs",
  "cli",
  "target",
  "bench",
  "tests",
  "tools",
];

/** Fixtures that are data, not modules of the project (some fail to parse on purpose). */
const SKIPPED_DIRS: readonly string[] = ["tests/testdata"];

/** Root-relative paths of the modules to start from: entry points, top-level and folder `.ts`. */
export async function listRoots(root: string): Promise<string[]> {
  const found = new Set<string>();
  const exists = async (path: string): Promise<boolean> => {
    try {
      return (await Deno.stat(`${root}/${path}`)).isFile;
    } catch {
      return false;
    }
  };
  for (const entry of ENTRY_POINTS) if (await exists(entry)) found.add(entry);
  for await (const entry of Deno.readDir(root)) {
    if (entry.isFile && /\.tsx?$/.test(entry.name)) found.add(entry.name);
  }
  const walk = async (dir: string): Promise<void> => {
    if (SKIPPED_DIRS.includes(dir)) return;
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(`${root}/${dir}`));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory && !entry.name.startsWith(".")) await walk(path);
      else if (entry.isFile && /\.tsx?$/.test(entry.name)) found.add(path);
    }
  };
  for (const dir of SOURCE_DIRS) await walk(dir);
  return [...found].sort(compare);
}

/**
 * `deno info` takes one root, so the roots are imported by a generated `data:` module instead
 * (no temp file, no write permission); long lists are split so no argument nears the kernel's
 * 128 KiB limit, and the parts run side by side.
 */
const MAX_ROOT_SOURCE = 64 * 1024;

/** Runs `deno info --json` in `root` (so its deno.json and import map apply) over `roots`. */
export async function denoInfo(root: string, roots: readonly string[]): Promise<DenoInfo[]> {
  const rootUrl = directoryUrl(root);
  const chunks: string[] = [];
  let source = "";
  for (const path of roots) {
    const line = `import ${JSON.stringify(new URL(path, rootUrl).href)};\n`;
    if (source.length + line.length > MAX_ROOT_SOURCE && source) {
      chunks.push(source);
      source = "";
    }
    source += line;
  }
  if (source) chunks.push(source);
  return await Promise.all(chunks.map(async (text) => {
    const url = `data:application/typescript;base64,${toBase64(text)}`;
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", url],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (code !== 0) {
      throw new Error(`deno info failed (exit ${code}): ${new TextDecoder().decode(stderr)}`);
    }
    return JSON.parse(new TextDecoder().decode(stdout)) as DenoInfo;
  }));
}

function toBase64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** `file:///abs/dir/` for a directory path, absolute or relative to the working directory. */
function directoryUrl(dir: string): string {
  const url = pathToFileURL(dir).href;
  return url.endsWith("/") ? url : `${url}/`;
}

/** The check's result: the graph's size and every finding, errors first. */
export interface ImportReport {
  /** Project modules in the graph. */
  readonly modules: number;
  /** Load errors, cycles, layering breaks. */
  readonly findings: readonly Finding[];
}

/** Builds the graph of the tree at `root` and checks it. */
export async function checkTree(root: string): Promise<ImportReport> {
  const absolute = await Deno.realPath(root);
  const infos = await denoInfo(absolute, await listRoots(absolute));
  const { graph, errors } = graphFromDenoInfo(infos, directoryUrl(absolute));
  return { modules: graph.size, findings: [...errors, ...checkImports(graph)] };
}

/** The summary line: `import check: N modules, no cycles, no layering breaks` on success. */
export function summaryLine(report: ImportReport): string {
  const count = (kind: Finding["kind"]) => report.findings.filter((f) => f.kind === kind).length;
  const part = (n: number, one: string, many: string) =>
    n === 0 ? `no ${many}` : `${n} ${n === 1 ? one : many}`;
  const parts = [
    `${report.modules} modules`,
    part(count("cycle"), "cycle", "cycles"),
    part(count("layering"), "layering break", "layering breaks"),
  ];
  const errors = count("error");
  if (errors > 0) parts.push(part(errors, "load error", "load errors"));
  return `import check: ${parts.join(", ")}`;
}

if (import.meta.main) {
  const args = [...Deno.args];
  let root = fileURLToPath(new URL("..", import.meta.url));
  const at = args.indexOf("--root");
  if (at >= 0) {
    if (!args[at + 1]) {
      console.error("Missing value for --root: expected a directory");
      Deno.exit(2);
    }
    root = args[at + 1];
    args.splice(at, 2);
  }
  if (args.length > 0) {
    console.error(`Unknown argument "${args[0]}": expected --root DIR`);
    Deno.exit(2);
  }
  const report = await checkTree(root);
  for (const finding of report.findings) console.error(finding.line);
  console.log(summaryLine(report));
  if (report.findings.length > 0) Deno.exit(1);
}
