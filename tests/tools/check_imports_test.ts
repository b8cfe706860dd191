import { deepEqual, equal } from "node:assert/strict";
import {
  checkImports,
  type DenoInfo,
  type Finding,
  graphFromDenoInfo,
  type ImportEdge,
  type ImportGraph,
  summaryLine,
} from "../../tools/check_imports.ts";

const SCRIPT = new URL("../../tools/check_imports.ts", import.meta.url).pathname;

/** A graph from `from: [to, …]` rows; a `type:` prefix marks an import type, `dyn:` an import(). */
function graph(rows: Record<string, string[]>): ImportGraph {
  const g = new Map<string, ImportEdge[]>();
  for (const [from, tos] of Object.entries(rows)) {
    g.set(
      from,
      tos.map((to) => ({
        to: to.replace(/^(type|dyn):/, ""),
        typeOnly: to.startsWith("type:"),
        dynamic: to.startsWith("dyn:"),
      })),
    );
    for (const to of tos) {
      const path = to.replace(/^(type|dyn):/, "");
      if (!(path in rows) && !g.has(path)) g.set(path, []);
    }
  }
  return g;
}

function lines(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.line);
}

Deno.test("a graph without cycles or forbidden imports has no findings", () => {
  deepEqual(
    checkImports(graph({
      "mod.ts": ["core/types.ts", "outputs/json/mod.ts"],
      "cli/main.ts": ["core/types.ts", "outputs/json/mod.ts", "engines/http/mod.ts"],
      "outputs/json/mod.ts": ["core/types.ts", "outputs/_file_output.ts"],
      "tests/core/types_test.ts": ["core/types.ts", "tools/testing/nginx.ts"],
      "bench/startup.ts": ["tools/testing/nginx.ts", "cli/main.ts"],
    })),
    [],
  );
});

Deno.test("two modules importing each other are one cycle, listed from the smaller name", () => {
  deepEqual(lines(checkImports(graph({ "b.ts": ["a.ts"], "a.ts": ["b.ts"] }))), [
    "cycle: a.ts -> b.ts -> a.ts",
  ]);
});

Deno.test("a cycle through three modules is listed once, in import order", () => {
  deepEqual(
    lines(checkImports(graph({ "c.ts": ["a.ts"], "a.ts": ["b.ts"], "b.ts": ["c.ts"] }))),
    ["cycle: a.ts -> b.ts -> c.ts -> a.ts"],
  );
});

Deno.test("a cycle made only of type imports is still a cycle, its arrows marked type", () => {
  deepEqual(
    lines(checkImports(graph({ "x/a.ts": ["type:x/b.ts"], "x/b.ts": ["type:x/a.ts"] }))),
    ["cycle: x/a.ts -(type)-> x/b.ts -(type)-> x/a.ts"],
  );
});

Deno.test("a cycle closed by a dynamic import is a cycle, its arrow marked dynamic", () => {
  deepEqual(lines(checkImports(graph({ "a.ts": ["dyn:b.ts"], "b.ts": ["a.ts"] }))), [
    "cycle: a.ts -(dynamic)-> b.ts -> a.ts",
  ]);
});

Deno.test("a module importing itself is a cycle", () => {
  deepEqual(lines(checkImports(graph({ "a.ts": ["a.ts"] }))), ["cycle: a.ts -> a.ts"]);
});

Deno.test("a hub in several cycles lists each cycle once", () => {
  // config -> factory -> each executor -> config: the shape core/executors once had.
  deepEqual(
    lines(checkImports(graph({
      "config.ts": ["factory.ts"],
      "factory.ts": ["type:config.ts", "ramp.ts", "shared.ts"],
      "ramp.ts": ["type:config.ts"],
      "shared.ts": ["type:config.ts"],
    }))),
    [
      "cycle: config.ts -> factory.ts -(type)-> config.ts",
      "cycle: config.ts -> factory.ts -> ramp.ts -(type)-> config.ts",
      "cycle: config.ts -> factory.ts -> shared.ts -(type)-> config.ts",
    ],
  );
});

Deno.test("separate tangles give separate cycles, and modules outside them none", () => {
  deepEqual(
    lines(checkImports(graph({
      "a.ts": ["b.ts", "c.ts"],
      "b.ts": ["a.ts"],
      "c.ts": ["d.ts"],
      "d.ts": ["e.ts"],
      "e.ts": ["d.ts"],
    }))),
    ["cycle: a.ts -> b.ts -> a.ts", "cycle: d.ts -> e.ts -> d.ts"],
  );
});

Deno.test("a tangle with too many cycles to list ends with one line naming its modules", () => {
  // Every module imports every other: far more elementary cycles than the cap.
  const names = Array.from({ length: 8 }, (_, i) => `m${i}.ts`);
  const rows = Object.fromEntries(names.map((n) => [n, names.filter((m) => m !== n)]));
  const found = lines(checkImports(graph(rows)));
  equal(found.at(-1), `cycle: more cycles among these 8 modules: ${names.join(", ")}`);
  equal(found.length, 26);
});

const CORE = "core/ must not import cli/, outputs/, engines/ or target/";

Deno.test("core importing cli, outputs, engines or target is a layering break", () => {
  deepEqual(
    lines(checkImports(graph({
      "core/run/runner.ts": [
        "cli/flags.ts",
        "outputs/json/mod.ts",
        "type:engines/http/mod.ts",
        "dyn:target/mod.ts",
        "core/types.ts",
      ],
    }))),
    [
      `layering: core/run/runner.ts imports cli/flags.ts (${CORE})`,
      `layering: core/run/runner.ts imports outputs/json/mod.ts (${CORE})`,
      `layering: core/run/runner.ts imports engines/http/mod.ts (type) (${CORE})`,
      `layering: core/run/runner.ts imports target/mod.ts (dynamic) (${CORE})`,
    ],
  );
});

Deno.test("an engine or an output importing cli is a layering break", () => {
  deepEqual(
    lines(checkImports(graph({
      "engines/http1/engine.ts": ["cli/exit_codes.ts"],
      "outputs/csv/csv_output.ts": ["cli/flags.ts"],
      "outputs/registry.ts": ["cli/flags.ts"],
    }))),
    [
      "layering: engines/http1/engine.ts imports cli/exit_codes.ts (engines/ and outputs/ must not import cli/)",
      "layering: outputs/csv/csv_output.ts imports cli/flags.ts (engines/ and outputs/ must not import cli/)",
      "layering: outputs/registry.ts imports cli/flags.ts (engines/ and outputs/ must not import cli/)",
    ],
  );
});

Deno.test("a private _ file may be imported from its own folder and the level above only", () => {
  const why = "a _ file is private to its folder";
  deepEqual(
    lines(checkImports(graph({
      "outputs/console/summary_text.ts": ["outputs/console/_text.ts", "outputs/_numbers.ts"],
      "outputs/github/step_summary.ts": ["outputs/console/_text.ts", "outputs/_numbers.ts"],
      "outputs/html/sections/a.ts": ["outputs/html/_format.ts"],
      "engines/http/fetch_engine.ts": ["engines/http1/sub/_raw.ts", "engines/http1/mod.ts"],
      "engines/http1/client.ts": ["outputs/http1/_x.ts"],
    }))),
    [
      `layering: engines/http/fetch_engine.ts imports engines/http1/sub/_raw.ts (${why})`,
      `layering: engines/http1/client.ts imports outputs/http1/_x.ts (${why})`,
      `layering: outputs/github/step_summary.ts imports outputs/console/_text.ts (${why})`,
    ],
  );
});

Deno.test("bench importing tests is a layering break; tests importing bench is fine", () => {
  deepEqual(
    lines(checkImports(graph({
      "bench/vu_memory.ts": ["tests/_servers/nginx.ts"],
      "tests/bench/tables_test.ts": ["bench/peers/tables.ts"],
    }))),
    [
      "layering: bench/vu_memory.ts imports tests/_servers/nginx.ts (bench/ must not import tests/; shared fixtures live in tools/testing/)",
    ],
  );
});

Deno.test("tools importing tests or bench is a layering break", () => {
  deepEqual(
    lines(checkImports(graph({
      "tools/testing/nginx.ts": ["tests/_servers/faults.ts", "bench/peers/types.ts"],
    }))),
    [
      "layering: tools/testing/nginx.ts imports tests/_servers/faults.ts (tools/ must not import tests/ or bench/)",
      "layering: tools/testing/nginx.ts imports bench/peers/types.ts (tools/ must not import tests/ or bench/)",
    ],
  );
});

Deno.test("production code importing tests, bench or tools is a layering break", () => {
  const why = "production code must not import tests/, bench/ or tools/";
  deepEqual(
    lines(checkImports(graph({
      "mod.ts": ["tests/core/_fixture.ts"],
      "cli/main.ts": ["bench/startup.ts"],
      "target/server.ts": ["tools/rampa_task.ts"],
      "engines/http/mod.ts": ["type:tests/engines/_x.ts"],
    }))),
    [
      `layering: cli/main.ts imports bench/startup.ts (${why})`,
      `layering: engines/http/mod.ts imports tests/engines/_x.ts (type) (${why})`,
      `layering: mod.ts imports tests/core/_fixture.ts (${why})`,
      `layering: target/server.ts imports tools/rampa_task.ts (${why})`,
    ],
  );
});

Deno.test("a rule's table row can be narrowed by its captures", () => {
  const rules = [{
    from: /^(a|b)\//,
    to: /^(a|b)\//,
    why: "a/ and b/ stay apart",
    when: (f: RegExpExecArray, t: RegExpExecArray) => f[1] !== t[1],
  }];
  deepEqual(
    lines(checkImports(graph({ "a/x.ts": ["a/y.ts", "b/z.ts"] }), rules)),
    ["layering: a/x.ts imports b/z.ts (a/ and b/ stay apart)"],
  );
});

Deno.test("deno info output becomes the project's graph with type and dynamic imports marked", () => {
  const root = "file:///p/";
  const info: DenoInfo = {
    modules: [
      {
        specifier: "file:///p/a.ts",
        dependencies: [
          { type: { specifier: "file:///p/b.ts" } },
          { code: { specifier: "file:///p/c%20d.ts" }, isDynamic: true },
          { code: { specifier: "npm:/zod@4.1.0" } },
          { code: { specifier: "node:fs" } },
          { code: { specifier: "file:///elsewhere/x.ts" } },
        ],
      },
      {
        specifier: "file:///p/b.ts",
        dependencies: [
          // Both a type and a value import of one module: a value import.
          { code: { specifier: "file:///p/a.ts" }, type: { specifier: "file:///p/a.ts" } },
          // Imported statically and dynamically: a static import.
          { code: { specifier: "file:///p/c%20d.ts" } },
          { code: { specifier: "file:///p/c%20d.ts" }, isDynamic: true },
        ],
      },
      { specifier: "file:///p/c%20d.ts" },
      { specifier: "file:///p/broken.ts", error: "SyntaxError: Unexpected token\n  at line 1" },
      { specifier: "npm:/zod@4.1.0" },
      { specifier: "data:application/typescript;base64,AA==" },
    ],
  };
  const { graph, errors } = graphFromDenoInfo([info], root);
  deepEqual(Object.fromEntries(graph), {
    "a.ts": [
      { to: "b.ts", typeOnly: true, dynamic: false },
      { to: "c d.ts", typeOnly: false, dynamic: true },
    ],
    "b.ts": [
      { to: "a.ts", typeOnly: false, dynamic: false },
      { to: "c d.ts", typeOnly: false, dynamic: false },
    ],
    "c d.ts": [],
  });
  deepEqual(lines(errors), ["error: broken.ts: SyntaxError: Unexpected token"]);
});

Deno.test("the summary line says no cycles and no layering breaks on success", () => {
  equal(
    summaryLine({ modules: 243, findings: [] }),
    "import check: 243 modules, no cycles, no layering breaks",
  );
  equal(
    summaryLine({
      modules: 4,
      findings: [
        { kind: "cycle", line: "" },
        { kind: "cycle", line: "" },
        { kind: "layering", line: "" },
        { kind: "error", line: "" },
      ],
    }),
    "import check: 4 modules, 2 cycles, 1 layering break, 1 load error",
  );
});

/** Writes `files` under a new temp dir and runs the script on it with `--root`. */
async function runOn(
  files: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await Deno.makeTempDir({ prefix: "rampa_check_imports_" });
  try {
    for (const [path, text] of Object.entries(files)) {
      const at = `${dir}/${path}`;
      await Deno.mkdir(at.slice(0, at.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(at, text);
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-run", "--allow-read", SCRIPT, "--root", dir],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the script run on a tree with a cycle and a layering break prints both and fails", async () => {
  const { code, stdout, stderr } = await runOn({
    "a.ts": 'import { b } from "./b.ts";\nexport const a = (): number => b;\n',
    "b.ts": 'import type { a } from "./a.ts";\nexport const b = 1;\nexport type A = typeof a;\n',
    "core/x.ts": 'import { y } from "../cli/y.ts";\nexport const x = y;\n',
    "cli/y.ts": "export const y = 2;\n",
  });
  equal(code, 1);
  deepEqual(stderr.trim().split("\n"), [
    "cycle: a.ts -> b.ts -(type)-> a.ts",
    `layering: core/x.ts imports cli/y.ts (${CORE})`,
  ]);
  equal(stdout, "import check: 4 modules, 1 cycle, 1 layering break\n");
});

Deno.test("the script run on a clean tree prints one line and succeeds", async () => {
  const { code, stdout, stderr } = await runOn({
    "mod.ts": 'export { x } from "./core/x.ts";\n',
    "core/x.ts": "export const x = 1;\n",
    "tests/core/x_test.ts": 'import { x } from "../../core/x.ts";\nDeno.test("x", () => {});\n' +
      "void x;\n",
    "tests/testdata/broken.ts": "export const = ;\n",
  });
  equal(stderr, "");
  equal(stdout, "import check: 3 modules, no cycles, no layering breaks\n");
  equal(code, 0);
});

Deno.test("the script reports a module that fails to parse and fails", async () => {
  const { code, stdout, stderr } = await runOn({ "core/bad.ts": "export const = ;\n" });
  equal(code, 1);
  equal(stderr.split("\n")[0].startsWith("error: core/bad.ts: "), true);
  equal(stdout, "import check: 0 modules, no cycles, no layering breaks, 1 load error\n");
});
