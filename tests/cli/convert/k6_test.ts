import { equal, match, ok, throws } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { convertK6 } from "../../../cli/convert/k6/mod.ts";
import { ConfigError } from "../../../core/errors.ts";

const CORPUS = fileURLToPath(new URL("../../testdata/k6/", import.meta.url));
const EXPECTED = CORPUS + "expected/";
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** Set to rewrite the expected files after a deliberate change (then review the diff). */
const UPDATE = Deno.env.get("RAMPA_UPDATE_GOLDEN") === "1";

function corpus(): string[] {
  return [...Deno.readDirSync(CORPUS)]
    .filter((e) => e.isFile && e.name.endsWith(".js"))
    .map((e) => e.name.slice(0, -3))
    .sort();
}

function convertFile(name: string) {
  return convertK6(Deno.readTextFileSync(`${CORPUS}${name}.js`), `${name}.js`);
}

function notesText(notes: { line: number; message: string }[]): string {
  return notes.map((n) => `${n.line}: ${n.message}\n`).join("");
}

Deno.test("the corpus holds at least ten k6 scripts", () => {
  ok(corpus().length >= 10, corpus().join(", "));
});

for (const name of corpus()) {
  Deno.test(`${name}.js converts to the expected scenario and notes`, () => {
    const r = convertFile(name);
    const notes = notesText(r.notes);
    if (UPDATE) {
      Deno.mkdirSync(EXPECTED, { recursive: true });
      Deno.writeTextFileSync(`${EXPECTED}${name}.ts`, r.code);
      Deno.writeTextFileSync(`${EXPECTED}${name}.notes.txt`, notes);
    }
    equal(r.code, Deno.readTextFileSync(`${EXPECTED}${name}.ts`));
    equal(notes, Deno.readTextFileSync(`${EXPECTED}${name}.notes.txt`));
    // Every note is on a real line of the script, and every commented note is in the output.
    const lines = Deno.readTextFileSync(`${CORPUS}${name}.js`).split("\n").length;
    for (const n of r.notes) ok(n.line >= 1 && n.line <= lines, `${name}: line ${n.line}`);
  });
}

/** What each construct must become, whatever else the golden files hold. */
const KEY: [string, (string | RegExp)[], string[]][] = [
  ["basic", [
    'import { check, http, type Options, sleep } from "rampa";',
    "export const options: Options = {",
    "export default async function () {",
    "const res = await http.get(",
    '(r) => r.text().includes("name")',
    "await sleep(0.01);",
    "const __ENV: Record<string, string | undefined> = Deno.env.toObject();",
    "// generous on purpose",
  ], ['from "k6']],
  ["groups_setup", [
    "export async function setup() {",
    "return { token: res.json<any>().token };",
    "export default async function (ctx: VuContext) {",
    "const data = ctx.data as any; // setup()'s result",
    'await group("catalog", async function () {',
    'await group("detail", async () => {',
    'name: "items",',
    '{ name: "/api/items/:id" }',
    'r.headers.get("Content-Type")!.includes("json")',
    "export function teardown(data) {",
  ], ["tags: { name"]],
  ["scenarios", [
    "export async function read(ctx: VuContext) {",
    "export async function write(ctx: VuContext) {",
    "(ctx.iteration % 5)",
    'name: "/api/items/:id", tags: { kind: "read" },',
    '"group_duration{group:checkout}"',
    "Number(ctx.env.AMOUNT)",
  ], ["__VU", "__ITER"]],
  ["metrics", [
    /import \{ Counter, Gauge, http, type Options, Rate, Trend, type VuContext \} from "rampa"/,
    'new Trend("items_waiting", true)',
    "size.add(res.text().length);",
    "res.timings.tls > 0",
  ], ["tls_handshaking"]],
  ["shared_array", [
    "const users = (function () {",
    'JSON.parse(Deno.readTextFileSync(new URL("./users.json", import.meta.url))).users;',
    "})();",
    'Deno.readFileSync(new URL("./users.json", import.meta.url));',
    "users[(ctx.vu - 1) % users.length]",
  ], ["SharedArray", "open("]],
  ["helpers", [
    "async function login(name) {",
    "function userName(ctx: VuContext) {",
    "`user-${ctx.vu}-${ctx.iteration}`",
    "const fetchItem = async (token, id) =>\n  await http.get(",
    "const r = await fetchItem(token, id);",
    "await pause();",
    "async function pause() {",
    "const token = await login(userName(ctx));",
  ], []],
  ["batch", [
    "const responses = await http.batch([",
    '["GET", `${BASE}/api/items/1`, null, { name: "item" }],',
    "`${BASE}/health`,",
    '{ method: "POST", url: `${BASE}/echo`, body: "hello" },',
    "await http.del(",
    'await http.request("OPTIONS", `${BASE}/echo`);',
  ], ["Promise.all", "http.options"]],
  ["form_body", [
    'await http.post(`${ctx.env.BASE_URL}/echo`, { form: { user: "ada", age: 36 } });',
    "{ form: fields }, {",
    "timeout: 5000,",
    "maxRedirects: 0,",
  ], ["redirects: 0", "formBody", "rampa-convert"]],
  ["http_semantics", [
    "http.setExpectedStatuses({ min: 200, max: 399 }, 404);",
    "expectedStatuses: [418],",
    'responseType: "none",',
    "{ maxRedirects: 0 }",
    "const [a, b] = await http.batch([",
    '["POST", `${ctx.env.BASE_URL}/echo`, { form: { q: "1" } }],',
    "body: { form: fields },",
    'params: { name: "batch-form", timeout: 5000 },',
    'r.json<any>().body === "q=2"',
  ], ["setResponseCallback", "responseCallback", "http.expectedStatuses", "redirects:"]],
  ["stages", [
    'import { check, http, type Options, sleep, type VuContext } from "rampa";',
    "await http.get(`${ctx.env.BASE_URL}/health`);",
    "check(res, { healthy:",
    "await sleep(0.05);",
  ], ["k6."]],
  ["arrival_rate", [
    "name: `items-${ctx.scenario}`,",
    "ctx.vu > 0",
    'executor: "ramping-arrival-rate",',
  ], ["discardResponseBodies: true", "exec."]],
  ["unsupported", [
    '// import ws from "k6/ws";',
    '// rampa-convert: option "httpDebug" removed',
    "function fail(message?: string): never {",
    "return crypto.randomUUID();",
    '"http_req_duration{status:200}"',
    "// rampa-convert: this callback now waits for requests, but forEach() does not wait",
    "// rampa-convert: rampa never calls handleSummary",
  ], ["jslib.k6.io/k6-utils"]],
];

for (const [name, has, hasNot] of KEY) {
  Deno.test(`${name}.js: the key rewrites are there`, () => {
    const { code } = convertFile(name);
    for (const h of has) {
      if (typeof h === "string") ok(code.includes(h), `${name}: missing ${h}\n${code}`);
      else match(code, h);
    }
    const body = code.split("\n").filter((l) => !l.trimStart().startsWith("//")).join("\n");
    for (const h of hasNot) ok(!body.includes(h), `${name}: still has ${h}\n${code}`);
  });
}

Deno.test("unsupported.js: every unconvertible construct has a note at its line", () => {
  const { notes } = convertFile("unsupported");
  const at = (re: RegExp) => notes.filter((n) => re.test(n.message)).map((n) => n.line);
  equal(at(/"k6\/ws" is not converted/)[0], 2);
  equal(at(/"k6\/encoding" is not converted/)[0], 3);
  equal(at(/k6-summary/)[0], 7);
  equal(at(/option "httpDebug"/)[0], 12);
  equal(at(/expected_response/)[0], 15);
  equal(at(/response\.cookies/)[0], 24);
  equal(at(/exec\.instance/)[0], 24);
  equal(at(/ws\.connect\(\)/)[0], 26);
  equal(at(/forEach/)[0], 29);
  equal(at(/http\.file/)[0], 32);
  equal(at(/handleSummary/)[0], 35);
});

Deno.test("a script that does not parse is a ConfigError naming file, line and column", () => {
  throws(
    () => convertK6("export default function () {\n  http.get(;\n}\n", "broken.js"),
    (e) => e instanceof ConfigError && /broken\.js:2:12/.test(e.message),
  );
});

Deno.test("a script without k6 imports still gets async functions and a header", () => {
  const { code, notes } = convertK6("export default function () { console.log(1); }\n", "s.js");
  match(code, /^\/\/ Converted from the k6 script s\.js/);
  equal(notes.length, 0);
});

Deno.test("check() and group() in setup() get a note (they throw there in rampa today)", () => {
  const src = 'import http from "k6/http";\nimport { check, group } from "k6";\n' +
    "export function setup() {\n  check(1, { one: (v) => v === 1 });\n" +
    '  group("g", () => {});\n}\nexport default function () {\n  check(1, { one: () => true });\n}\n';
  const { notes } = convertK6(src, "s.js");
  const lines = notes.filter((n) => /inside setup\(\)\/teardown\(\)/.test(n.message)).map((n) =>
    n.line
  );
  equal(lines.join(","), "4,5");
});

Deno.test("a script without a default export is told so", () => {
  const { notes } = convertK6('import http from "k6/http";\nexport function f() {}\n', "s.js");
  ok(notes.some((n) => /no default export/.test(n.message)), JSON.stringify(notes));
});

Deno.test("comments inside converted code stay where they were", () => {
  const src = 'import http from "k6/http";\n' +
    'export default function () {\n  // first\n  http.get("http://x/"); /* after */\n}\n';
  const { code } = convertK6(src, "s.js");
  ok(code.includes('  // first\n  await http.get("http://x/"); /* after */\n'), code);
});

Deno.test("http.get(...).json() is awaited inside parentheses", () => {
  const src = 'import http from "k6/http";\n' +
    'export default function () { const id = http.get("http://x/").json().id; }\n';
  const { code } = convertK6(src, "s.js");
  ok(code.includes('const id = (await http.get("http://x/")).json<any>().id;'), code);
});

Deno.test("a note inside a multi-line template literal goes above the template", () => {
  const src = 'import http from "k6/http";\nimport exec from "k6/execution";\n' +
    "export default function () {\n  const q = `a\n${exec.test.abort()}`;\n}\n";
  const { code } = convertK6(src, "s.js");
  ok(code.includes("  // rampa-convert: exec.test.abort is not converted"), code);
  ok(code.includes("const q = `a\n${"), code);
});

Deno.test("the converted corpus type-checks but for untyped parameters", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rampa-k6-check-" });
  try {
    const files: string[] = [];
    for (const name of corpus()) {
      if (name === "unsupported") continue;
      const file = `${dir}/${name}.ts`;
      await Deno.writeTextFile(file, convertFile(name).code);
      files.push(file);
    }
    await Deno.copyFile(CORPUS + "users.json", `${dir}/users.json`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", ROOT + "deno.json", ...files],
      env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    const codes = [...text.matchAll(/TS(\d+) \[ERROR\]/g)].map((m) => m[1]);
    // JavaScript parameters have no types (TS7006 / TS7031); nothing else may fail.
    const other = codes.filter((c) => c !== "7006" && c !== "7031");
    equal(other.length, 0, text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Small scripts, each with what its conversion must (and must not) contain. */
const CASES: { name: string; src: string; has: string[]; hasNot?: string[]; note?: RegExp }[] = [
  {
    name: "an arrow default with setup data and an expression body gets a block",
    src: 'import http from "k6/http";\nexport default (data) => http.get(`http://x/${data.id}`);\n',
    has: [
      "export default async (ctx: VuContext) => {\n  const data = ctx.data as any; // setup()'s result\n" +
      "  return await http.get(`http://x/${data.id}`);\n};",
    ],
  },
  {
    name: "a shorthand { __VU } keeps its key",
    src: 'import http from "k6/http";\n' +
      'export default function () { http.post("http://x/", JSON.stringify({ __VU, __ITER })); }\n',
    has: ["JSON.stringify({ __VU: ctx.vu, __ITER: ctx.iteration })"],
  },
  {
    name: "an exec function declared as an exported arrow is an entry",
    src: 'import http from "k6/http";\n' +
      'export const options = { scenarios: { a: { executor: "shared-iterations", exec: "run" } } };\n' +
      "export const run = () => { http.get(`http://x/${__VU}`); };\n",
    has: [
      "export const run = async (ctx: VuContext) => { await http.get(`http://x/${ctx.vu}`); };",
    ],
  },
  {
    name: "export { main as default } makes main the scenario function",
    src:
      'import { sleep } from "k6";\nfunction main() { sleep(1); }\nexport { main as default };\n',
    has: ["async function main() { await sleep(1); }"],
  },
  {
    name: "an object method that makes requests becomes async with a note",
    src: 'import http from "k6/http";\nconst api = { list: () => http.get("http://x/") };\n' +
      "export default function () { api.list(); }\n",
    has: ["list: async () => await http.get(", "// rampa-convert: this method is now async"],
    note: /this method is now async/,
  },
  {
    name: "requests inside Promise.all are not awaited one by one",
    src: 'import http from "k6/http";\nexport default async function () {\n' +
      '  await Promise.all([http.asyncRequest("GET", "http://x/")]);\n}\n',
    has: ['await Promise.all([http.request("GET", "http://x/")]);'],
    hasNot: ["asyncRequest", "[await"],
  },
  {
    name: "named k6/http imports call rampa's http",
    src: 'import { get, del as remove } from "k6/http";\n' +
      'export default function () { get("http://x/"); remove("http://x/1"); }\n',
    has: [
      'import { http } from "rampa";',
      'await http.get("http://x/");',
      'await http.del("http://x/1");',
    ],
  },
  {
    name: "the k6 jslib url module is dropped (URL is a global in Deno)",
    src: 'import { URL } from "https://jslib.k6.io/url/1.0.0/index.js";\n' +
      'export default function () { new URL("http://x/"); }\n',
    has: ['export default function () { new URL("http://x/"); }'],
    hasNot: ["jslib"],
  },
  {
    name: "a removed option takes its whole line, and its note comment takes its place",
    src: 'export const options = {\n  vus: 1,\n  rps: 10,\n  duration: "1s",\n};\n' +
      "export default function () {}\n",
    has: [
      '  vus: 1,\n  // rampa-convert: option "rps" removed: to cap the rate use an arrival-rate ' +
      'scenario or rampa run --rate\n  duration: "1s",',
    ],
  },
  {
    name: "a request at module level is awaited and noted",
    src:
      'import http from "k6/http";\nconst r = http.get("http://x/");\nexport default function () {}\n',
    has: ['const r = await http.get("http://x/");'],
    note: /runs at module load/,
  },
  {
    name: "a helper reading __VU called from setup's ctx and the default's ctx",
    src: 'import http from "k6/http";\nfunction id() { return __VU; }\n' +
      "export function setup() { return id(); }\nexport default function () { id(); }\n",
    has: [
      "function id(ctx: VuContext) { return ctx.vu; }",
      "export function setup(ctx: VuContext) { return id(ctx); }",
      "export default function (ctx: VuContext) { id(ctx); }",
    ],
  },
  {
    name: "a helper reading __VU called from teardown is noted (teardown has no ctx)",
    src: "function id() { return __VU; }\nexport function teardown() { id(); }\n" +
      "export default function () {}\n",
    has: ["function id(ctx: VuContext) { return ctx.vu; }"],
    note: /id\(\) reads the VU context but is called where there is none/,
  },
  {
    name: "named k6/http imports: setResponseCallback(expectedStatuses(…)) and batch",
    src: 'import { batch, expectedStatuses, setResponseCallback } from "k6/http";\n' +
      "setResponseCallback(expectedStatuses(200, { min: 400, max: 404 }));\n" +
      'export default function () { batch(["http://x/a", ["POST", "http://x/b", { a: 1 }]]); }\n',
    has: [
      "http.setExpectedStatuses(200, { min: 400, max: 404 });",
      'await http.batch(["http://x/a", ["POST", "http://x/b", { form: { a: 1 } }]]);',
      'import { http } from "rampa";',
    ],
    hasNot: ["setResponseCallback", "expectedStatuses("],
  },
  {
    name: "setResponseCallback(null) becomes the default rule, with a note",
    src: 'import http from "k6/http";\nhttp.setResponseCallback(null);\n' +
      "export default function () {}\n",
    has: ["http.setExpectedStatuses();"],
    note: /default rule: statuses 200-399 succeed/,
  },
  {
    name: "a batch of named requests is left with a note (rampa's batch takes a list)",
    src: 'import http from "k6/http";\n' +
      'export default function () { http.batch({ a: "http://x/a" }); }\n',
    has: ['await http.batch({ a: "http://x/a" });'],
    note: /takes a list, not named requests/,
  },
  {
    name: "a responseCallback other than expectedStatuses is removed with a note",
    src: 'import http from "k6/http";\n' +
      'export default function () { http.get("http://x/", { responseCallback: cb }); }\n',
    has: ['await http.get("http://x/", {'],
    hasNot: ["responseCallback: cb"],
    note: /expectedStatuses: \[200, \{ min: 400, max: 404 \}\] instead/,
  },
];

for (const c of CASES) {
  Deno.test(c.name, () => {
    const { code, notes } = convertK6(c.src, "case.js");
    for (const h of c.has) ok(code.includes(h), `missing:\n${h}\n--- in ---\n${code}`);
    for (const h of c.hasNot ?? []) ok(!code.includes(h), `still has ${h}:\n${code}`);
    if (c.note) ok(notes.some((n) => c.note!.test(n.message)), JSON.stringify(notes));
  });
}
