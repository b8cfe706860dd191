import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { Summary } from "../../core/summary/schema.ts";
import { startTarget } from "../../target/mod.ts";
import { count, readSummary, ROOT, runCli } from "./_cli.ts";

const DATA = ROOT + "tests/testdata/declarative/";

async function run(file: string, base: string, extra: string[] = []) {
  const dir = await Deno.makeTempDir();
  const r = await runCli(
    ["run", file, "--env", `TARGET=${base}`, "--env", `BASE_URL=${base}`, ...extra],
    dir,
  );
  return { r, summary: () => readSummary(`${dir}/rampa-summary.json`) };
}

function byName<T extends { name: string }>(list: T[]): Record<string, T> {
  return Object.fromEntries(list.map((x) => [x.name, x]));
}

function checks(s: Summary): Record<string, [number, number]> {
  return Object.fromEntries(s.checks.map((c) => [c.name, [c.passes, c.fails]]));
}

Deno.test("examples/hello.yaml sends its GETs and passes its three checks", async () => {
  const t = startTarget({ quiet: true });
  try {
    const { r, summary } = await run(ROOT + "examples/hello.yaml", t.url, [
      "--env",
      `BASE_URL=${t.url}`,
    ]);
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await summary();
    equal(count(s, "http_reqs"), 40);
    deepEqual(checks(s), {
      "home status 200": [40, 0],
      'home header content-type contains "text/plain"': [40, 0],
      'home contains "Hello, rampa!"': [40, 0],
    });
    ok(s.thresholds.every((x) => x.passed));
  } finally {
    await t.close();
  }
});

Deno.test("examples/login_flow.yaml logs in, extracts the token and uses it as a bearer", async () => {
  const t = startTarget({ quiet: true });
  try {
    const { r, summary } = await run(ROOT + "examples/login_flow.yaml", t.url, [
      "--env",
      `BASE_URL=${t.url}`,
    ]);
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await summary();
    equal(count(s, "iterations"), 20);
    equal(count(s, "http_reqs"), 60);
    equal(byName(s.endpoints)["/api/items/:id"].requests, 20);
    for (const [name, [passes, fails]] of Object.entries(checks(s))) {
      deepEqual([passes, fails], [20, 0], name);
    }
    equal(Object.keys(checks(s)).length, 6);
    equal(s.iterationErrors.length, 0);
    const groups = new Set(
      s.metrics.http_reqs.type === "counter"
        ? s.metrics.http_reqs.breakdown.map((b) => b.tags.group)
        : [],
    );
    deepEqual([...groups].sort(), ["item", "login", "profile"]);
  } finally {
    await t.close();
  }
});

Deno.test("examples/weighted_flows.yaml runs three browse flows per buy flow", async () => {
  const t = startTarget({ quiet: true });
  try {
    // One load thread: the weighted rotation is per thread, so its counts are exact here.
    const { r, summary } = await run(ROOT + "examples/weighted_flows.yaml", t.url, [
      "--env",
      `BASE_URL=${t.url}`,
      "--workers",
      "1",
    ]);
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await summary();
    equal(count(s, "iterations"), 40);
    const c = checks(s);
    deepEqual(c["list status 200"], [30, 0]);
    deepEqual(c["show status 200"], [30, 0]);
    deepEqual(c["checkout status 200 or 201"], [10, 0]);
    deepEqual(c["list extract first"], [30, 0]);
    deepEqual(c["checkout extract echoed"], [10, 0]);
    equal(byName(s.endpoints)["/api/items/:id"].requests, 30);
    equal(count(s, "http_reqs"), 70);
  } finally {
    await t.close();
  }
});

Deno.test("the same flow in YAML and in TypeScript sends the same requests and checks", async () => {
  const t = startTarget({ quiet: true, latencyMs: 3 });
  try {
    const yaml = await run(DATA + "equiv.yaml", t.url);
    equal(yaml.r.code, 0, yaml.r.stderr + yaml.r.stdout);
    const ts = await run(DATA + "equiv.ts", t.url);
    equal(ts.r.code, 0, ts.r.stderr + ts.r.stdout);
    const [y, s] = [await yaml.summary(), await ts.summary()];
    const endpoints = (x: Summary) =>
      Object.fromEntries(
        x.endpoints.map((
          e,
        ) => [`${e.method} ${e.name.replace(t.url, "")}`, [e.requests, e.statuses]]),
      );
    deepEqual(endpoints(y), endpoints(s));
    deepEqual(endpoints(y), {
      "POST /login": [18, { "200": 18 }],
      "GET /me": [18, { "200": 18 }],
      "GET /api/items/:id": [18, { "200": 15, "404": 3 }],
      "GET /status/404": [18, { "404": 18 }],
    });
    deepEqual(checks(y), checks(s));
    deepEqual(checks(y), {
      "login status 200": [18, 0],
      "login extract token": [18, 0],
      "me status 200": [18, 0],
      'me contains ""user""': [18, 0],
      "item status 200": [15, 3],
      "missing status 200": [0, 18],
    });
    for (const x of [y, s]) {
      equal(count(x, "iterations"), 18);
      equal(x.iterationErrors.length, 0);
      const g = x.metrics.group_duration;
      ok(g.type === "trend");
      deepEqual(g.breakdown.map((b) => b.tags.group).sort(), ["item", "login", "me", "missing"]);
    }
  } finally {
    await t.close();
  }
});

Deno.test("a bad YAML scenario exits 2 with file:line:column before sending anything", async () => {
  const t = startTarget({ quiet: true });
  try {
    const { r } = await run(DATA + "bad.yaml", t.url);
    equal(r.code, 2, r.stderr);
    match(
      r.stderr,
      /^error: .*bad\.yaml:6:36: steps\[0\]\.request\.url: Undefined variable "\$\{tokn\}"/m,
    );
    equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    equal(t.stats().requests, 0);
  } finally {
    await t.close();
  }
});
