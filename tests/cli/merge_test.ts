import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import {
  legacyOut,
  MERGE_USAGE,
  mergeCommand,
  readSummaries,
  thresholdsForMerge,
} from "../../cli/commands/merge.ts";
import { ConfigError, ExitCode } from "../../core/errors.ts";
import { knownMetrics } from "../../core/scenario/thresholds_setup.ts";
import { type Summary, SummarySchema } from "../../core/summary/schema.ts";
import { parseThresholds, ThresholdEvaluator } from "../../core/thresholds/mod.ts";
import { makeRequests, recordRun, summaryOf } from "../core/summary/_merge_fixture.ts";

/** A 1 s run of 100 requests that records `p(99)<1s` and its result. */
function judgedRun(seed: number, expressions = ["p(99)<1s"]): Summary {
  const thresholds = parseThresholds({ http_req_duration: expressions }, knownMetrics());
  const spec = { durationMs: 1000, requests: makeRequests(100, 1000, seed) };
  const { result } = recordRun(spec);
  return summaryOf(spec, {
    thresholds: new ThresholdEvaluator(thresholds).results(result.total, 1000),
    thresholdDefs: thresholds,
  });
}

async function files(...list: unknown[]): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-merge-" });
  return await Promise.all(list.map(async (s, i) => {
    const path = `${dir}/${i}.json`;
    await Deno.writeTextFile(path, typeof s === "string" ? s : JSON.stringify(s));
    return path;
  }));
}

/** Runs `fn` with console.log captured. */
async function captured(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const log = console.log;
  let out = "";
  console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
  try {
    return { code: await fn(), out };
  } finally {
    console.log = log;
  }
}

Deno.test("merge reads every file and reports each unusable one on one line", async () => {
  const good = judgedRun(1);
  const broken = structuredClone(good) as Record<string, unknown>;
  delete (broken.run as Record<string, unknown>).startedAt;
  const paths = await files(good, "{ not json", { ...good, schemaVersion: 2 }, broken);
  const missing = paths[0].replace("0.json", "none.json");
  await rejects(readSummaries([...paths, missing]), (e) => {
    ok(e instanceof ConfigError);
    equal(e.issues.length, 4);
    match(e.issues[0], /^Cannot parse ".*1\.json": /);
    match(e.issues[1], /^Cannot merge ".*2\.json": it is "rampa\.summary" version 2, expected/);
    match(e.issues[2], /^Invalid summary ".*3\.json" at run\.startedAt: /);
    match(e.issues[3], /^Cannot read ".*none\.json": /);
    ok(e.issues.every((l) => !l.includes("\n")));
    return true;
  });
  equal((await readSummaries([paths[0]]))[0].summary.load.started, 100);
});

Deno.test("merge judges --threshold flags, else the first file's recorded thresholds", () => {
  const a = { name: "a.json", summary: judgedRun(1, ["p(99)<1s", "avg<1s over 10s"]) };
  deepEqual(thresholdsForMerge([a], []).map((t) => [t.key, t.expression, t.windowMs]), [
    ["http_req_duration", "p(99)<1s", null],
    ["http_req_duration", "avg<1s over 10s", 10_000],
  ]);
  deepEqual(
    thresholdsForMerge([a], ["error_rate: <1%"]).map((t) => [t.key, t.metric]),
    [["error_rate", "http_req_failed"]],
  );
  // Files written before run.thresholdSpecs existed: rebuilt from their results.
  const old = structuredClone(a.summary);
  delete old.run.thresholdSpecs;
  deepEqual(
    thresholdsForMerge([{ name: "old.json", summary: old }], []).map((t) => t.expression),
    ["p(99)<1s", "avg<1s over 10s"],
  );
  // Custom metrics defined by the inputs are known to --threshold.
  const custom = structuredClone(a.summary);
  custom.snapshot.metrics.push({ name: "cart_size", kind: "trend", unit: "none" });
  equal(thresholdsForMerge([{ name: "c.json", summary: custom }], ["cart_size: max<10"]).length, 1);
  throws(() => thresholdsForMerge([a], ["no_such_metric: count<1"]), ConfigError);
});

Deno.test("merge prints the summary, writes --out and exits with the merged verdict", async () => {
  const paths = await files(judgedRun(1), judgedRun(2));
  const out = paths[0].replace("0.json", "merged.json");
  const ok0 = await captured(() => mergeCommand([...paths, "--out", out, "--no-color"]));
  equal(ok0.code, ExitCode.OK);
  match(ok0.out, /^✓ PASSED: all 1 thresholds passed/);
  match(ok0.out, /requests\s+200/);
  const merged = SummarySchema.parse(JSON.parse(await Deno.readTextFile(out)));
  equal(merged.load.started, 200);
  deepEqual(merged.run.config.merged, paths);

  const failed = await captured(() =>
    mergeCommand([...paths, "-q", "--threshold", "http_reqs: count<150"])
  );
  equal(failed.code, ExitCode.THRESHOLDS_FAILED);
  equal(failed.out, "✗ FAILED: 1 of 1 thresholds failed (http_reqs count<150)\n");
});

Deno.test("merge --out takes name=path outputs like run; a bare path still means json", async () => {
  const paths = await files(judgedRun(1), judgedRun(2));
  const dir = paths[0].replace(/\/0\.json$/, "");
  const { code } = await captured(() =>
    mergeCommand([
      ...paths,
      "-q",
      "--out",
      `json=${dir}/m.json`,
      "--out",
      `junit=${dir}/j.xml`,
      "--out",
      `html=${dir}/r.html`,
      "--out",
      `${dir}/legacy.json`,
    ])
  );
  equal(code, ExitCode.OK);
  equal(
    SummarySchema.parse(JSON.parse(await Deno.readTextFile(`${dir}/m.json`))).load.started,
    200,
  );
  equal(await Deno.readTextFile(`${dir}/legacy.json`), await Deno.readTextFile(`${dir}/m.json`));
  match(
    await Deno.readTextFile(`${dir}/j.xml`),
    /<testcase name="http_req_duration p\(99\)&lt;1s"/,
  );
  match(await Deno.readTextFile(`${dir}/r.html`), /^<!doctype html>/);

  deepEqual(
    ["merged.json", "out/m.json", "json=m.json", "console", "html", "console?quiet=true"].map(
      legacyOut,
    ),
    ["json=merged.json", "json=out/m.json", "json=m.json", "console", "html", "console?quiet=true"],
  );
});

Deno.test("merge checks --out before reading any file, and reports a failed write", async () => {
  // The files do not exist: the --out problems are found first, all at once.
  await rejects(mergeCommand(["nope.json", "--out", "csv=c.csv", "--out", "jsno=x"]), (e) => {
    ok(e instanceof ConfigError);
    equal(e.issues.length, 2);
    match(e.issues[0], /^Output "csv" .* cannot be written from a saved summary/);
    match(e.issues[1], /^Unknown output "jsno" .*\(did you mean json\?\)/);
    return true;
  });
  await rejects(mergeCommand(["nope.json", "--out", "html"]), /Missing target in --out "html"/);

  const paths = await files(judgedRun(1));
  const error = console.error;
  let err = "";
  console.error = (...a: unknown[]) => void (err += a.join(" ") + "\n");
  try {
    const bad = paths[0].replace("0.json", "missing/m.json");
    const { code, out } = await captured(() => mergeCommand([...paths, "--out", `json=${bad}`]));
    equal(code, ExitCode.OUTPUT_FAILED);
    match(out, /^✓ PASSED/);
    match(err, /^error: Cannot write to ".*missing\/m\.json"/);
  } finally {
    console.error = error;
  }
});

Deno.test("merge usage and flag errors", async () => {
  equal((await captured(() => mergeCommand(["--help"]))).out, MERGE_USAGE + "\n");
  match(MERGE_USAGE, /--out <name=path>/);
  match(MERGE_USAGE, /^ {2}junit=path {11}thresholds and checks/m);
  ok(!MERGE_USAGE.includes("csv=path"), "csv needs a live run");
  await rejects(mergeCommand([]), /Missing the summary files to merge/);
  await rejects(mergeCommand(["a.json", "--max-dropped", "x"]), /Cannot parse --max-dropped "x"/);
  await rejects(mergeCommand(["--bogus"]), /see rampa merge --help/);
});
