import assert from "node:assert/strict";
import { renderSummary, renderVerdict } from "../../../outputs/console/summary_text.ts";
import { stripAnsi, visibleLength } from "../../../outputs/console/_text.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import { builtSummary, fixtureSummary, recordRun } from "./_fixture.ts";

const run = recordRun();
const failed = fixtureSummary(run);
const passed = builtSummary(run);
const GOLDEN = new URL("./testdata/summary.golden.txt", import.meta.url);

function lines(text: string): string[] {
  return text.trimEnd().split("\n");
}

Deno.test("summary matches the golden file", async () => {
  const text = renderSummary(failed, { color: false });
  if (Deno.env.get("UPDATE_GOLDEN") === "1") {
    await Deno.mkdir(new URL("./testdata/", import.meta.url), { recursive: true });
    await Deno.writeTextFile(GOLDEN, text);
  }
  let golden: string;
  try {
    golden = await Deno.readTextFile(GOLDEN);
  } catch {
    throw new Error(`Missing ${GOLDEN.pathname}: run the test with UPDATE_GOLDEN=1 to write it`);
  }
  assert.equal(text, golden);
});

Deno.test("no line exceeds the width, coloured or not, at any width", () => {
  for (const width of [10, 24, 40, 60, 80, 100, 132]) {
    for (const color of [false, true]) {
      for (const s of [failed, passed]) {
        for (const l of lines(renderSummary(s, { color, width }))) {
          assert(visibleLength(l) <= width, `${visibleLength(l)} > ${width}: ${stripAnsi(l)}`);
        }
      }
    }
  }
});

Deno.test("the default width is 80 columns", () => {
  const widest = Math.max(...lines(renderSummary(failed, { color: false })).map(visibleLength));
  assert(widest <= 80, `widest line is ${widest}`);
  assert(widest >= 70, "tables should use the width they are given");
});

Deno.test("the verdict is the first line, with its mark", () => {
  const interrupted: Summary = {
    ...passed,
    run: { ...passed.run, status: "interrupted", reason: "SIGINT" },
    verdict: { passed: false, exitCode: 130, summary: "INTERRUPTED: SIGINT; results are complete" },
  };
  const cases: [Summary, string][] = [
    [failed, "✗ FAILED: 1 of 2 thresholds failed"],
    [passed, "✓ PASSED: the run completed"],
    [interrupted, "■ INTERRUPTED: SIGINT"],
  ];
  for (const [s, start] of cases) {
    const first = lines(renderSummary(s, { color: false }))[0];
    assert(first.startsWith(start), first);
    assert.equal(stripAnsi(lines(renderSummary(s, { color: true }))[0]), first);
  }
});

Deno.test("the verdict is coloured green, red or yellow", () => {
  assert.ok(renderVerdict(passed, { color: true }).includes("\u001b[32m"));
  assert.ok(renderVerdict(failed, { color: true }).includes("\u001b[31m"));
  const interrupted = { ...passed, run: { ...passed.run, status: "interrupted" as const } };
  assert.ok(renderVerdict(interrupted, { color: true }).includes("\u001b[33m"));
});

Deno.test("no ANSI codes when colour is off", () => {
  const text = renderSummary(failed, { color: false });
  assert(!text.includes("\u001b"), "found an escape character");
  assert(renderSummary(failed, { color: true }).includes("\u001b["));
});

Deno.test("the load section names what each rate counts: requests, iterations, offered", () => {
  const text = renderSummary(failed, { color: false });
  assert.match(text, /^ {2}requests +14,961 at 498\.5\/s$/m);
  assert.match(
    text,
    /^ {2}iterations +14,961 started · 498\.7\/s achieved of 500\.0\/s offered \(99\.7%\)$/m,
  );
  assert.match(text, /dropped +39 iterations \(0\.26% of arrivals\)/);
  assert.match(text, /interrupted +2 iterations/);
  assert.match(text, /data +2\.09 MB sent \(69\.8 kB\/s\) · 15\.2 MB received/);
});

Deno.test("the not-delivered note appears when arrivals were dropped, and only then", () => {
  const text = renderSummary(failed, { color: false });
  assert.match(text, /^ {2}! The planned load was not delivered: 39 of 15,000 arrivals/m);
  const delivered: Summary = {
    ...passed,
    load: { ...passed.load, dropped: 0, delivered: true, note: null },
  };
  assert(!renderSummary(delivered, { color: false }).includes("not delivered: "));
});

Deno.test("errors are listed by kind with share and example", () => {
  const text = renderSummary(failed, { color: false });
  assert.match(text, /^ {2}timeout +12 +0\.08% {2}request timed out after 5000 ms/m);
  assert.match(text, /^ {2}refused +3 +0\.02% {2}connection refused/m);
  assert.match(text, /^ {2}aborted +2 +0\.01%$/m);
});

Deno.test("status codes are listed with counts", () => {
  const text = renderSummary(failed, { color: false });
  for (const [code, count] of Object.entries(failed.statuses)) {
    const label = code === "0" ? "none" : code;
    assert.match(text, new RegExp(`^ {2}${label} +${count.toLocaleString("en-US")} `, "m"));
  }
});

Deno.test("the timings table has the headline rows and only the phases observed", () => {
  const text = renderSummary(failed, { color: false });
  assert.match(text, /^timings +min +p50 +p90 +p95 +p99 +p99\.9 +max$/m);
  for (const row of ["latency", "service time", "scheduler lag", "waiting \\(TTFB\\)"]) {
    assert.match(text, new RegExp(`^ {2}${row} +\\S+`, "m"));
  }
  assert.match(text, /^ {2}connecting +\d/m);
  assert(!/^ {2}tls /m.test(text), "TLS was never observed");
  assert.ok(text.includes("no coordinated omission"));
});

Deno.test("every endpoint has a row; long names lose leading path segments, not their middle", () => {
  const text = renderSummary(failed, { color: false });
  assert.match(text, /^ {2}GET \/api\/users\/\{id\} +8,961 +298\.6\/s +2\.2%/m);
  assert.match(text, /^ {2}POST \/api\/orders +4,490 /m);
  assert.match(text, /^ {2}GET …\/deployments +1,510 /m);
});

Deno.test("endpoints beyond 20 are counted, not listed", () => {
  const many: Summary = {
    ...failed,
    endpoints: Array.from({ length: 25 }, (_, i) => ({
      ...failed.endpoints[0],
      name: `/item/${i}`,
    })),
  };
  const text = renderSummary(many, { color: false });
  assert.match(text, /^ {2}GET \/item\/19 /m);
  assert(!text.includes("/item/20 "));
  assert.match(text, /^ {2}… 5 more/m);
});

Deno.test("thresholds and checks appear only when set", () => {
  const text = renderSummary(failed, { color: false });
  assert.match(text, /^ {2}✓ http_req_duration p\(95\)<200 +observed 44ms$/m);
  assert.match(text, /^ {2}✗ http_req_failed rate<0\.01 +observed 1\.5%$/m);
  assert.match(text, /^ {2}✗ status is 2xx +98\.7% {2}14,760 of 14,961$/m);
  const plain = renderSummary(passed, { color: false });
  assert(!/^thresholds$/m.test(plain) && !/^checks$/m.test(plain));
});

Deno.test("generator health states its verdict", () => {
  const text = renderSummary(failed, { color: false });
  assert.match(text, /cpu 34% of a core · scheduler lag p99 418µs · event loop lag p99/);
  assert.match(text, /^ {2}! load not delivered \(39 arrivals dropped\)$/m);
  const health = (h: Partial<Summary["health"]>): string =>
    renderSummary({ ...passed, health: { ...passed.health, ...h } }, { color: false });
  assert.match(health({ verdict: "trustworthy", reasons: [] }), /^ {2}✓ results trustworthy$/m);
  assert.match(
    health({ verdict: "saturated", reasons: ["scheduler lag p99 7.20 ms > 5 ms"] }),
    /✗ generator saturated: latencies include generator delay \(scheduler lag p99\s+7\.20/,
  );
});

Deno.test("closed-loop runs show no offered rate", () => {
  const closed: Summary = {
    ...passed,
    load: { ...passed.load, offeredRate: null, planned: null },
    scenarios: passed.scenarios.map((sc) => ({ ...sc, offeredRate: null })),
  };
  // Wrapped, never cut: read as one line.
  assert.ok(
    renderSummary(closed, { color: false }).replace(/\s+/g, " ").includes(
      "iterations 14,961 started · 498.7/s achieved (closed loop, 50 VUs: no offered rate)",
    ),
  );
});

Deno.test("the quiet verdict is the summary's first line alone", () => {
  const v = renderVerdict(failed, { color: false });
  assert.equal(v, lines(renderSummary(failed, { color: false }))[0] + "\n");
});

Deno.test("custom metrics appear in their own block, each kind in its own terms", () => {
  const t = { count: 4, avg: 2, min: 1, med: 2, p50: 2, p90: 3, p95: 3, p99: 4, p999: 4, max: 4 };
  const custom: Summary = {
    ...passed,
    metrics: {
      ...passed.metrics,
      orders_placed: { type: "counter", count: 42, rate: 1.4, breakdown: [] },
      cart_ms: { ...t, type: "trend", unit: "ms", breakdown: [] },
      score: { ...t, type: "trend", unit: "none", breakdown: [] },
      cache_hits: { type: "rate", count: 10, passes: 9, fails: 1, rate: 0.9, breakdown: [] },
      queue_depth: { type: "gauge", value: 3, min: 1, max: 7, breakdown: [] },
    },
  };
  const text = renderSummary(custom, { color: false });
  assert.match(text, /^custom metrics +min +p50/m);
  assert.match(text, /^ {2}orders_placed +42 \(1\.4\/s\)$/m);
  assert.match(text, /^ {2}cart_ms +1ms +2ms/m);
  assert.match(text, /^ {2}score +1 +2 /m);
  assert.match(text, /^ {2}cache_hits +90\.0% of 10$/m);
  assert.match(text, /^ {2}queue_depth +3 \(min 1, max 7\)$/m);
  assert(!/^custom metrics/m.test(renderSummary(passed, { color: false })), "none, no block");
});

Deno.test("several scenarios get a line each: offered or why not, iterations/s, requests/s", () => {
  const two: Summary = {
    ...passed,
    load: { ...passed.load, offeredRate: null },
    scenarios: [
      { ...passed.scenarios[0], offeredRate: 500, achievedRate: 498.7, requestRate: 997.4 },
      {
        ...passed.scenarios[0],
        name: "browse",
        executor: "constant-vus",
        offeredRate: null,
        achievedRate: 20,
        requestRate: 60,
      },
    ],
  };
  const text = renderSummary(two, { color: false });
  assert.match(
    text.replace(/\s+/g, " "),
    /iterations [\d,]+ started · [\d.]+\/s achieved \(VU scenarios offer no rate: see below\)/,
  );
  assert.match(
    text,
    /^ {4}checkout +500\.0\/s offered · 498\.7\/s iterations · 997\.4\/s requests$/m,
  );
  assert.match(
    text,
    /^ {4}browse +VUs, no offered rate · 20\.0\/s iterations · 60\.0\/s requests$/m,
  );
});
