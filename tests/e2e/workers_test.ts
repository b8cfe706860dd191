import { equal, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { count, readSummary, ROOT, runCli } from "./_cli.ts";

const DATA = ROOT + "tests/testdata/scenarios/";

function run(args: string[], target: string, dir: string) {
  return runCli(["run", ...args], dir, { TARGET: target });
}

Deno.test("an open-loop run on 1 and 2 workers sends the same planned load", async () => {
  const target = startTarget({ quiet: true, latencyMs: 20 });
  const dir = await Deno.makeTempDir();
  try {
    for (const workers of ["1", "2"]) {
      const r = await run(
        [
          `${target.url}/api/items`,
          "--rate",
          "200/s",
          "-d",
          "2s",
          "--workers",
          workers,
          "--summary",
          `w${workers}.json`,
        ],
        target.url,
        dir,
      );
      equal(r.code, 0, r.stderr);
    }
    const one = await readSummary(`${dir}/w1.json`);
    const two = await readSummary(`${dir}/w2.json`);
    equal(count(one, "http_reqs"), 400);
    equal(count(two, "http_reqs"), 400);
    equal(two.endpoints[0].requests, 400);
    equal(one.workers, undefined);
    equal(two.workers?.length, 2);
    equal(two.workers!.reduce((s, w) => s + w.started, 0), 400);
    equal(two.workers![0].started, 200, "arrivals are striped evenly");
    for (const s of [one, two]) {
      const d = s.metrics.http_req_duration;
      ok(d.type === "trend" && d.p50 >= 20, "latency reflects the target's 20 ms");
    }
  } finally {
    await target.close();
  }
});

Deno.test("a scenario's shared iterations stay exactly N across workers", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const r = await run([DATA + "multi.ts", "--workers", "2"], target.url, dir);
    equal(r.code, 0, r.stderr);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    const it = s.metrics.iterations;
    ok(it.type === "counter");
    const per = Object.fromEntries(it.breakdown.map((b) => [b.tags.scenario, b.count]));
    equal(per.readers, 20);
    equal(per.writers, 6);
    const checks = Object.fromEntries(s.checks.map((c) => [c.name, c.passes]));
    equal(checks["browse ok"], 20);
  } finally {
    await target.close();
  }
});

Deno.test("a worker that dies mid-run is reported and the survivors' results are kept", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const r = await run([DATA + "crash.ts", "--workers", "2"], target.url, dir);
    equal(r.code, 10, r.stderr);
    ok(/worker 1 stopped responding|worker 1 crashed/.test(r.stderr), r.stderr);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(s.workers?.[1].lost, true);
    equal(s.workers?.[0].lost, false);
    // VU 1 (worker 0) completed all 20 iterations; VU 2 got through 5 before it died.
    ok(count(s, "iterations") >= 20, `iterations ${count(s, "iterations")}`);
    equal(s.verdict.exitCode, 10);
  } finally {
    await target.close();
  }
});
