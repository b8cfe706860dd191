/**
 * Hostile and broken scenario files: syntax and type errors, throwing or hanging at import,
 * missing or wrong exports, invalid options, code that calls `Deno.exit`, leaves rejections
 * unhandled, throws values whose `toString` throws, or never settles. Broken files are one line
 * and no load; misbehaving iterations must not hang rampa, decide its exit code or lose results.
 *
 * @module
 */
import type { Case } from "../_case.ts";
import { bad, HEAD, scenario } from "./_helpers.ts";

const RUN = ["run", "{scenario}"];
/** One VU for 1 s, with a 1 s graceful stop so abandoned iterations are bounded. */
const ONE_VU = `export const options = {
  scenarios: { s: { executor: "constant-vus", vus: 2, duration: "1s", gracefulStop: "1s" } },
};
`;
const HOSTILE = "{ toString() { throw new Error('no string for you'); } }";

const loads = (
  name: string,
  body: string,
  exit: number | number[],
  more: Partial<Case> = {},
): Case => ({
  name,
  args: RUN,
  scenario: scenario(body),
  ...more,
  expect: { exit, summary: "complete", ...more.expect },
});

/** Scenario files that must not start. */
export const BROKEN_SCENARIO_CASES: Case[] = [
  bad("a scenario with a syntax error", RUN, /^error: .*scenario\.ts.*\d/, {
    scenario: HEAD + "export default function ( {\n",
  }),
  bad("a scenario that is binary garbage", RUN, /^error: .*scenario\.ts/, {
    scenario: "\x00\x01\x02\xff\xfe garbage \x7f",
  }),
  bad("an empty scenario file", RUN, /^error: .*default/, { scenario: "" }),
  bad("a scenario without a default export", RUN, /^error: .*default/, {
    scenario: HEAD + "export const options = { vus: 1, duration: '1s' };\n",
  }),
  bad("a scenario whose default export is not a function", RUN, /^error: .*default/, {
    scenario: HEAD + "export default 42;\n",
  }),
  bad("a scenario that throws at import", RUN, /^error: .*boom at import/, {
    scenario: HEAD + "throw new Error('boom at import');\nexport default function () {}\n",
  }),
  bad("a scenario with a TypeError at import", RUN, /^error: .*scenario\.ts/, {
    scenario: HEAD + "(undefined as any).nope.x = 1;\nexport default function () {}\n",
  }),
  bad("a scenario whose import throws a hostile value", RUN, /^error: /, {
    scenario: HEAD + `throw ${HOSTILE};\nexport default function () {}\n`,
  }),
  bad("a scenario whose top-level await rejects", RUN, /^error: .*rejected at import/, {
    scenario: HEAD +
      "await Promise.reject(new Error('rejected at import'));\nexport default function () {}\n",
  }),
  bad("a scenario importing a module that does not exist", RUN, /^error: .*nowhere/, {
    scenario: HEAD + "import './nowhere.ts';\nexport default function () {}\n",
  }),
  bad("a scenario with an unknown executor", RUN, /^error: .*warp-speed/, {
    scenario: HEAD +
      "export const options = { scenarios: { a: { executor: 'warp-speed' } } };\n" +
      "export default function () {}\n",
  }),
  bad("a scenario with an Infinity duration", RUN, /^error: .*duration/, {
    scenario: HEAD +
      "export const options = { vus: 1, duration: Infinity };\nexport default function () {}\n",
  }),
  bad("a scenario with a million VUs", RUN, /^error: .*vus/i, {
    scenario: HEAD +
      "export const options = { vus: 1e6, duration: '1s' };\nexport default function () {}\n",
  }),
  bad("a scenario with negative VUs", RUN, /^error: .*vus/i, {
    scenario: HEAD +
      "export const options = { vus: -3, duration: '1s' };\nexport default function () {}\n",
  }),
  bad("a scenario with stages and an invalid duration", RUN, /^error: .*duration/, {
    scenario: HEAD +
      "export const options = { stages: [{ duration: '1s', target: 1 }], duration: 'soon' };\n" +
      "export default function () {}\n",
  }),
  bad("a scenario with stages and invalid iterations", RUN, /^error: .*iterations/, {
    scenario: HEAD +
      "export const options = { stages: [{ duration: '1s', target: 1 }], iterations: -4 };\n" +
      "export default function () {}\n",
  }),
  bad("a scenario with a stage of 400 nines", RUN, /^error: .*(stage|duration)/, {
    scenario: HEAD +
      `export const options = { stages: [{ duration: '${"9".repeat(400)}s', target: 1 }] };\n` +
      "export default function () {}\n",
  }),
  bad("a scenario whose exec names a missing function", RUN, /^error: .*nope/, {
    scenario: HEAD +
      "export const options = { scenarios: { a: { executor: 'constant-vus', vus: 1, " +
      "duration: '1s', exec: 'nope' } } };\nexport default function () {}\n",
  }),
  bad("a scenario with a malformed threshold", RUN, /^error: .*http_req_duration/, {
    scenario: HEAD +
      "export const options = { vus: 1, duration: '1s', " +
      "thresholds: { http_req_duration: ['p(99)<<1'] } };\nexport default function () {}\n",
  }),
  bad("a scenario with a threshold on constructor", RUN, /^error: .*constructor/, {
    scenario: HEAD +
      "export const options = { vus: 1, duration: '1s', thresholds: { constructor: ['count>1'] } };\n" +
      "export default function () {}\n",
  }),
  bad("a scenario reading /dev/zero as a CSV dataset", RUN, /^error: .*\/dev\/zero/, {
    expect: { exit: [2, 6] },
    scenario: HEAD.replace("{ check,", "{ dataset, check,") +
      "await dataset.csv('/dev/zero');\nexport const options = { vus: 1, duration: '1s' };\n" +
      "export default function () {}\n",
  }),
  bad(
    "a scenario reading /etc/shadow at import is denied",
    RUN,
    /^error: .*(read access|denied|permission)/i,
    {
      expect: { exit: [2, 6] },
      scenario: HEAD + "Deno.readTextFileSync('/etc/shadow');\nexport default function () {}\n",
    },
  ),
  bad(
    "a scenario running a program at import is denied",
    RUN,
    /^error: .*(run access|denied|permission)/i,
    {
      expect: { exit: [2, 6] },
      scenario: HEAD + "new Deno.Command('id').outputSync();\nexport default function () {}\n",
    },
  ),
  bad(
    "a scenario writing outside its folder at import is denied",
    RUN,
    /^error: .*(write access|denied|permission)/i,
    {
      expect: { exit: [2, 6] },
      scenario: HEAD +
        "Deno.writeTextFileSync('/tmp/rampa-rel-pwned.txt', 'x');\nexport default function () {}\n",
    },
  ),
  bad("RAMPA_VUS not a number", RUN, /^error: .*RAMPA_VUS/, {
    env: { RAMPA_VUS: "abc" },
    scenario: HEAD + ONE_VU + "export default function () {}\n",
  }),
  bad("RAMPA_DURATION of Infinity", RUN, /^error: .*(RAMPA_DURATION|duration)/, {
    env: { RAMPA_DURATION: "Infinitys" },
    scenario: HEAD + ONE_VU + "export default function () {}\n",
  }),
  bad("RAMPA_STAGES of garbage", RUN, /^error: .*RAMPA_STAGES/, {
    env: { RAMPA_STAGES: "10:x,,:" },
    scenario: HEAD + ONE_VU + "export default function () {}\n",
  }),
  bad("RAMPA_RATE negative", RUN, /^error: .*(RAMPA_RATE|rate)/i, {
    env: { RAMPA_RATE: "-1" },
    scenario: HEAD + ONE_VU + "export default function () {}\n",
  }),
  // The default import deadline is 60 s (like k6's setup); these cases shorten it.
  bad(
    "a scenario that loops forever at import",
    [...RUN, "--import-timeout", "2s"],
    /^error: .*(import|timed out)/i,
    {
      scenario: HEAD + "while (true) {}\nexport default function () {}\n",
      timeoutMs: 15_000,
      expect: { exit: 6 },
    },
  ),
  bad(
    "a scenario whose import never settles",
    [...RUN, "--import-timeout", "2s"],
    /^error: .*(import|timed out)/i,
    {
      scenario: HEAD + "await new Promise(() => {});\nexport default function () {}\n",
      timeoutMs: 15_000,
      expect: { exit: 6 },
    },
  ),
];

/** Scenario code that misbehaves while running. */
export const HOSTILE_SCENARIO_CASES: Case[] = [
  loads(
    "an iteration that calls Deno.exit(0)",
    ONE_VU + "export default async function (ctx: VuContext) {\n" +
      "  await http.get(TARGET);\n  if (ctx.iteration === 3) Deno.exit(0);\n}\n",
    [0, 10],
    { expect: { exit: [0, 10], summary: "complete", stdout: /PASSED|FAILED/ } },
  ),
  loads(
    "an iteration that calls Deno.exit(4) does not pose as abortOnFail",
    ONE_VU + "export default async function (ctx: VuContext) {\n" +
      "  await http.get(TARGET);\n  if (ctx.iteration === 3) Deno.exit(4);\n}\n",
    [0, 10],
  ),
  loads(
    "setup() that calls Deno.exit(0) is a setup failure",
    ONE_VU + "export function setup() { Deno.exit(0); }\n" +
      "export default async function () { await http.get(TARGET); }\n",
    6,
    { expect: { exit: 6, stderrLine: /^error: .*setup/, summary: undefined } },
  ),
  loads(
    "an unhandled rejection in an iteration is the scenario's error",
    ONE_VU + "export default async function () {\n" +
      "  await http.get(TARGET);\n  Promise.reject(new Error('nobody awaits me'));\n}\n",
    [0, 6],
  ),
  {
    ...loads(
      "an unhandled rejection with 2 workers loses no results",
      ONE_VU + "export default async function () {\n" +
        "  await http.get(TARGET);\n  Promise.reject(new Error('nobody awaits me'));\n}\n",
      [0, 6],
    ),
    args: [...RUN, "--workers", "2"],
  },
  loads(
    "an iteration that throws a value whose toString throws",
    ONE_VU +
      `export default async function () {\n  await http.get(TARGET);\n  throw ${HOSTILE};\n}\n`,
    [0, 6],
  ),
  loads(
    "an iteration that throws null",
    ONE_VU + "export default async function () {\n  await http.get(TARGET);\n  throw null;\n}\n",
    [0, 6],
  ),
  loads(
    "setup() that throws a value whose toString throws",
    ONE_VU + `export function setup() { throw ${HOSTILE}; }\nexport default function () {}\n`,
    6,
    { expect: { exit: 6, stderrLine: /^error: .*setup/, summary: undefined } },
  ),
  loads(
    "teardown() that throws 42",
    ONE_VU + "export function teardown() { throw 42; }\n" +
      "export default async function () { await http.get(TARGET); }\n",
    6,
    { expect: { exit: 6, stderrLine: /^error: .*teardown.*42/, summary: "complete" } },
  ),
  loads(
    "an iteration that never settles is abandoned at the graceful stop",
    ONE_VU + "export default async function () {\n" +
      "  await http.get(TARGET);\n  await new Promise(() => {});\n}\n",
    [0, 6],
    { expect: { exit: [0, 6], summary: "complete", maxWallMs: 10_000 } },
  ),
  loads(
    "an iteration that spins forever is cut off at the graceful stop",
    ONE_VU + "export default async function () {\n" +
      "  await http.get(TARGET);\n  for (;;) { /* spin */ }\n}\n",
    [0, 6, 10],
    { expect: { exit: [0, 6, 10], summary: "complete", maxWallMs: 12_000 } },
  ),
  loads(
    "setup() that never resolves times out with setupTimeout",
    `export const options = { vus: 1, duration: "1s", setupTimeout: "1s" };\n` +
      "export function setup() { return new Promise(() => {}); }\n" +
      "export default async function () { await http.get(TARGET); }\n",
    6,
    { expect: { exit: 6, stderrLine: /^error: .*setup.*timed out/, summary: undefined } },
  ),
  loads(
    "teardown() that never resolves times out with teardownTimeout",
    `export const options = { vus: 1, duration: "1s", teardownTimeout: "1s" };\n` +
      "export function teardown() { return new Promise(() => {}); }\n" +
      "export default async function () { await http.get(TARGET); }\n",
    6,
    { expect: { exit: 6, stderrLine: /^error: .*teardown.*timed out/, summary: "complete" } },
  ),
  loads(
    "a request name with terminal escape codes is escaped on the console",
    `export const options = { vus: 1, duration: "1s" };\n` +
      "export default async function () {\n" +
      "  await http.get(TARGET, { name: '\\x1b[2J\\x1b[31mRED\\x07\\x1b]0;title\\x07' });\n}\n",
    0,
    { expect: { exit: 0, summary: "complete", noControlChars: true } },
  ),
  loads(
    "a check name with terminal escape codes is escaped on the console",
    `export const options = { vus: 1, duration: "1s" };\n` +
      "export default async function () {\n  const r = await http.get(TARGET);\n" +
      "  check(r, { '\\x1b[1A\\x1b[2Kfake PASSED': () => false });\n}\n",
    0,
    { expect: { exit: 0, summary: "complete", noControlChars: true } },
  ),
  loads(
    "5,000 distinct request names are capped into (other)",
    `export const options = { scenarios: { s: { executor: "constant-arrival-rate", rate: 1500, ` +
      `duration: "2s", preAllocatedVUs: 20 } } };\n` +
      "export default async function (ctx: VuContext) {\n" +
      "  await http.get(TARGET, { name: 'n' + (ctx.iteration % 5000) + '-' + ctx.vu });\n}\n",
    [0, 7],
    {
      expect: {
        exit: [0, 7],
        summary: "complete",
        summaryMaxBytes: 8 << 20,
        stdout: /\(other\)|series|cardinality/i,
      },
    },
  ),
  loads(
    "5,000 distinct tag values are capped into (other)",
    `export const options = { scenarios: { s: { executor: "constant-arrival-rate", rate: 1500, ` +
      `duration: "2s", preAllocatedVUs: 20 } } };\n` +
      "export default async function (ctx: VuContext) {\n" +
      "  await http.get(TARGET, { name: 'x', tags: { user: 'u' + ctx.iteration + '-' + ctx.vu } });\n}\n",
    [0, 7],
    {
      expect: {
        exit: [0, 7],
        summary: "complete",
        summaryMaxBytes: 8 << 20,
        stdout: /\(other\)|series|cardinality/i,
      },
    },
  ),
  loads(
    "5,000 distinct custom-metric tag values are capped into (other)",
    `export const options = { scenarios: { s: { executor: "constant-arrival-rate", rate: 1500, ` +
      `duration: "2s", preAllocatedVUs: 20 } } };\n` +
      "import { Counter } from 'rampa';\nconst hits = new Counter('hits');\n" +
      "export default function (ctx: VuContext) {\n" +
      "  hits.add(1, { id: 'i' + ctx.iteration + '-' + ctx.vu });\n}\n",
    [0, 7],
    {
      expect: {
        exit: [0, 7],
        summary: "complete",
        summaryMaxBytes: 8 << 20,
        stderr: /\(other\)/,
      },
    },
  ),
  loads(
    "a TypeScript type error is not type-checked and runs",
    `export const options = { vus: 1, duration: "1s" };\nconst n: number = "not a number";\n` +
      "export default async function () { await http.get(TARGET + '?n=' + n); }\n",
    0,
  ),
];
