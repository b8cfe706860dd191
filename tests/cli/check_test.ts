/**
 * `rampa check` and `rampa types` (issue 16, item 7), run as the real CLI: a good scenario
 * passes (exit 0), a bad one exits 2 with one `file:line:col` line per type error, the embedded
 * declaration file lists exactly mod.ts's exports and agrees with mod.ts's own types, and the
 * lookup of a `deno` executable and the parsing of its output hold without a compiled binary.
 *
 * @module
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runCli } from "../e2e/_cli.ts";
import {
  findDeno,
  formatDiagnostic,
  NO_DENO_HELP,
  parseDenoCheckOutput,
} from "../../cli/commands/check.ts";
import { RAMPA_DTS } from "../../cli/types/_rampa_dts.ts";

const DATA = fileURLToPath(new URL("../testdata/check/", import.meta.url));

/** A folder outside the checkout holding copies of the test scenarios. */
async function scenarios(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-check-" });
  for (const f of ["good.ts", "bad.ts"]) await Deno.copyFile(join(DATA, f), join(dir, f));
  return dir;
}

Deno.test("rampa check passes a correct scenario outside the checkout (exit 0)", async () => {
  const dir = await scenarios();
  const r = await runCli(["check", "good.ts"], dir);
  equal(r.code, 0, r.stdout + r.stderr);
  equal(r.stdout, "");
  match(r.stderr, /good\.ts: no type errors/);
});

Deno.test("rampa check reports each type error as file:line:col and exits 2", async () => {
  const dir = await scenarios();
  const r = await runCli(["check", "bad.ts"], dir);
  equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  equal(lines.length, 3, r.stdout);
  match(lines[0], /^bad\.ts:4:10: TS\d+ .*"constant-vuz".*Did you mean '"constant-vus"'\?/);
  match(lines[1], /^bad\.ts:5:5: TS\d+ .*ScenarioConfig/);
  match(lines[2], /^bad\.ts:8:7: TS2322 Type 'string' is not assignable to type 'number'/);
  match(r.stderr, /3 type errors/);
});

Deno.test("rampa check refuses a missing file and a YAML scenario (exit 2)", async () => {
  const dir = await scenarios();
  await Deno.writeTextFile(join(dir, "s.yaml"), "requests: []\n");
  const missing = await runCli(["check", "nope.ts"], dir);
  equal(missing.code, 2);
  match(missing.stderr, /Cannot read "nope\.ts"/);
  const yaml = await runCli(["check", "s.yaml"], dir);
  equal(yaml.code, 2);
  match(yaml.stderr, /expected a TypeScript or JavaScript scenario/);
});

Deno.test("rampa types prints the embedded declaration file, exports included", async () => {
  const r = await runCli(["types"]);
  equal(r.code, 0, r.stderr);
  equal(r.stdout, RAMPA_DTS);
  match(r.stdout, /export type \{[^}]*\bScenarioConfig\b/);
});

/** The names a declaration file's final export statements give the outside. */
function dtsExports(dts: string): string[] {
  const names: string[] = [];
  for (const m of dts.matchAll(/^export (?:type )?\{([^}]*)\};$/gm)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) names.push(name);
    }
  }
  return names.sort();
}

Deno.test("the declaration file exports exactly what mod.ts exports", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", fileURLToPath(new URL("../../mod.ts", import.meta.url))],
    stdout: "piped",
    stderr: "null",
  }).output();
  ok(out.success, "deno doc --json mod.ts");
  const doc = JSON.parse(new TextDecoder().decode(out.stdout));
  const mod = new URL("../../mod.ts", import.meta.url).href;
  const names = (doc.nodes[mod].symbols as { name: string }[]).map((s) => s.name).sort();
  deepEqual(
    dtsExports(RAMPA_DTS),
    names,
    "mod.ts changed: run `deno task types` to regenerate cli/types/_rampa_dts.ts",
  );
});

Deno.test("the declaration file's scenario types are mod.ts's own", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rampa-types-" });
  await Deno.writeTextFile(join(dir, "rampa.d.ts"), RAMPA_DTS);
  const mod = new URL("../../mod.ts", import.meta.url).href;
  // Classes with private fields (HttpResponse) are nominal, so the HTTP client is compared by
  // what a scenario passes to it; the rest structurally.
  const types = [
    "Options",
    "ScenarioConfig",
    "HttpRequestOptions",
    "HttpBody",
    "BatchRequest",
    "ExpectedStatus",
    'Parameters<X.HttpApi["request"]>',
    'Parameters<X.HttpApi["batch"]>',
    'Parameters<X.HttpApi["setExpectedStatuses"]>',
  ].map((t) => (t.includes("X.") ? t : `X.${t}`));
  await Deno.writeTextFile(
    join(dir, "same.ts"),
    [
      `import type * as D from "./rampa.d.ts";`,
      `import type * as M from ${JSON.stringify(mod)};`,
      `type Same<A, B> = [A] extends [B] ? [B] extends [A] ? true : false : false;`,
      ...types.map((t, i) =>
        `export const _${i}: Same<${t.replaceAll("X.", "D.")}, ${t.replaceAll("X.", "M.")}> = true;`
      ),
    ].join("\n") + "\n",
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "check",
      "--quiet",
      "--no-lock",
      "--config",
      pathToFileURL(
        fileURLToPath(new URL("../../deno.json", import.meta.url)),
      ).pathname,
      join(dir, "same.ts"),
    ],
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
});

Deno.test("a compiled binary finds deno on PATH, or none", () => {
  const exec = new Set(["/opt/deno/bin/deno"]);
  const isExecutable = (f: string) => exec.has(f);
  const base = { execPath: "/usr/bin/rampa", isExecutable, os: "linux" };
  equal(
    findDeno({ ...base, standalone: true, path: "/usr/bin:/opt/deno/bin" }),
    "/opt/deno/bin/deno",
  );
  equal(findDeno({ ...base, standalone: true, path: "/usr/bin" }), null);
  equal(findDeno({ ...base, standalone: true, path: "", rampaDeno: "/x/deno" }), "/x/deno");
  equal(
    findDeno({ ...base, standalone: false, execPath: "/home/u/.deno/bin/deno" }),
    "/home/u/.deno/bin/deno",
  );
  match(NO_DENO_HELP, /rampa types > rampa\.d\.ts/);
});

Deno.test("deno check's output becomes one file:line:col line per error", () => {
  const stderr = [
    "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.",
    'const n: number = "x";',
    "      ^",
    "    at file:///w/s/a.ts:8:7",
    "",
    'error: Module not found "file:///w/s/nope.ts".',
    "    at file:///w/s/a.ts:1:20",
    "",
    "Found 1 error.",
    "",
    "error: Type checking failed.",
  ].join("\n");
  const d = parseDenoCheckOutput(stderr);
  deepEqual(d.map((x) => formatDiagnostic(x, "/w/s")), [
    "a.ts:8:7: TS2322 Type 'string' is not assignable to type 'number'.",
    'a.ts:1:20: Module not found "file:///w/s/nope.ts".',
  ]);
});
