import { equal, match, ok, rejects } from "node:assert/strict";
import { ConfigError } from "../../core/errors.ts";
import { compileDeclarative } from "../../declarative/load.ts";
import { registerBuiltinProtocols } from "../../engines/registry.ts";

// Thresholds are checked against the registered protocols' metrics, as in the CLI.
registerBuiltinProtocols();

const USERS = new URL("../../examples/data/users.csv", import.meta.url).pathname;

async function issuesOf(text: string, file = "flow.yaml"): Promise<string[]> {
  try {
    await compileDeclarative(file, text);
  } catch (e) {
    ok(e instanceof ConfigError, String(e));
    return [...e.issues];
  }
  throw new Error("expected a ConfigError");
}

const STEP = `steps:\n  - name: a\n    request: { url: "http://127.0.0.1:1/" }\n`;

/** [what, file text, the one issue's position, its message]. */
const CASES: [string, string, string, RegExp][] = [
  ["a YAML syntax error", "steps:\n  - name: a\n    request: {url: x\n", "4:1", /Invalid YAML/],
  [
    "an unquoted ${…} inside { }",
    "steps:\n  - name: a\n    request: { url: ${env.B}/x }\n",
    "3:21",
    /quote text with \$\{…\} inside \{ \} or \[ \]/,
  ],
  [
    "a URL without a scheme",
    "steps:\n  - name: a\n    request: { url: example.com/x }\n",
    "3:21",
    /Invalid URL "example\.com\/x": expected http:\/\/ or https:\/\//,
  ],
  ["a duplicate key", "steps: []\nsteps: []\n", "2:1", /Invalid YAML: Map keys must be unique/],
  [
    "an unknown top-level key",
    `${STEP}stepz: 1\n`,
    "4:1",
    /Unknown key "stepz": expected one of options, data, steps, flows/,
  ],
  [
    "an unknown request key",
    "steps:\n  - name: a\n    request:\n      url: http://x/\n      methd: POST\n",
    "5:7",
    /steps\[0\]\.request\.methd: Unknown key "methd"/,
  ],
  [
    "a wrong type",
    "steps:\n  - name: a\n    request: { url: 42 }\n",
    "3:21",
    /steps\[0\]\.request\.url: Invalid value 42/,
  ],
  ["a missing name", "steps:\n  - request: { url: http://x/ }\n", "2:5", /Missing "name"/],
  [
    "a bad method",
    "steps:\n  - name: a\n    request: { url: http://x/, method: FETCH }\n",
    "3:40",
    /expected one of GET/,
  ],
  ["a bad status", `${STEP}    expect: { status: 700 }\n`, "4:23", /status from 100 to 599/],
  [
    "json with body",
    "steps:\n  - name: a\n    request: { url: http://x/, json: {}, body: x }\n",
    "3:48",
    /not json and body/,
  ],
  [
    "steps and flows",
    `${STEP}flows:\n  - steps: [{ name: b, request: { url: http://x/ } }]\n`,
    "1:1",
    /steps: or flows:, not both/,
  ],
  ["nothing to run", "options: { vus: 1 }\n", "1:1", /Missing steps:/],
  [
    "bad options, checked like a TypeScript scenario's",
    `options:\n  scenarios:\n    s: { executor: constant-vus, vus: 1, duration: 1x }\n${STEP}`,
    "3:52",
    /options\.scenarios\.s\.duration: Cannot parse duration "1x"/,
  ],
  [
    "a bad stage, found by its index",
    `options:\n  scenarios:\n    s:\n      executor: ramping-vus\n      stages:\n        - { duration: 1s, target: 2 }\n        - { duration: 1s, target: -1 }\n${STEP}`,
    "7:35",
    /options\.scenarios\.s\.stages\[1\]\.target: Invalid target -1/,
  ],
  [
    "a bad shortcut stage, at the shortcut (not the default scenario it makes)",
    `options:\n  stages:\n    - { duration: 1x, target: 2 }\n${STEP}`,
    "3:19",
    /options\.stages\[0\]\.duration: Cannot parse duration "1x"/,
  ],
  [
    "an unknown executor field, at its key",
    `options:\n  scenarios:\n    s: { executor: constant-vus, vus: 1, duration: 1s, bogus: 1 }\n${STEP}`,
    "3:56",
    /Unknown field "bogus"/,
  ],
  ["an unknown option", `options:\n  vuz: 3\n${STEP}`, "2:3", /options\.vuz: Unknown option "vuz"/],
  [
    "an unknown threshold metric",
    `options:\n  thresholds:\n    nope_metric: ["rate<1"]\n${STEP}`,
    "3:5",
    /Unknown metric "nope_metric"/,
  ],
  [
    "an undefined variable",
    "steps:\n  - name: a\n    request: { url: 'http://x/${tokn}' }\n",
    "3:31",
    /Undefined variable "\$\{tokn\}"/,
  ],
  [
    "a variable extracted only by a later step",
    "steps:\n  - name: a\n    request: { url: 'http://x/${t}' }\n  - name: b\n    request: { url: http://x/ }\n    extract: { t: $.t }\n",
    "3:31",
    /Undefined variable "\$\{t\}"/,
  ],
  [
    "a step using its own extract",
    "steps:\n  - name: a\n    request: { url: 'http://x/${t}' }\n    extract: { t: $.t }\n",
    "3:31",
    /Undefined variable/,
  ],
  [
    "an undefined dataset column",
    `data:\n  users: { csv: ${USERS} }\nsteps:\n  - name: a\n    request:\n      json: { u: "\${data.users.email}" }\n      url: http://x/\n`,
    "6:19",
    /dataset "users" has no column "email" \(columns: username, password\)/,
  ],
  [
    "an undefined dataset",
    "steps:\n  - name: a\n    request: { url: 'http://x/${data.u.n}' }\n",
    "3:31",
    /no dataset "u"/,
  ],
  [
    "a missing data file",
    "data:\n  u: { csv: ./no_such.csv }\n" + STEP,
    "2:13",
    /data\.u\.csv: Cannot find data file "\.\/no_such\.csv"/,
  ],
  [
    "a malformed JSONPath",
    `${STEP}    extract: { t: "$.a[*]" }\n`,
    "4:19",
    /wildcards and filters are not supported/,
  ],
  [
    "a JSONPath that never matches the expected body",
    `${STEP}    expect: { json: { type: object, properties: { a: {} }, additionalProperties: false } }\n    extract: { t: $.token }\n`,
    "5:19",
    /never matches a body this step expects/,
  ],
  ["a bad regex", `${STEP}    extract: { t: "regex:(" }\n`, "4:19", /Invalid regex/],
  [
    "an unknown extract kind",
    `${STEP}    extract: { t: "body:x" }\n`,
    "4:19",
    /expected "\$\.json\.path", "header:NAME" or "regex:PATTERN"/,
  ],
  ["a bad think time", `${STEP}    think: soon\n`, "4:12", /Cannot parse duration "soon"/],
  [
    "an exec naming no flow",
    `options:\n  scenarios:\n    s: { executor: per-vu-iterations, vus: 1, iterations: 1, exec: nope }\n${STEP}`,
    "3:68",
    /No flow named "nope"/,
  ],
];

for (const [what, text, at, message] of CASES) {
  Deno.test(`${what} is one issue at flow.yaml:${at}`, async () => {
    const issues = await issuesOf(text);
    equal(issues.length, 1, issues.join("\n"));
    equal(issues[0].startsWith(`flow.yaml:${at}: `), true, issues[0]);
    match(issues[0], message);
  });
}

Deno.test("a JSON file's syntax error is reported with its line and column", async () => {
  const issues = await issuesOf('{\n  "steps": [\n    { "name": "a", },\n  ]\n}\n', "flow.json");
  equal(issues.length, 1);
  match(issues[0], /^flow\.json:3:\d+: Invalid JSON/);
});

Deno.test("a valid JSON file compiles like its YAML twin", async () => {
  const mod = await compileDeclarative(
    "flow.json",
    JSON.stringify({ steps: [{ name: "a", request: { url: "http://127.0.0.1:1/" } }] }, null, "\t"),
  );
  equal(typeof mod.default, "function");
});

Deno.test("every issue of a file is reported at once, in file order", async () => {
  const issues = await issuesOf(
    "options:\n  vuz: 1\nsteps:\n  - name: a\n    request: { url: 'http://x/${a}/${b}' }\n    think: x\n",
  );
  equal(issues.length, 4, issues.join("\n"));
  match(issues[0], /^flow\.yaml:2:3: /);
  match(issues[1], /^flow\.yaml:5:31: .*\$\{a\}/);
  match(issues[2], /^flow\.yaml:5:36: .*\$\{b\}/);
  match(issues[3], /^flow\.yaml:6:12: /);
});

Deno.test("a file that is not a map is one clear issue", async () => {
  await rejects(
    () => compileDeclarative("flow.yaml", "- a\n- b\n"),
    /flow\.yaml:1:1: Invalid value a list: expected a map/,
  );
});
