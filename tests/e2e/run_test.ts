import { equal, match, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { count, readSummary, runCli, spawnCli } from "./_cli.ts";

Deno.test("rampa run prints the summary and writes a summary file valid against the schema", async () => {
  const target = startTarget({ quiet: true, latencyMs: 2 });
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      [`${target.url}/api/items`, "--rate", "100/s", "-d", "1s"].reduce(
        (a, x) => [...a, x],
        ["run"],
      ),
      dir,
    );
    equal(r.code, 0, r.stderr);
    match(r.stdout.split("\n")[0], /PASSED/);
    match(r.stdout, /latency/);
    match(r.stdout, /GET .*api\/items/);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(s.load.planned, 100);
    equal(s.load.started, 100);
    equal(s.metrics.http_reqs.type, "counter");
    equal(count(s, "http_reqs"), 100);
    equal(s.statuses["200"], 100);
    equal(target.stats().byPath["/api/items"], 100);
    const d = s.metrics.http_req_duration;
    ok(d.type === "trend" && d.p50 >= 2, "latency includes the target's 2 ms");
    equal(s.endpoints.length, 1);
    equal(s.endpoints[0].requests, 100);
  } finally {
    await target.close();
  }
});

Deno.test("a stalled target shows in p99 and does not reduce the offered load", async () => {
  // Stall windows are the last 1 s of every 3 s: a 4 s run crosses [2 s, 3 s).
  const target = startTarget({ quiet: true, stall: { forMs: 1000, everyMs: 3000 } });
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", `${target.url}/`, "--rate", "100/s", "-d", "4s", "--summary", "s.json"],
      dir,
    );
    equal(r.code, 0, r.stderr);
    const s = await readSummary(`${dir}/s.json`);
    const reqs = count(s, "http_reqs");
    ok(Math.abs(reqs - 400) <= 4, `requests ${reqs} within 1% of 400`);
    equal(s.load.dropped, 0);
    const d = s.metrics.http_req_duration;
    ok(
      d.type === "trend" && d.p99 >= 900,
      `p99 ${d.type === "trend" && d.p99} ms reflects the stall`,
    );
  } finally {
    await target.close();
  }
});

Deno.test("a too-small in-flight cap drops arrivals, says so, and exits 7", async () => {
  const target = startTarget({ quiet: true, latencyMs: 100 });
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", `${target.url}/`, "--rate", "100/s", "-d", "1s", "--max-in-flight", "2"],
      dir,
    );
    equal(r.code, 7, r.stderr);
    match(r.stdout, /planned load was not delivered/);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    ok(s.load.dropped > 50, `dropped ${s.load.dropped}`);
    equal(s.load.started + s.load.dropped, 100);
    equal(s.load.delivered, false);
    equal(s.health.verdict, "load-not-delivered");
    equal(count(s, "dropped_iterations"), s.load.dropped);
  } finally {
    await target.close();
  }
});

Deno.test("closed loop with --vus sends back to back and reports service time", async () => {
  const target = startTarget({ quiet: true, latencyMs: 5 });
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(["run", `${target.url}/`, "--vus", "4", "-d", "500ms"], dir);
    equal(r.code, 0, r.stderr);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(s.load.planned, null);
    equal(s.scenarios[0].executor, "constant-vus");
    ok(count(s, "http_reqs") >= 8);
  } finally {
    await target.close();
  }
});

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  Deno.test(`${signal} mid-run stops gracefully and still writes the summary`, async () => {
    const target = startTarget({ quiet: true });
    const dir = await Deno.makeTempDir();
    try {
      const child = spawnCli(["run", `${target.url}/`, "--rate", "50/s", "-d", "30s"], dir);
      // Wait until load is flowing, then interrupt.
      const t0 = performance.now();
      while (target.stats().requests < 20 && performance.now() - t0 < 15_000) {
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill(signal);
      const out = await child.output();
      equal(out.code, 130, new TextDecoder().decode(out.stderr));
      const s = await readSummary(`${dir}/rampa-summary.json`);
      equal(s.run.status, "interrupted");
      ok(count(s, "http_reqs") >= 20);
      match(new TextDecoder().decode(out.stdout), /INTERRUPTED/);
    } finally {
      await target.close();
    }
  });
}

Deno.test("--warmup sends the load first but measures only the run", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", `${target.url}/`, "--rate", "100/s", "-d", "1s", "--warmup", "500ms"],
      dir,
    );
    equal(r.code, 0, r.stderr);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(count(s, "http_reqs"), 100, "the summary holds the measured run only");
    ok(
      target.stats().requests >= 140,
      `the target also saw the warm-up: ${target.stats().requests}`,
    );
    equal(s.run.config.warmupMs, 500);
  } finally {
    await target.close();
  }
});

Deno.test("a run from 10,000/s rehearses on a stand-in: the target sees exactly the plan", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    for (const off of [false, true]) {
      const before = target.stats().requests;
      const r = await runCli(
        [
          "run",
          `${target.url}/`,
          "--rate",
          "10000/s",
          "-d",
          "200ms",
          ...(off ? ["--no-rehearsal"] : []),
        ],
        dir,
      );
      equal(r.code, 0, r.stderr);
      const s = await readSummary(`${dir}/rampa-summary.json`);
      equal(count(s, "http_reqs"), 2000);
      equal(target.stats().requests - before, 2000, "no rehearsed request reached the target");
      equal(s.run.config.rehearse, !off);
      // Said in the health notes, on the console and in the JSON, never silently.
      const said = (s.health.notes ?? []).some((n) => /rehearsed on a stand-in/.test(n));
      equal(said, !off);
      equal(/rehearsed on a stand-in/.test(r.stdout.replace(/\s+/g, " ")), !off);
    }
  } finally {
    await target.close();
  }
});

Deno.test("--timing: every mode delivers the plan; the default (slice) and efficient never yield, spin and precise do", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const spin: Record<string, number> = {};
    // 300/s: above the rate where precise mode starts its waker thread.
    for (const mode of ["default", "precise", "slice", "efficient", "spin"]) {
      const r = await runCli(
        ["run", `${target.url}/`, "--rate", "300/s", "-d", "1s", "--workers", "1"]
          .concat(mode === "default" ? [] : ["--timing", mode])
          .concat(["--summary", `${mode}.json`, "-q"]),
        dir,
      );
      equal(r.code, 0, r.stderr);
      const s = await readSummary(`${dir}/${mode}.json`);
      equal(s.load.started, 300, mode);
      equal(s.load.dropped, 0, mode);
      spin[mode] = s.health.timingSpin;
    }
    equal(spin.efficient, 0);
    equal(spin.default, 0, "the default timing never yields (issue 13: no yielding loops)");
    equal(spin.slice, 0, "slice mode never yields: the waker's wake-ups are its precision");
    ok(spin.spin > 0, `spin mode yielded (${spin.spin})`);
    ok(spin.precise > 0, `precise mode yielded (${spin.precise})`);
  } finally {
    await target.close();
  }
});
