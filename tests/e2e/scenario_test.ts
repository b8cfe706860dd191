import { equal, match, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { count, readSummary, ROOT, runCli } from "./_cli.ts";

const DATA = ROOT + "tests/testdata/scenarios/";

function oneLine(stderr: string): string {
  ok(!/\n\s+at /.test(stderr), `no stack trace: ${stderr}`);
  return stderr.trim().split("\n")[0];
}

Deno.test("the REST example runs with setup data, groups, CSV users and cookies", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", ROOT + "examples/rest_flow.ts", "--env", `BASE_URL=${target.url}`],
      dir,
    );
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(s.scenarios[0].name, "browse");
    equal(s.scenarios[0].started, 60);
    equal(count(s, "iterations"), 60);
    // 1 setup login + 4 requests per iteration.
    equal(count(s, "http_reqs"), 241);
    const byName = Object.fromEntries(s.endpoints.map((e) => [e.name, e.requests]));
    equal(byName["/api/items/:id"], 60);
    const checks = Object.fromEntries(s.checks.map((c) => [c.name, c]));
    equal(checks["session cookie works"].passes, 60);
    equal(checks["items have the right shape"].fails, 0);
    const checkSeries = s.metrics.checks;
    ok(checkSeries.type === "rate");
    ok(
      checkSeries.breakdown.some((b) =>
        b.tags.check === "item found" && b.tags.name === "/api/items/:id" &&
        b.tags.group === "catalog"
      ),
      "checks on a response carry its endpoint and group",
    );
    const reqs = s.metrics.http_reqs;
    ok(reqs.type === "counter");
    const groups = new Set(reqs.breakdown.map((b) => b.tags.group).filter(Boolean));
    ok(groups.has("catalog") && groups.has("account"), [...groups].join(","));
  } finally {
    await target.close();
  }
});

Deno.test("several scenarios run with their own executor, exec, tags and nested groups", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const out = await runCli(["run", DATA + "multi.ts"], dir, { TARGET: target.url });
    equal(out.code, 0, out.stderr);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    const it = s.metrics.iterations;
    ok(it.type === "counter");
    const per = Object.fromEntries(it.breakdown.map((b) => [b.tags.scenario, b.count]));
    equal(per.readers, 20);
    equal(per.writers, 6);
    const reqs = s.metrics.http_reqs;
    ok(reqs.type === "counter");
    const pay = reqs.breakdown.find((b) => b.tags.group === "checkout::pay");
    equal(pay?.count, 6);
    equal(pay?.tags.scenario, "writers");
    const browse = reqs.breakdown.find((b) => b.tags.group === "browse");
    equal(browse?.tags.team, "catalog");
    const cart = s.metrics.cart_ms;
    ok(cart.type === "trend" && cart.count === 6);
  } finally {
    await target.close();
  }
});

Deno.test("a scenario that throws records iteration errors and the VU carries on", async () => {
  const dir = await Deno.makeTempDir();
  // Half of the iterations throw: tolerated only when the user says so.
  const r = await runCli(
    ["run", DATA + "iteration_throws.ts", "--max-iteration-errors", "50%"],
    dir,
  );
  equal(r.code, 0, r.stderr);
  match(r.stdout, /iteration errors {2}5 of 10 iterations \(50\.0%\)/);
  match(r.stdout, /TypeError +5 {2}odd iteration/);
  const s = await readSummary(`${dir}/rampa-summary.json`);
  equal(s.iterationErrors[0].kind, "TypeError");
  equal(s.iterationErrors[0].count, 5);
  match(s.iterationErrors[0].example, /odd iteration/);
  equal(count(s, "done_iterations"), 5);
  equal(count(s, "iterations"), 10);
});

Deno.test("iterations throwing over the default 10% fail the run with exit 6, said first", async () => {
  const dir = await Deno.makeTempDir();
  const r = await runCli(["run", DATA + "iteration_throws.ts"], dir);
  equal(r.code, 6, r.stderr);
  match(
    r.stdout.split("\n")[0],
    /FAILED: 50% of iterations threw \(5 of 10, tolerance 10%; TypeError/,
  );
  const s = await readSummary(`${dir}/rampa-summary.json`);
  equal(s.verdict.exitCode, 6);
});

Deno.test("a threshold can judge iteration_errors", async () => {
  const dir = await Deno.makeTempDir();
  const r = await runCli([
    "run",
    DATA + "iteration_throws.ts",
    "--max-iteration-errors",
    "100%",
    "--threshold",
    "iteration_errors: count<1",
  ], dir);
  equal(r.code, 3, r.stderr);
  match(r.stdout, /iteration_errors/);
});

Deno.test("Deno.exit and unhandled rejections in scenario code are its errors, not rampa's exit", async () => {
  const dir = await Deno.makeTempDir();
  const r = await runCli(["run", DATA + "exits.ts"], dir);
  // 2 of 20 iterations failed (10%): within the default tolerance, so the run passes.
  equal(r.code, 0, r.stderr);
  const s = await readSummary(`${dir}/rampa-summary.json`);
  equal(s.load.started, 20);
  const kinds = Object.fromEntries(s.iterationErrors.map((e) => [e.kind, e]));
  equal(kinds.ScenarioExit.count, 1);
  match(kinds.ScenarioExit.example, /called exit\(0\)/);
  equal(kinds.UnhandledRejection.count, 1);
  match(kinds.UnhandledRejection.example, /nobody awaited me/);
});

Deno.test("scenario code runs without rampa's permissions unless granted", async () => {
  const dir = await Deno.makeTempDir();
  const probe = `${dir}/probe.ts`;
  await Deno.writeTextFile(
    probe,
    `export const options = { vus: 1, iterations: 1 };
export function setup() { try { Deno.readTextFileSync("/etc/hostname"); return "read"; } catch (e) { return (e as Error).name; } }
export default function (ctx: { data: string }) {
  let run = "ran";
  try { new Deno.Command("true").outputSync(); } catch (e) { run = (e as Error).name; }
  if (ctx.data !== "NotCapable" || run !== "NotCapable") throw new Error(\`setup \${ctx.data}, run \${run}\`);
}`,
  );
  const confined = await runCli(["run", probe, "--max-iteration-errors", "0"], dir);
  equal(confined.code, 0, confined.stdout + confined.stderr);
  const all = await runCli(["run", probe, "--allow-all", "--max-iteration-errors", "0"], dir);
  equal(all.code, 6, all.stdout);
  match(all.stdout, /setup read, run ran/);
});

Deno.test("options.engine picks the file's engine; --engine wins; an unknown one is exit 2", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const file = (engine: string) =>
      `import { http } from "rampa";\nexport const options = { vus: 1, iterations: 3, engine: "${engine}" };\n` +
      `export default async function () { await http.get("${target.url}/"); }\n`;
    await Deno.writeTextFile(`${dir}/f.ts`, file("fetch"));
    const r = await runCli(["run", "f.ts"], dir);
    equal(r.code, 0, r.stderr);
    equal((await readSummary(`${dir}/rampa-summary.json`)).run.config.engine, "fetch");
    const flag = await runCli(["run", "f.ts", "--engine", "http1"], dir);
    equal(flag.code, 0, flag.stderr);
    equal((await readSummary(`${dir}/rampa-summary.json`)).run.config.engine, "http1");
    await Deno.writeTextFile(`${dir}/g.ts`, file("nosuch"));
    const bad = await runCli(["run", "g.ts"], dir);
    equal(bad.code, 2);
    match(bad.stderr, /options\.engine/);
  } finally {
    await target.close();
  }
});

Deno.test("--dry-run prints the plan and sends nothing", async () => {
  const r = await runCli(["run", DATA + "multi.ts", "--dry-run"]);
  equal(r.code, 0, r.stderr);
  match(r.stdout, /readers: shared-iterations/);
  match(r.stdout, /writers: per-vu-iterations from 100ms/);
});

Deno.test("shortcut flags replace the file's scenarios", async () => {
  const r = await runCli([
    "run",
    DATA + "iteration_throws.ts",
    "--dry-run",
    "--vus",
    "3",
    "--duration",
    "2s",
  ]);
  equal(r.code, 0, r.stderr);
  // The file says iterations: 10; with --vus and --duration that is shared-iterations, as in k6.
  match(r.stdout, /default: shared-iterations, 2s, 10 iterations, peak 3 VUs/);
});

const bad: [string, string, number, RegExp][] = [
  ["a syntax error", "syntax_error.ts", 2, /Syntax error in .*syntax_error\.ts:2:\d+/],
  ["a missing file", "nope.ts", 2, /Cannot find scenario file/],
  ["a missing default export", "no_default.ts", 2, /No default export/],
  ["invalid options", "bad_options.ts", 2, /^error: options\./],
  ["a setup() that throws", "setup_throws.ts", 6, /setup\(\) failed: database is down/],
  ["a teardown() that throws", "teardown_throws.ts", 6, /teardown\(\) failed: cleanup failed/],
];
for (const [what, file, code, message] of bad) {
  Deno.test(`${what} gets one clear message and exit code ${code}`, async () => {
    const r = await runCli(["run", DATA + file]);
    equal(r.code, code, r.stderr);
    match(oneLine(r.stderr), message);
  });
}

Deno.test("invalid options report every issue at once", async () => {
  const r = await runCli(["run", DATA + "bad_options.ts"]);
  equal(r.code, 2);
  const lines = r.stderr.trim().split("\n");
  ok(lines.some((l) => /scenarios\.a\.rate/.test(l)));
  ok(lines.some((l) => /scenarios\.a\.duration/.test(l)));
  ok(lines.some((l) => /scenarios\.b\.executor/.test(l)));
  ok(lines.some((l) => /options\.colour/.test(l)));
});

Deno.test('a scenario outside the project imports "rampa" by its bare name', async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/outside.ts`,
    `import { Counter, check } from "rampa";\nimport { helper } from "./helper.ts";\n` +
      `export const options = { vus: 1, iterations: 2 };\nconst c = new Counter("outside");\n` +
      `export default function () { c.add(helper()); check(1, { "one": (v) => v === 1 }); }\n`,
  );
  await Deno.writeTextFile(`${dir}/helper.ts`, `export const helper = () => 2;\n`);
  const r = await runCli(["run", "outside.ts"], dir);
  equal(r.code, 0, r.stderr);
  const s = await readSummary(`${dir}/rampa-summary.json`);
  equal(count(s, "outside"), 4);
  equal(s.checks[0].passes, 2);
});
