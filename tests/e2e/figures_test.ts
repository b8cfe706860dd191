/**
 * The figures a user reads after a run with several scenarios, through the real CLI against
 * the embedded target: offered rates per scenario and overall, iterations/s beside
 * requests/s, custom metrics in every summary, per-endpoint charts, units on tagged
 * thresholds, and `--summary -` putting the JSON on stdout.
 */
import { equal, match, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { readSummary, runCli } from "./_cli.ts";
import { SummarySchema } from "../../core/summary/schema.ts";

/** Two scenarios: an arrival-rate one making two requests per iteration, and a VU one. */
const SCENARIO = `
import { Counter, Gauge, http, Rate, sleep, Trend } from "rampa";
const BASE = Deno.env.get("TARGET");
const orders = new Counter("orders_placed");
const cart = new Trend("cart_ms", true);
const hits = new Rate("cache_hits");
const depth = new Gauge("queue_depth");
export const options = {
  scenarios: {
    api: { executor: "constant-arrival-rate", rate: 20, duration: "2s", preAllocatedVUs: 4,
      exec: "api" },
    browse: { executor: "constant-vus", vus: 1, duration: "1s", exec: "browse" },
  },
  thresholds: { "http_req_duration{scenario:api}": ["p(95)<5000"] },
};
export async function api() {
  const t0 = performance.now();
  await http.get(\`\${BASE}/api/items\`);
  await http.get(\`\${BASE}/api/items/1\`);
  cart.add(performance.now() - t0);
  orders.add(1);
  hits.add(true);
  depth.add(3);
}
export async function browse() {
  await http.get(\`\${BASE}/api/items\`);
  await sleep(0.1);
}
`;

Deno.test("several scenarios: offered per scenario, iterations/s beside requests/s, custom metrics everywhere", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "rampa-figures-" });
  try {
    await Deno.writeTextFile(`${dir}/load.ts`, SCENARIO);
    const r = await runCli(
      [
        "run",
        "load.ts",
        "--out",
        "html=report.html",
        "--out",
        "csv=metrics.csv",
        "--out",
        "junit=junit.xml",
      ],
      dir,
      { TARGET: target.url },
    );
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    const api = s.scenarios.find((x) => x.name === "api")!;
    const browse = s.scenarios.find((x) => x.name === "browse")!;
    // The arrival-rate scenario offers 20/s; the VU one offers none and says so (null).
    equal(api.offeredRate, 20);
    equal(browse.offeredRate, null);
    equal(s.load.offeredRate, null, "a VU scenario makes the run's offer undefined");
    ok(Math.abs(api.achievedRate! - 20) < 2, `api achieved ${api.achievedRate}`);
    // Two requests per api iteration: requests/s is twice iterations/s, over the same window.
    ok(Math.abs(api.requestRate! - 2 * api.achievedRate!) < 1, JSON.stringify(api));
    equal(api.requests, 2 * api.started);
    // The run's request rate is the endpoints' rates summed (the same seconds).
    const sum = s.endpoints.reduce((a, e) => a + e.rate, 0);
    ok(Math.abs(s.load.requestRate! - sum) < 1e-9, `${s.load.requestRate} vs ${sum}`);
    equal(s.load.requests, s.endpoints.reduce((a, e) => a + e.requests, 0));

    // Custom metrics in the JSON …
    const placed = s.metrics.orders_placed;
    ok(placed?.type === "counter" && placed.count === api.started);
    ok(s.metrics.cart_ms?.type === "trend" && s.metrics.cart_ms.unit === "ms");
    ok(s.metrics.cache_hits?.type === "rate" && s.metrics.cache_hits.rate === 1);
    ok(
      s.metrics.queue_depth?.type === "gauge" && s.metrics.queue_depth.max >= 3,
      JSON.stringify(s.metrics.queue_depth),
    );
    // … in the console summary …
    match(r.stdout, /^custom metrics/m);
    match(r.stdout, /^ {2}orders_placed +\d+ \(/m);
    match(r.stdout, /^ {2}cart_ms +[\d.]+(µs|ms|s) /m);
    match(r.stdout, /^ {2}cache_hits +100% of \d+/m);
    match(r.stdout, /^ {2}queue_depth +\d+ \(min 3, max 3\)/m);
    // … with the load figures named …
    match(r.stdout, /^ {2}requests +[\d,]+ at [\d.,]+\/s$/m);
    match(
      r.stdout.replace(/\s+/g, " "),
      /iterations [\d,]+ started · [\d.,]+\/s achieved \(VU scenarios offer no rate: see below\)/,
    );
    match(r.stdout, /^ {4}api +20\.0\/s offered · [\d.]+\/s iterations · [\d.]+\/s requests/m);
    match(r.stdout, /^ {4}browse +VUs, no offered rate · /m);
    // … and a tagged threshold's observed value carries its unit.
    match(r.stdout, /http_req_duration\{scenario:api\} p\(95\)<5000 +observed [\d.]+(µs|ms|s)$/m);
    match(await Deno.readTextFile(`${dir}/junit.xml`), /rampa\.thresholds/);

    // The HTML report: custom metrics, per-endpoint chart, named tiles.
    const html = await Deno.readTextFile(`${dir}/report.html`);
    ok(html.includes('<section id="custom-metrics">'), "custom metrics section");
    for (const m of ["orders_placed", "cart_ms", "cache_hits", "queue_depth"]) {
      ok(html.includes(m), m);
    }
    ok(html.includes('id="chart-endpoints"'), "per-endpoint chart");
    ok(html.includes("<span>iterations/s achieved</span>"), "named iterations tile");
    ok(html.includes("<span>requests/s</span>"), "named requests tile");
    // CSV: one row per interval for each custom metric.
    const csv = await Deno.readTextFile(`${dir}/metrics.csv`);
    for (const m of ["orders_placed", "cart_ms", "cache_hits", "queue_depth"]) {
      ok(csv.split("\r\n").some((l) => l.split(",")[3] === m), `csv has ${m}`);
    }
  } finally {
    await target.close();
  }
});

Deno.test("--summary - writes the JSON summary to stdout and the text summary to stderr", async () => {
  const target = startTarget({ quiet: true });
  try {
    for (const flag of ["-", "/dev/stdout"]) {
      const dir = await Deno.makeTempDir({ prefix: "rampa-stdout-" });
      const r = await runCli(
        ["run", `${target.url}/api/items`, "--rate", "20/s", "-d", "1s", "--summary", flag],
        dir,
      );
      equal(r.code, 0, r.stderr);
      const s = SummarySchema.parse(JSON.parse(r.stdout));
      ok(s.load.started > 0, flag);
      match(r.stderr, /^load$/m, "the human summary is on stderr");
      const files = [...Deno.readDirSync(dir)].map((e) => e.name);
      equal(files.length, 0, `no file named ${flag}: ${files.join(", ")}`);
    }
  } finally {
    await target.close();
  }
});

Deno.test("rampa merge of runs made one after the other: load and endpoint rates agree", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "rampa-merge-rates-" });
  try {
    for (const file of ["a.json", "b.json"]) {
      const r = await runCli(
        ["run", `${target.url}/api/items`, "--rate", "40/s", "-d", "1s", "--summary", file],
        dir,
      );
      equal(r.code, 0, r.stderr);
    }
    const r = await runCli(["merge", "a.json", "b.json", "--out", "m.json"], dir);
    equal(r.code, 0, r.stderr);
    const m = await readSummary(`${dir}/m.json`);
    // 40 iterations/s each, one after the other: 40/s merged, not 80/s.
    ok(Math.abs(m.load.achievedRate - 40) < 4, `achieved ${m.load.achievedRate}`);
    ok(Math.abs(m.load.offeredRate! - 40) < 4, `offered ${m.load.offeredRate}`);
    const sum = m.endpoints.reduce((a, e) => a + e.rate, 0);
    ok(Math.abs(m.load.requestRate! - sum) < 1e-9, `${m.load.requestRate} vs ${sum}`);
    ok(Math.abs(sum - 40) < 4, `endpoints ${sum}`);
    match(r.stdout, /^ {2}iterations +[\d,]+ started · 4\d\.\d\/s achieved of 4\d\.\d\/s offered/m);
  } finally {
    await target.close();
  }
});
