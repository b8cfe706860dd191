/**
 * k6 scripts from the converter's corpus, converted and run with the real CLI against the
 * embedded target: each converted scenario must run to exit 0 and send exactly the requests
 * the k6 script would have sent.
 */
import { equal, ok } from "node:assert/strict";
import { convertK6 } from "../../cli/convert/k6/mod.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { startTarget } from "../../target/mod.ts";
import { count, readSummary, ROOT, spawnCli } from "./_cli.ts";

const CORPUS = ROOT + "tests/testdata/k6/";
/** A converted run that is still going after this is stuck: fail rather than hang. */
const BOUND_MS = 30_000;

function checkCounts(s: Summary): Record<string, { passes: number; fails: number }> {
  return Object.fromEntries(s.checks.map((c) => [c.name, { passes: c.passes, fails: c.fails }]));
}

/** Converts `name.js`, runs it against `url`, returns the summary (exit 0 asserted). */
async function convertAndRun(name: string, url: string): Promise<Summary> {
  const dir = await Deno.makeTempDir({ prefix: `rampa-k6-${name}-` });
  const { code } = convertK6(await Deno.readTextFile(`${CORPUS}${name}.js`), `${name}.js`);
  await Deno.writeTextFile(`${dir}/${name}.ts`, code);
  await Deno.copyFile(`${CORPUS}users.json`, `${dir}/users.json`);
  // BASE_URL both ways: the process environment (module-level __ENV) and --env (ctx.env).
  const child = spawnCli(
    ["run", `${dir}/${name}.ts`, "--env", `BASE_URL=${url}`, "--workers", "1"],
    dir,
    { BASE_URL: url },
  );
  const timer = setTimeout(() => child.kill("SIGKILL"), BOUND_MS);
  const t0 = performance.now();
  const out = await child.output();
  clearTimeout(timer);
  const dec = new TextDecoder();
  equal(out.code, 0, `${name}: ${dec.decode(out.stderr)}\n${dec.decode(out.stdout)}\n${code}`);
  ok(performance.now() - t0 < BOUND_MS, `${name} ran into the bound`);
  const s = await readSummary(`${dir}/rampa-summary.json`);
  await Deno.remove(dir, { recursive: true });
  return s;
}

Deno.test("converted k6 scripts run against the embedded target with k6's request counts", async (t) => {
  const target = startTarget({ quiet: true });
  try {
    await t.step("basic: 6 iterations, one request and two checks each", async () => {
      const s = await convertAndRun("basic", target.url);
      equal(count(s, "iterations"), 6);
      equal(count(s, "http_reqs"), 6);
      const c = checkCounts(s);
      equal(c["status is 200"].passes, 6);
      equal(c["has items"].passes, 6);
    });

    await t.step("groups_setup: setup login, then three requests per iteration", async () => {
      const s = await convertAndRun("groups_setup", target.url);
      equal(count(s, "http_reqs"), 1 + 4 * 3);
      const c = checkCounts(s);
      equal(c["me ok"].passes, 4, "the setup token reached every VU as data");
      equal(c["json content"].passes, 4);
      const byName = Object.fromEntries(s.endpoints.map((e) => [e.name, e.requests]));
      equal(byName["items"], 4);
      equal(byName["/api/items/:id"], 4);
      const reqs = s.metrics.http_reqs;
      ok(reqs.type === "counter");
      ok(reqs.breakdown.some((b) => b.tags.group === "catalog::detail"));
    });

    await t.step("scenarios: two exec functions, exact per-scenario counts", async () => {
      const s = await convertAndRun("scenarios", target.url);
      const it = s.metrics.iterations;
      ok(it.type === "counter");
      const per = Object.fromEntries(it.breakdown.map((b) => [b.tags.scenario, b.count]));
      equal(per.readers, 8);
      equal(per.writers, 6);
      equal(count(s, "http_reqs"), 14);
      const c = checkCounts(s);
      equal(c["read ok"].passes, 8);
      equal(c["echoed"].passes, 6, "__VU became ctx.vu on both sides of the echo");
    });

    await t.step("metrics: custom counter, trend, rate and gauge record", async () => {
      const s = await convertAndRun("metrics", target.url);
      equal(count(s, "http_reqs"), 5);
      equal(count(s, "orders"), 5);
      equal(count(s, "items_ok"), 5);
      const trend = s.metrics.items_waiting;
      ok(trend?.type === "trend" && trend.count === 5, JSON.stringify(trend));
    });

    await t.step("shared_array: users from open() + SharedArray log in", async () => {
      const s = await convertAndRun("shared_array", target.url);
      equal(count(s, "http_reqs"), 6);
      equal(checkCounts(s)["logged in"].passes, 6);
    });

    await t.step("helpers: async helpers and ctx threaded into them", async () => {
      const s = await convertAndRun("helpers", target.url);
      equal(count(s, "http_reqs"), 4 * 3);
      equal(checkCounts(s)["item ok"].passes, 8);
    });

    await t.step("batch: http.batch and every method", async () => {
      const s = await convertAndRun("batch", target.url);
      equal(count(s, "http_reqs"), 3 * 8);
      const c = checkCounts(s);
      equal(c["batch item"].passes, 3);
      equal(c["batch echo"].passes, 3);
      equal(c["head ok"].passes, 3);
      const methods = new Set(s.endpoints.map((e) => e.method));
      for (const m of ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]) {
        ok(methods.has(m), `${m} in ${[...methods]}`);
      }
    });

    await t.step("form_body: object bodies go out as forms, as in k6", async () => {
      const s = await convertAndRun("form_body", target.url);
      equal(count(s, "http_reqs"), 4);
      const c = checkCounts(s);
      equal(c["form sent"].passes, 2);
      equal(c["form header"].passes, 2);
    });

    await t.step(
      "http_semantics: expected statuses, redirects, responseType, batch forms",
      async () => {
        const s = await convertAndRun("http_semantics", target.url);
        equal(count(s, "http_reqs"), 2 * 5);
        const failed = s.metrics.http_req_failed;
        ok(
          failed?.type === "rate" && failed.rate === 0,
          "the 404 (thread rule) and 418 (own rule) expected",
        );
        const c = checkCounts(s);
        for (
          const name of [
            "404 expected",
            "418 expected",
            "302 kept",
            "batch form",
            "batch form object",
          ]
        ) {
          equal(c[name]?.passes, 2, name);
        }
        const byName = Object.fromEntries(s.endpoints.map((e) => [e.name, e.requests]));
        equal(byName["batch-form"], 2);
      },
    );

    await t.step("stages: the top-level k6 stages ramp VUs up and down", async () => {
      const s = await convertAndRun("stages", target.url);
      const reqs = count(s, "http_reqs");
      ok(reqs >= 2, `${reqs} requests`);
      equal(checkCounts(s).healthy.fails, 0);
    });

    await t.step("arrival_rate: open-loop scenarios keep k6's rates", async () => {
      const s = await convertAndRun("arrival_rate", target.url);
      const it = s.metrics.iterations;
      ok(it.type === "counter");
      const per = Object.fromEntries(it.breakdown.map((b) => [b.tags.scenario, b.count]));
      equal(per.steady, 10, "20/s for 500 ms");
      ok(per.ramp >= 3 && per.ramp <= 6, `ramp 0→20/s over 500 ms: ${per.ramp}`);
      const byName = Object.fromEntries(s.endpoints.map((e) => [e.name, e.requests]));
      equal(byName["items-steady"], 10, "exec.scenario.name became ctx.scenario");
    });
  } finally {
    await target.close();
  }
});
