import { equal, ok } from "node:assert/strict";
import { registerScenarioFormat, scenarioFormatFor } from "../../../core/scenario/formats.ts";
import { loadScenario } from "../../../core/scenario/loader.ts";
import { isScenarioPath } from "../../../core/scenario/scenario_path.ts";
import { registerDeclarativeFormats } from "../../../declarative/register.ts";

Deno.test("YAML and JSON files are scenario paths; URLs ending so are not", () => {
  for (const p of ["flow.yaml", "a/b.yml", "flow.json", "x.ts", "x.mjs"]) ok(isScenarioPath(p), p);
  for (const p of ["http://h/flow.yaml", "https://h/data.json", "http://h/", "flow.txt"]) {
    ok(!isScenarioPath(p), p);
  }
});

Deno.test("a registered format's loader is found by extension, case-insensitively", () => {
  const load = () => Promise.resolve({ default: () => {} });
  registerScenarioFormat(".rampa-test", load);
  equal(scenarioFormatFor("/a/b/flow.RAMPA-TEST"), load);
  equal(scenarioFormatFor("/a/b.rampa-test/flow"), null);
  equal(scenarioFormatFor("/a/b/flow.ts"), null);
});

Deno.test("loadScenario hands a registered format's file to its loader", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let seen = "";
    registerScenarioFormat(".rampa-test2", (path) => {
      seen = path;
      return Promise.resolve({ options: { vus: 2 }, default: () => {} });
    });
    await Deno.writeTextFile(`${dir}/s.rampa-test2`, "anything");
    const loaded = await loadScenario("s.rampa-test2", dir);
    equal(seen, `${dir}/s.rampa-test2`);
    equal(loaded.path, seen);
    equal((loaded.module.options as { vus: number }).vus, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the declarative formats load a .yml file through loadScenario", async () => {
  registerDeclarativeFormats();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/flow.yml`,
      "options: { vus: 1, iterations: 1 }\nsteps:\n  - { name: a, request: { url: http://127.0.0.1:1/ } }\n",
    );
    const loaded = await loadScenario("flow.yml", dir);
    equal(typeof loaded.module.default, "function");
    equal((loaded.module.options as { vus: number }).vus, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
