import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { ConfigError } from "../../../core/errors.ts";
import { CORE_METRICS } from "../../../core/metrics/builtin.ts";
import { HTTP_METRICS } from "../../../engines/http/metrics.ts";
import { parseThresholds as parseWith } from "../../../core/thresholds/parser.ts";
import { httpProtocol } from "../../../engines/http/protocol.ts";
import type { Threshold, ThresholdsInput } from "../../../core/thresholds/types.ts";
import type { MetricDef } from "../../../core/types.ts";

/** Parses with the aliases the HTTP protocol registers (`error_rate`, `rps`). */
const parseThresholds = (
  input: Parameters<typeof parseWith>[0],
  metrics: Parameters<typeof parseWith>[1],
) => parseWith(input, metrics, httpProtocol.thresholdAliases);

const METRICS: ReadonlyMap<string, MetricDef> = new Map(
  [
    ...CORE_METRICS,
    ...HTTP_METRICS,
    { name: "payload_size", kind: "trend", unit: "bytes" } as const,
    { name: "think_score", kind: "trend" } as const,
  ].map((m) => [m.name, m]),
);

/** Parses one expression under one key. */
function one(key: string, expression: string, metrics = METRICS): Threshold {
  const list = parseThresholds({ [key]: [expression] }, metrics);
  equal(list.length, 1);
  return list[0];
}

/** The issues a ConfigError carries, or a failure when parsing succeeded. */
function issuesOf(input: ThresholdsInput, metrics = METRICS): readonly string[] {
  try {
    parseThresholds(input, metrics);
  } catch (e) {
    ok(e instanceof ConfigError, String(e));
    return e.issues;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(input)}`);
}

Deno.test("valid expressions resolve to metric, aggregation, operator and normalised value", () => {
  type Row = [string, string, Partial<Threshold>];
  const table: Row[] = [
    ["http_req_duration", "p(99)<500ms", { aggregation: "p", percentile: 99, op: "<", value: 500 }],
    ["http_req_duration", "p(99) < 500", { aggregation: "p", percentile: 99, value: 500 }],
    ["http_req_duration", "p( 99.9 )<1.5s", { percentile: 99.9, value: 1500 }],
    ["http_req_duration", "p99<250us", { aggregation: "p", percentile: 99, value: 0.25 }],
    ["http_req_duration", "p95 <= 2s", { percentile: 95, op: "<=", value: 2000 }],
    ["http_req_duration", "p90<1m", { percentile: 90, value: 60_000 }],
    ["http_req_duration", "p50>0", { percentile: 50, op: ">", value: 0 }],
    ["http_req_duration", "P(90)<10", { aggregation: "p", percentile: 90, value: 10 }],
    ["http_req_duration", "avg<200", { aggregation: "avg", percentile: null, value: 200 }],
    ["http_req_duration", "min >= 1", { aggregation: "min", op: ">=", value: 1 }],
    ["http_req_duration", "max<1s", { aggregation: "max", value: 1000 }],
    ["http_req_duration", "med<100ms", { aggregation: "med", value: 100 }],
    ["http_req_duration", "count>100", { aggregation: "count", op: ">", value: 100 }],
    ["http_reqs", "count>1000", { metric: "http_reqs", kind: "counter", aggregation: "count" }],
    ["http_reqs", "rate>=50.5", { aggregation: "rate", op: ">=", value: 50.5 }],
    ["http_req_failed", "rate<1%", { kind: "rate", aggregation: "rate", value: 0.01 }],
    ["http_req_failed", "rate<0.01", { value: 0.01 }],
    ["http_req_failed", "rate==0", { op: "==", value: 0 }],
    ["http_req_failed", "rate===0", { op: "==", value: 0 }],
    ["http_req_failed", "rate != 1", { op: "!=", value: 1 }],
    ["vus", "value<=100", { kind: "gauge", aggregation: "value", op: "<=", value: 100 }],
    ["vus", "min>0", { aggregation: "min" }],
    ["vus_max", "max<200", { aggregation: "max", value: 200 }],
    ["payload_size", "p(95)<1024", { aggregation: "p", value: 1024 }],
    ["think_score", "avg>-1.5e2", { value: -150 }],
    ["error_rate", "< 1%", { metric: "http_req_failed", aggregation: "rate", value: 0.01 }],
    ["error_rate", "rate<1%", { metric: "http_req_failed", aggregation: "rate", value: 0.01 }],
    ["rps", ">= 100", { metric: "http_reqs", aggregation: "rate", op: ">=", value: 100 }],
    ["http_req_duration{name:/api}", "p(99)<500 over 30s", { tags: { name: "/api" } }],
    ["http_req_duration", "p99<500 over 1m30s", { windowMs: 90_000 }],
    ["http_req_duration", "p99<500", { windowMs: null }],
    ["http_req_duration{ name : \"/a, b\" , status:'200' }", "avg<1", {
      tags: { name: "/a, b", status: "200" },
    }],
    ["error_rate{name:/api}", "<1%", { metric: "http_req_failed", tags: { name: "/api" } }],
  ];
  for (const [key, expression, want] of table) {
    const t = one(key, expression);
    equal(t.key, key);
    equal(t.expression, expression);
    for (const [field, value] of Object.entries(want)) {
      deepStrictEqual(t[field as keyof Threshold], value, `${key}: ${expression} → ${field}`);
    }
  }
});

Deno.test("options default to no abort, no delay and failing on no data", () => {
  const [plain, long] = parseThresholds({
    http_req_duration: [
      "p99<500",
      { threshold: "p99<800", abortOnFail: true, delayAbortEval: "1m", noData: "ignore" },
    ],
  }, METRICS);
  deepStrictEqual(
    [plain.abortOnFail, plain.delayAbortEvalMs, plain.noData],
    [false, 0, "fail"],
  );
  deepStrictEqual([long.abortOnFail, long.delayAbortEvalMs, long.noData], [true, 60_000, "ignore"]);
  equal(long.expression, "p99<800");
  equal(parseThresholds({ http_reqs: "count>0" }, METRICS).length, 1, "a bare string is a list");
});

Deno.test("a declared metric named like an alias is the metric, not the alias", () => {
  const metrics = new Map(METRICS).set("rps", { name: "rps", kind: "gauge" });
  deepStrictEqual(
    [one("rps", "value<5", metrics).metric, one("rps", "value<5", metrics).aggregation],
    ["rps", "value"],
  );
});

Deno.test("each aggregation applies only to the kinds k6 allows it on", () => {
  const kinds: Record<string, string> = {
    counter: "http_reqs",
    rate: "http_req_failed",
    gauge: "vus",
    trend: "http_req_duration",
  };
  const allowed: Record<string, string[]> = {
    count: ["counter", "trend"],
    rate: ["counter", "rate"],
    value: ["gauge"],
    avg: ["trend"],
    min: ["gauge", "trend"],
    max: ["gauge", "trend"],
    med: ["trend"],
    "p(50)": ["trend"],
    "p(99.9)": ["trend"],
    p99: ["trend"],
  };
  for (const [aggregation, okKinds] of Object.entries(allowed)) {
    for (const [kind, metric] of Object.entries(kinds)) {
      const input = { [metric]: [`${aggregation}<1`] };
      if (okKinds.includes(kind)) {
        equal(parseThresholds(input, METRICS).length, 1, `${aggregation} on a ${kind}`);
        continue;
      }
      const [issue] = issuesOf(input);
      ok(issue.startsWith(`Invalid threshold "${metric}: ${aggregation}<1": `), issue);
      ok(issue.includes(`but ${metric} is a ${kind} (use `), issue);
    }
  }
});

Deno.test("invalid thresholds are reported with the key, the expression and what was expected", () => {
  const table: [string, string, string][] = [
    [
      "http_req_duration",
      "p(99)<5x",
      'Invalid threshold "http_req_duration: p(99)<5x": cannot parse value "5x": expected a number with an optional unit (ms, s, %)',
    ],
    [
      "http_reqs",
      "p(99)<5",
      'Invalid threshold "http_reqs: p(99)<5": p(N) applies to trends, but http_reqs is a counter (use count or rate)',
    ],
    [
      "htp_reqs",
      "count>1",
      'Unknown metric "htp_reqs" in threshold "htp_reqs: count>1" (did you mean http_reqs?)',
    ],
    ["http_req_durration", "p99<1", "(did you mean http_req_duration?)"],
    ["eror_rate", "<1%", "(did you mean error_rate?)"],
    ["zzz", "count>1", 'Unknown metric "zzz" in threshold "zzz: count>1"'],
    ["http_reqs", "rate<1%", 'unit "%" applies to rate metrics, but http_reqs is a counter (its'],
    ["http_req_duration", "avg<5%", 'unit "%" applies to rate metrics, but http_req_duration is'],
    ["http_reqs", "count<5ms", 'unit "ms" applies to time trends, but http_reqs is a counter'],
    ["vus", "value<1s", 'unit "s" applies to time trends, but vus is a gauge'],
    ["payload_size", "p(95)<5ms", "but payload_size is a trend in bytes"],
    ["think_score", "avg<5ms", "but think_score is a trend without a time unit"],
    ["http_req_duration", "count<5s", 'unit "s" does not apply to count'],
    ["http_req_failed", "rate<5", 'a rate is a share between 0 and 1, got "5"'],
    ["http_req_duration", "p(0)<5", 'cannot parse percentile "p(0)": expected p(N) with N in (0'],
    ["http_req_duration", "p(101)<5", 'cannot parse percentile "p(101)"'],
    ["http_req_duration", "p(abc)<5", 'cannot parse percentile "p(abc)"'],
    ["http_req_duration", "p(99<5", 'cannot parse percentile "p(99<5"'],
    ["http_req_duration", "avgg<5", 'unknown aggregation "avgg" (did you mean avg?)'],
    ["http_req_duration", "p98<5", 'unknown aggregation "p98"'],
    [
      "http_req_duration",
      "<5",
      'missing aggregation before "<"; http_req_duration is a trend: use',
    ],
    ["error_rate", "count<5", "error_rate already means the rate of http_req_failed"],
    ["http_req_duration", "p(99)", 'missing operator after "p(99)"'],
    ["http_req_duration", "p(99) 500", 'expected an operator (<, <=, >, >=, ==, !=) after "p(99)"'],
    ["http_req_duration", "p(99) => 500", 'got "=> 500"'],
    ["http_req_duration", "p(99)<", 'missing value after "<"'],
    ["http_req_duration", "p(99)<500 over", 'missing window after "over"'],
    ["http_req_duration", "p(99)<500 over 30x", 'cannot parse window "30x"'],
    ["http_req_duration", "p(99)<500 over 0s", 'the window "0s" must be longer than 0'],
    ["http_req_duration", "p(99)<500 within 30s", 'cannot parse value "500 within 30s"'],
    ["http_req_duration", "   ", "the expression is empty"],
  ];
  for (const [key, expression, want] of table) {
    const issues = issuesOf({ [key]: [expression] });
    equal(issues.length, 1, `${key}: ${expression}`);
    ok(issues[0].includes(want), `${key}: ${expression}\n  got:  ${issues[0]}\n  want: ${want}`);
    if (!issues[0].startsWith("Unknown")) {
      ok(issues[0].startsWith(`Invalid threshold "${key}: ${expression}": `), issues[0]);
    }
  }
});

Deno.test("an alias whose metric the run does not record says so", () => {
  const coreOnly = new Map(CORE_METRICS.map((m) => [m.name, m]));
  deepStrictEqual(issuesOf({ error_rate: ["<1%"] }, coreOnly), [
    'Unknown metric "error_rate" in threshold "error_rate: <1%" ' +
    "(it stands for http_req_failed, which this run does not record)",
  ]);
});

Deno.test("bad options and keys are reported next to bad expressions", () => {
  const input = {
    "http_req_duration{name}": ["p99<1"],
    http_req_duration: [
      { threshold: "p99<1", abortOnFail: "yes" },
      { threshold: "p99<1", delayAbortEval: "soon" },
      { threshold: "p99<1", noData: "maybe" },
      { threshold: "p99<1", abortOnFial: true },
      42,
    ],
  } as unknown as ThresholdsInput;
  deepStrictEqual(issuesOf(input), [
    'Invalid threshold key "http_req_duration{name}": cannot parse tags "{name}": expected tag:value pairs such as {name:/api,status:200}',
    'Invalid threshold "http_req_duration: p99<1": abortOnFail must be true or false, got "yes"',
    'Invalid threshold "http_req_duration: p99<1": cannot parse delayAbortEval "soon": expected a duration such as 30s',
    'Invalid threshold "http_req_duration: p99<1": noData must be "fail", "pass" or "ignore", got "maybe"',
    'Invalid threshold "http_req_duration: p99<1": unknown option "abortOnFial" (did you mean abortOnFail?)',
    'Invalid threshold for "http_req_duration": expected a string or { threshold: "…" }, got 42',
  ]);
});

Deno.test("every issue is reported at once, in config order, and valid thresholds add none", () => {
  try {
    parseThresholds({
      http_req_duration: ["p(99)<5x", "p95<300ms"],
      htp_reqs: ["count>1"],
      http_reqs: ["p(99)<5", "rate>10"],
      error_rate: ["< 1%"],
    }, METRICS);
    throw new Error("expected a ConfigError");
  } catch (e) {
    ok(e instanceof ConfigError);
    equal(e.exitCode, 2);
    deepStrictEqual(e.issues, [
      'Invalid threshold "http_req_duration: p(99)<5x": cannot parse value "5x": expected a number with an optional unit (ms, s, %)',
      'Unknown metric "htp_reqs" in threshold "htp_reqs: count>1" (did you mean http_reqs?)',
      'Invalid threshold "http_reqs: p(99)<5": p(N) applies to trends, but http_reqs is a counter (use count or rate)',
    ]);
    equal(e.message, e.issues.join("; "));
  }
});

Deno.test("thresholds come back in config order", () => {
  throws(() => parseThresholds({ x: "count>1" }, METRICS), ConfigError);
  const list = parseThresholds({
    rps: [">10"],
    http_req_duration: ["p99<1s", "avg<200"],
    error_rate: "<1%",
  }, METRICS);
  deepStrictEqual(list.map((t) => `${t.key}: ${t.expression}`), [
    "rps: >10",
    "http_req_duration: p99<1s",
    "http_req_duration: avg<200",
    "error_rate: <1%",
  ]);
});

Deno.test("thresholds that can never fail or never pass are refused with the reason", () => {
  const cases: [string, string, RegExp][] = [
    ["error_rate", "<250%", /never fail/],
    ["http_req_failed", "rate<-5%", /never pass/],
    ["http_req_duration", "avg<1e309", /not a finite number/],
    ["http_reqs", "count>-1", /never fail/],
    ["http_req_failed", "rate>100%", /never pass/],
    ["http_req_duration", "p(99)<0", /never pass/],
  ];
  for (const [key, expr, why] of cases) {
    let message = "";
    try {
      parseThresholds({ [key]: [expr] }, METRICS);
    } catch (e) {
      message = (e as Error).message;
    }
    if (!why.test(message)) throw new Error(`${key} ${expr}: ${message || "accepted"}`);
  }
});
