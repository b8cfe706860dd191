import { equal, match, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { readSummary, ROOT, runCli } from "./_cli.ts";

const DATA = ROOT + "tests/testdata/scenarios/";

async function runWithTarget(args: string[], env: Record<string, string> = {}) {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const out = await runCli(
      ["run", ...args.map((a) => a.replace("$TARGET", target.url))],
      dir,
      { TARGET: target.url, ...env },
    );
    return { ...out, summary: () => readSummary(`${dir}/rampa-summary.json`) };
  } finally {
    await target.close();
  }
}

Deno.test("passing thresholds exit 0 and are listed with observed values", async () => {
  const r = await runWithTarget([
    "$TARGET/",
    "--rate",
    "50/s",
    "-d",
    "1s",
    "--threshold",
    "http_req_duration p(99)<5s",
    "--threshold",
    "error_rate: <1%",
    "--threshold",
    "rps: >10",
  ]);
  equal(r.code, 0, r.stderr);
  match(r.stdout.split("\n")[0], /PASSED: all 3 thresholds passed/);
  const s = await r.summary();
  equal(s.thresholds.length, 3);
  ok(s.thresholds.every((t) => t.passed && t.observed !== null));
});

Deno.test("a failed threshold exits 3 and names the threshold first", async () => {
  const r = await runWithTarget([
    "$TARGET/delay/30",
    "--rate",
    "50/s",
    "-d",
    "1s",
    "--threshold",
    "http_req_duration p(95)<10ms",
  ]);
  equal(r.code, 3, r.stderr);
  match(
    r.stdout.split("\n")[0],
    /FAILED: 1 of 1 thresholds failed \(http_req_duration p\(95\)<10ms/,
  );
  const s = await r.summary();
  equal(s.thresholds[0].passed, false);
  ok((s.thresholds[0].observed ?? 0) >= 30);
});

Deno.test("an abortOnFail threshold stops the run early with exit 4", async () => {
  const r = await runWithTarget([DATA + "abort.ts"]);
  equal(r.code, 4, r.stderr);
  const s = await r.summary();
  equal(s.run.status, "aborted");
  ok(s.run.durationMs < 15_000, `ran ${s.run.durationMs} ms of a planned 30 s`);
  match(s.verdict.summary, /ABORTED: threshold "http_req_duration: p\(99\)<20ms" crossed/);
  equal(s.thresholds[0].passed, false);
});

Deno.test("failed checks exit 5 with --fail-on-check and list reasons", async () => {
  const r = await runWithTarget([DATA + "checks_fail.ts", "--fail-on-check"], {});
  // no-data on never_recorded fails first: thresholds outrank checks.
  equal(r.code, 3, r.stderr);
  const s = await r.summary();
  const nd = s.thresholds.find((t) => t.metric === "never_recorded");
  equal(nd?.status, "no-data");
  equal(nd?.passed, false);
  equal(s.checks[0].fails, 4);
  equal(s.checks[0].reasons?.[0].reason, "got 404");
});

Deno.test("checks alone fail the run only with --fail-on-check", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/c.ts`,
      `import { check, http } from "rampa";\nexport const options = { vus: 1, iterations: 2 };\n` +
        `export default async function () { await http.get("${target.url}/");\n` +
        `check(await http.get("${target.url}/status/500"), ` +
        `{ "ok": (r) => r.status === 200 }); }\n`,
    );
    const plain = await runCli(["run", "c.ts"], dir);
    equal(plain.code, 0, plain.stderr);
    const strict = await runCli(["run", "c.ts", "--fail-on-check"], dir);
    equal(strict.code, 5, strict.stderr);
    match(strict.stdout.split("\n")[0], /FAILED: 1 of 1 checks failed \("ok": 2 of 2\)/);
  } finally {
    await target.close();
  }
});

Deno.test("dropped arrivals within --max-dropped pass; over it exit 7", async () => {
  const args = ["$TARGET/delay/200", "--rate", "50/s", "-d", "1s", "--max-in-flight", "2"];
  const over = await runWithTarget(args);
  equal(over.code, 7, over.stderr);
  const tolerated = await runWithTarget([...args, "--max-dropped", "100%"]);
  equal(tolerated.code, 0, tolerated.stderr);
});

Deno.test("ad-hoc --expect-* checks record each check with a reason and can fail the run", async () => {
  const dir = await Deno.makeTempDir();
  const schema = `${dir}/items.schema.json`;
  await Deno.writeTextFile(
    schema,
    JSON.stringify({
      type: "array",
      items: { type: "object", required: ["id"], properties: { price: { type: "string" } } },
    }),
  );
  const args = [
    "$TARGET/api/items",
    "--rate",
    "20/s",
    "-d",
    "500ms",
    "--expect-status",
    "200,204",
    "--expect-header",
    "content-type: json",
    "--expect-body-json",
    schema,
  ];
  const plain = await runWithTarget(args);
  equal(plain.code, 0, plain.stderr);
  const s = await plain.summary();
  const by = Object.fromEntries(s.checks.map((c) => [c.name, c]));
  equal(by["status is 200 or 204"].fails, 0);
  equal(by['content-type contains "json"'].fails, 0);
  const body = by[`body matches ${schema}`];
  equal(body.passes, 0);
  match(body.reasons?.[0].reason ?? "", /\/0\/price: must be string/);
  const strict = await runWithTarget([...args, "--fail-on-check"]);
  equal(strict.code, 5, strict.stderr);
});
