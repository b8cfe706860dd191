/**
 * `rampa version` run as a subprocess, from source: the text and JSON forms carry rampa's
 * version, the build's commit ("dev" from source), the target triple and the Deno, V8 and
 * TypeScript versions.
 *
 * @module
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { VERSION } from "../../core/version.ts";
import { COMMIT } from "../../cli/_build_info.ts";
import { runCli } from "../e2e/_cli.ts";

Deno.test("rampa version prints the version, commit, target and Deno, V8 and TypeScript", async () => {
  const r = await runCli(["version"]);
  equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  equal(lines[0], `rampa ${VERSION}`);
  const fields = Object.fromEntries(
    lines.slice(1).map((l) => l.split(/:\s+/, 2) as [string, string]),
  );
  deepEqual(fields, {
    commit: COMMIT,
    target: Deno.build.target,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
  });
  match(VERSION, /^\d+\.\d+\.\d+/);
});

Deno.test("rampa version --json prints one JSON object with the same facts", async () => {
  const r = await runCli(["version", "--json"]);
  equal(r.code, 0, r.stderr);
  equal(r.stdout.trim().split("\n").length, 1, "one line");
  deepEqual(JSON.parse(r.stdout), {
    rampa: VERSION,
    commit: COMMIT,
    target: Deno.build.target,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
  });
});

Deno.test("rampa --version is rampa version; a bad flag is one line and exit 2", async () => {
  const [a, b] = await Promise.all([runCli(["--version"]), runCli(["version"])]);
  equal(a.code, 0);
  equal(a.stdout, b.stdout);
  const bad = await runCli(["version", "--bogus"]);
  equal(bad.code, 2);
  match(bad.stderr, /^error: .*--bogus.*\(see rampa version --help\)\n$/);
  const help = await runCli(["version", "--help"]);
  equal(help.code, 0);
  ok(help.stdout.startsWith("Usage: rampa version"));
});

Deno.test("the top-level usage lists the version command", async () => {
  const r = await runCli(["help"]);
  equal(r.code, 0);
  match(r.stdout, /^ {2}version {2,}\S.*--json/m);
});
