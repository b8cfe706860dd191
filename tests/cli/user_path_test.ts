import { equal, ok } from "node:assert/strict";
import { join, resolve } from "node:path";
import { userCwd, userPath } from "../../cli/user_path.ts";
import { userOutSpecs } from "../../cli/outputs.ts";
import { readSummary, ROOT, spawnCli } from "../e2e/_cli.ts";
import { startTarget } from "../../target/mod.ts";

const root = resolve(ROOT);

const cases: [string, Parameters<typeof userPath>[1], string, string][] = [
  [
    "deno task in the checkout resolves from INIT_CWD",
    { initCwd: "/home/u/load", cwd: root, root },
    "s.ts",
    "/home/u/load/s.ts",
  ],
  [
    "a nested relative path keeps its folders",
    { initCwd: "/home/u/load", cwd: root, root },
    "data/a.csv",
    "/home/u/load/data/a.csv",
  ],
  [
    "an absolute path is left alone",
    { initCwd: "/home/u/load", cwd: root, root },
    "/tmp/x.json",
    "/tmp/x.json",
  ],
  ["stdout is not a path", { initCwd: "/home/u/load", cwd: root, root }, "-", "-"],
  [
    "a URL is not a path",
    { initCwd: "/home/u/load", cwd: root, root },
    "http://127.0.0.1:9/x",
    "http://127.0.0.1:9/x",
  ],
  ["without INIT_CWD the path stays as typed", { initCwd: "", cwd: root, root }, "s.ts", "s.ts"],
  [
    "INIT_CWD equal to the working directory changes nothing",
    { initCwd: root, cwd: root, root },
    "s.ts",
    "s.ts",
  ],
  // A harness spawning rampa in a temp folder from inside a task inherits a stale INIT_CWD.
  [
    "an inherited INIT_CWD outside the checkout is ignored",
    { initCwd: "/home/u/load", cwd: "/tmp/elsewhere", root },
    "s.ts",
    "s.ts",
  ],
  [
    "a compiled binary (no checkout) ignores INIT_CWD",
    { initCwd: "/home/u/load", cwd: root, root: null },
    "s.ts",
    "s.ts",
  ],
];

for (const [name, ctx, input, want] of cases) {
  Deno.test(`userPath: ${name}`, () => equal(userPath(input, ctx), want));
}

Deno.test("userCwd is INIT_CWD only when deno task ran rampa in its checkout", () => {
  equal(userCwd({ initCwd: "/home/u/load", cwd: root, root }), "/home/u/load");
  equal(userCwd({ initCwd: "/home/u/load", cwd: "/tmp", root }), "/tmp");
});

Deno.test("--out path targets resolve from where the user stands; URLs are left alone", () => {
  // In the test process INIT_CWD is not trusted (cwd is the checkout only under deno task):
  // the values come back as typed.
  const outs = ["html=r.html", "prometheus=http://127.0.0.1:9090/api/v1/write", "console"];
  const mapped = userOutSpecs(outs);
  equal(mapped[1], outs[1]);
  equal(mapped[2], outs[2]);
});

Deno.test("under deno task, scenario, data, output and summary paths resolve against INIT_CWD", async () => {
  const target = startTarget({ quiet: true });
  const user = await Deno.makeTempDir({ prefix: "rampa-init-cwd-" });
  try {
    await Deno.mkdir(join(user, "data"));
    await Deno.writeTextFile(join(user, "data", "ids.csv"), "id\n1\n2\n");
    await Deno.writeTextFile(
      join(user, "load.ts"),
      `import { dataset, http } from "rampa";
const ids = await dataset.csv("./data/ids.csv");
export const options = { vus: 1, iterations: 2 };
export default async function () {
  await http.get(Deno.env.get("TARGET") + "/api/items/" + ids.next().id);
}
`,
    );
    // What deno task does: the process runs in the checkout, INIT_CWD names the user's folder.
    const child = spawnCli(
      ["run", "load.ts", "--summary", "out/summary.json", "--out", "html=out/report.html"],
      root,
      { INIT_CWD: user, TARGET: target.url },
    );
    await Deno.mkdir(join(user, "out"));
    const r = await child.output();
    const text = new TextDecoder();
    equal(r.code, 0, text.decode(r.stderr) + text.decode(r.stdout));
    const s = await readSummary(join(user, "out", "summary.json"));
    equal(s.load.started, 2);
    ok(s.endpoints.some((e) => e.name.endsWith("/api/items/1")), "data read from INIT_CWD");
    ok((await Deno.stat(join(user, "out", "report.html"))).isFile);
    for (const stray of ["out/summary.json", "out/report.html"]) {
      const there = await Deno.stat(join(root, stray)).then(() => true, () => false);
      ok(!there, `nothing written to the checkout: ${stray}`);
    }
  } finally {
    await target.close();
    await Deno.remove(user, { recursive: true });
  }
});
