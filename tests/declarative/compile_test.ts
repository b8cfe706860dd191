import { deepEqual, equal, rejects } from "node:assert/strict";
import { compileDeclarative } from "../../declarative/load.ts";
import { type DeclarativeContext, render } from "../../declarative/run.ts";
import { fakeContext } from "./_fake_ctx.ts";

type Run = (ctx: DeclarativeContext) => Promise<void>;

async function compile(text: string, file = "flow.yaml"): Promise<Record<string, unknown>> {
  return { ...(await compileDeclarative(file, text)) };
}

Deno.test("a step sends its method, URL with query, headers and JSON body", async () => {
  const mod = await compile(`
options: { vus: 1, iterations: 1 }
steps:
  - name: create
    request:
      method: post
      url: \${env.BASE}/items/\${vu}
      query: { q: "a b&c", it: "\${iteration}" }
      headers: { X-Vu: "\${vu}", Accept: application/json }
      json: { name: "say \\"\${env.WHO}\\"", n: 3, tags: [x, "\${scenario}"], nil: null }
`);
  deepEqual(mod.options, { vus: 1, iterations: 1 });
  const f = fakeContext(() => ({}), { env: { BASE: "http://h", WHO: 'a"b' }, vu: 7, iteration: 2 });
  await (mod.default as Run)(f.ctx);
  equal(f.sent.length, 1);
  const s = f.sent[0];
  equal(s.method, "POST");
  equal(s.url, "http://h/items/7?q=a%20b%26c&it=2");
  deepEqual(s.headers, {
    "X-Vu": "7",
    Accept: "application/json",
    "Content-Type": "application/json",
  });
  deepEqual(JSON.parse(s.body!), { name: 'say "a"b"', n: 3, tags: ["x", "default"], nil: null });
  equal(s.group, "create");
});

Deno.test("form bodies are URL-encoded and an existing query string gets &", async () => {
  const mod = await compile(`
steps:
  - name: f
    request:
      method: PUT
      url: http://h/x?a=1
      query: { b: 2 }
      form: { user: "\${env.U}", "the key": v }
`);
  const f = fakeContext(() => ({}), { env: { U: "a&b=c" } });
  await (mod.default as Run)(f.ctx);
  equal(f.sent[0].url, "http://h/x?a=1&b=2");
  equal(f.sent[0].body, "user=a%26b%3Dc&the%20key=v");
  equal(f.sent[0].headers["Content-Type"], "application/x-www-form-urlencoded");
});

Deno.test("extracts by JSONPath, header and regex feed later steps", async () => {
  const mod = await compile(`
steps:
  - name: login
    request: { method: POST, url: http://h/login, body: "user=\${vu}" }
    extract:
      token: $.auth.token
      rid: "header:X-Request-Id"
      code: "regex:code=(\\\\d+)"
      whole: "regex:[a-z]+-[a-z]+"
      obj: $.auth
  - name: use
    request:
      url: http://h/use/\${code}
      headers: { Authorization: "Bearer \${token}", X-Rid: "\${rid}", X-W: "\${whole}", X-O: "\${obj}" }
`);
  const f = fakeContext((_m, url) =>
    url.endsWith("/login")
      ? {
        body: JSON.stringify({ auth: { token: "tok-1" }, note: "code=42 ab-cd" }),
        headers: { "x-request-id": "r-9" },
      }
      : {}
  );
  await (mod.default as Run)(f.ctx);
  equal(f.sent[0].body, "user=1");
  equal(f.sent[1].url, "http://h/use/42");
  deepEqual(f.sent[1].headers, {
    Authorization: "Bearer tok-1",
    "X-Rid": "r-9",
    "X-W": "ab-cd",
    "X-O": '{"token":"tok-1"}',
  });
});

Deno.test("an extract that finds nothing is a failed check and ends the iteration", async () => {
  const mod = await compile(`
steps:
  - name: login
    request: { url: http://h/login }
    expect: { status: 200 }
    extract: { token: $.token }
    think: 1s
  - name: next
    request: { url: "http://h/\${token}" }
`);
  const f = fakeContext(() => ({ status: 500, body: "oops" }));
  await (mod.default as Run)(f.ctx);
  equal(f.sent.length, 1, "the step after a failed extract is not sent");
  deepEqual(f.sleeps, [], "nor is its think time slept");
  deepEqual(f.checks.map((c) => [c.name, c.ok, c.reason, c.group]), [
    ["login status 200", false, "got 500", "login"],
    ["login extract token", false, "$.token found nothing (status 500)", "login"],
  ]);
  const g = fakeContext(() => ({ body: '{"token":"t1"}' }));
  await (mod.default as Run)(g.ctx);
  deepEqual(g.checks.map((c) => [c.name, c.ok]), [["login status 200", true], [
    "login extract token",
    true,
  ]]);
  equal(g.sent[1].url, "http://h/t1");
});

Deno.test("expect entries become named checks, recorded inside the step's group", async () => {
  const mod = await compile(`
steps:
  - name: home
    request: { url: http://h/ }
    expect:
      status: [200, 201]
      header: { Content-Type: json }
      json: { type: object, required: [id] }
      contains: [abc, zzz]
`);
  const f = fakeContext(() => ({
    body: '{"id":1,"s":"abc"}',
    headers: { "content-type": "application/json" },
  }));
  await (mod.default as Run)(f.ctx);
  deepEqual(f.checks.map((c) => [c.name, c.ok, c.reason, c.group]), [
    ["home status 200 or 201", true, "", "home"],
    ['home header Content-Type contains "json"', true, "", "home"],
    ["home json schema", true, "", "home"],
    ['home contains "abc"', true, "", "home"],
    ['home contains "zzz"', false, 'body does not contain "zzz"', "home"],
  ]);
  const g = fakeContext(() => ({ status: 404, body: "[]" }));
  await (mod.default as Run)(g.ctx);
  deepEqual(g.checks.map((c) => c.reason), [
    "got 404",
    "no Content-Type header",
    "(root): must be object",
    'body does not contain "abc"',
    'body does not contain "zzz"',
  ]);
});

Deno.test("a JSON Schema can come from a file next to the scenario", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/s.json`, JSON.stringify({ type: "array" }));
    const mod = await compile(
      "steps:\n  - name: a\n    request: { url: http://h/ }\n    expect: { json: ./s.json }\n",
      `${dir}/flow.yaml`,
    );
    const f = fakeContext(() => ({ body: "{}" }));
    await (mod.default as Run)(f.ctx);
    deepEqual(f.checks.map((c) => [c.name, c.reason]), [[
      "a json schema",
      "(root): must be array",
    ]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("think time sleeps after the step, outside its group", async () => {
  const mod = await compile(`
steps:
  - { name: a, request: { url: http://h/a }, think: 250ms }
  - { name: b, request: { url: http://h/b }, think: 1500 }
  - { name: c, request: { url: http://h/c } }
`);
  const f = fakeContext(() => ({}));
  await (mod.default as Run)(f.ctx);
  deepEqual(f.sleeps, [0.25, 1.5]);
  deepEqual(f.sent.map((s) => s.group), ["a", "b", "c"]);
});

Deno.test("an unset environment variable is a clear iteration error", async () => {
  const mod = await compile("steps:\n  - name: a\n    request: { url: '${env.BASE_URL}/' }\n");
  await rejects(() => (mod.default as Run)(fakeContext(() => ({})).ctx), /"BASE_URL" is not set/);
});

Deno.test("weighted flows rotate in their stated proportions; named flows are exported", async () => {
  const mod = await compile(`
flows:
  - { name: browse, weight: 3, steps: [{ name: b, request: { url: http://h/b } }] }
  - { name: buy, weight: 1, steps: [{ name: c, request: { url: http://h/c } }] }
`);
  const f = fakeContext(() => ({}));
  for (let i = 0; i < 8; i++) await (mod.default as Run)(f.ctx);
  deepEqual(f.sent.map((s) => s.url.slice(-1)).join(""), "bbcbbbcb");
  equal(f.sent.filter((s) => s.url.endsWith("c")).length, 2);
  await (mod.buy as Run)(f.ctx);
  equal(f.sent.at(-1)!.url, "http://h/c");
});

Deno.test("one dataset row per iteration is shared by every step of it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/u.csv`, "name,pw\nann,1\nbob,2\n");
    await Deno.writeTextFile(`${dir}/i.json`, JSON.stringify([{ id: 5, tags: ["x"] }]));
    const mod = await compile(
      `
data:
  users: { csv: ./u.csv }
  items: { json: ./i.json }
steps:
  - { name: a, request: { url: "http://h/\${data.users.name}/\${data.items.id}" } }
  - { name: b, request: { url: "http://h/\${data.users.pw}", body: "\${data.items.tags}" } }
`,
      `${dir}/flow.yaml`,
    );
    const f = fakeContext(() => ({}));
    await (mod.default as Run)(f.ctx);
    await (mod.default as Run)(f.ctx);
    deepEqual(f.sent.map((s) => s.url), [
      "http://h/ann/5",
      "http://h/1",
      "http://h/bob/5",
      "http://h/2",
    ]);
    equal(f.sent[1].body, '["x"]');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rendering concatenates literal parts and escaped values", () => {
  const t = {
    lits: ["a", "b", ""],
    refs: [{ k: "vu" as const }, { k: "env" as const, name: "X" }],
    escapes: [0, 2] as (0 | 2)[],
  };
  const sc = { env: { X: "1 2" }, vu: "3", iteration: "0", scenario: "s", rows: [], vars: [] };
  equal(render(t, sc), "a3b1%202");
});
