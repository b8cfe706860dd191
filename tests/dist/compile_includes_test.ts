/**
 * `deno task compile` embeds only the module graph of `cli/main.ts` plus what `--include` names.
 * Worker entry points (`new Worker(new URL("./x.ts", import.meta.url))`), files read at run time
 * through `import.meta.url`, and `mod.ts` (what a user's scenario imports as `"rampa"`) are not
 * in that graph: a binary without them fails only when that path runs. These tests walk the real
 * graph (`deno info --json`) from the entry point and every worker, and hold the task to it.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { CONFIG, parseCompileTask, ROOT, scanModule, walk } from "./_compile_graph.ts";

const TASK = parseCompileTask(CONFIG.tasks.compile);
const GRAPH = await walk(TASK.entry);

/** True when `path` is an include or lies under an included directory. */
function covered(path: string): boolean {
  return TASK.includes.some((inc) => {
    const i = inc.replace(/^\.\//, "").replace(/\/$/, "");
    return path === i || path.startsWith(i + "/");
  });
}

Deno.test("the compile task builds cli/main.ts into dist/rampa and leaves DENORT_BIN to the environment", () => {
  equal(TASK.entry, "cli/main.ts");
  equal(TASK.output, "dist/rampa");
  ok(!CONFIG.tasks.compile.includes("DENORT_BIN"), "the task must not pin DENORT_BIN");
  for (const flag of ["--node-modules-dir=none", "--exclude-unused-npm"]) {
    ok(TASK.words.includes(flag), `${flag} keeps the binary small`);
  }
});

Deno.test("deno task compile includes every worker module (a compiled binary embeds only what it names)", () => {
  ok(GRAPH.workers.size >= 3, `found only ${[...GRAPH.workers].join(", ")}`);
  for (const w of GRAPH.workers) ok(covered(w), `${w} is a worker but not --include'd`);
});

Deno.test("deno task compile includes every file read at run time through import.meta.url", () => {
  for (const r of GRAPH.reads) ok(covered(r), `${r} is read at run time but not --include'd`);
});

Deno.test('deno task compile embeds the module scenario files import as "rampa"', () => {
  const target = CONFIG.imports.rampa.replace(/^\.\//, "");
  equal(target, "mod.ts");
  ok(
    covered(target) || GRAPH.modules.has(target),
    `"rampa" maps to ${target}, which the binary would not contain`,
  );
});

Deno.test("every --include of the compile task exists", async () => {
  ok(TASK.includes.length > 0);
  for (const inc of TASK.includes) {
    const st = await Deno.stat(ROOT + inc).catch(() => null);
    ok(st !== null, `--include ${inc} does not exist`);
  }
});

Deno.test("the scanner tells worker entries from run-time reads", () => {
  const base = new URL("file:///repo/core/x.ts");
  const worker = scanModule(
    `const W = new URL("./w.ts", import.meta.url);\nnew Worker(W, { type: "module" });`,
    base,
  );
  deepEqual(worker.workers.map((u) => u.pathname), ["/repo/core/w.ts"]);
  deepEqual(worker.reads, []);
  const read = scanModule(
    `await Deno.readTextFile(new URL('../data/a.json', import.meta.url));`,
    base,
  );
  deepEqual(read.reads.map((u) => u.pathname), ["/repo/data/a.json"]);
  const neither = scanModule(`const u = new URL("./x.ts", import.meta.url);`, base);
  deepEqual([neither.workers.length, neither.reads.length], [0, 0]);
});
