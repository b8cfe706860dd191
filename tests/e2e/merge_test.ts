import { equal, match, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { count, readSummary, runCli } from "./_cli.ts";

Deno.test("rampa merge adds up two runs and judges thresholds on the merged data", async (t) => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "rampa-e2e-merge-" });
  try {
    // Each run alone passes `count<75` (about 50 requests); together they do not.
    const run = (file: string) =>
      runCli([
        "run",
        `${target.url}/api/items`,
        "--rate",
        "50/s",
        "-d",
        "1s",
        "--summary",
        file,
        "--threshold",
        "http_reqs: count<75",
      ], dir);
    for (const file of ["a.json", "b.json"]) {
      const r = await run(file);
      equal(r.code, 0, r.stderr);
    }
    const a = await readSummary(`${dir}/a.json`);
    const b = await readSummary(`${dir}/b.json`);
    const requests = count(a, "http_reqs") + count(b, "http_reqs");
    ok(requests >= 90, `${requests} requests`);

    await t.step("the merged file sums counts and endpoints, exit 0", async () => {
      const r = await runCli(
        ["merge", "a.json", "b.json", "--out", "m.json", "--threshold", "error_rate: <1%"],
        dir,
      );
      equal(r.code, 0, r.stderr);
      match(r.stdout.split("\n")[0], /PASSED: all 1 thresholds passed/);
      const m = await readSummary(`${dir}/m.json`);
      equal(count(m, "http_reqs"), requests);
      equal(m.endpoints.length, 1);
      equal(m.endpoints[0].requests, a.endpoints[0].requests + b.endpoints[0].requests);
      equal(m.statuses["200"], requests);
      equal(m.load.started, a.load.started + b.load.started);
      equal(m.run.startedAt, a.run.startedAt);
      equal(m.run.endedAt, b.run.endedAt);
    });

    await t.step("a failing --threshold exits 3", async () => {
      const r = await runCli(
        ["merge", "a.json", "b.json", "--threshold", "http_req_duration p(99)<0.001ms"],
        dir,
      );
      equal(r.code, 3, r.stderr);
      match(r.stdout.split("\n")[0], /FAILED: 1 of 1 thresholds failed \(http_req_duration/);
    });

    await t.step("without flags, the first file's thresholds are judged on the sum", async () => {
      const r = await runCli(["merge", "a.json", "b.json", "-q"], dir);
      equal(r.code, 3, r.stderr);
      match(r.stdout, /FAILED: 1 of 1 thresholds failed \(http_reqs count<75\)/);
    });

    await t.step("a file of another schema version exits 2 with one line", async () => {
      const bad = { ...JSON.parse(await Deno.readTextFile(`${dir}/b.json`)), schemaVersion: 2 };
      await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify(bad));
      const r = await runCli(["merge", "a.json", "bad.json"], dir);
      equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split("\n");
      equal(lines.length, 1, r.stderr);
      match(lines[0], /^error: Cannot merge "bad\.json": .*version 2/);
      equal(r.stdout, "");
    });
  } finally {
    await target.close();
  }
});
