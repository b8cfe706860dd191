import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { ConfigError } from "../../../core/errors.ts";
import { envLayer, parseStages, resolveOptions } from "../../../core/scenario/options.ts";

const file = {
  scenarios: {
    a: { executor: "constant-vus", vus: 2, duration: "10s" },
  },
  thresholds: { http_req_duration: ["p(99)<500"] },
  tags: { team: "x" },
};

Deno.test("file scenarios are used when no layer above sets a shortcut", () => {
  const o = resolveOptions(file);
  deepStrictEqual(Object.keys(o.scenarios), ["a"]);
  equal(o.scenarios.a.executor, "constant-vus");
  deepStrictEqual(o.tags, { team: "x" });
});

Deno.test("defaults < file < RAMPA_* environment < CLI flags", () => {
  const fromEnv = resolveOptions({ vus: 2, duration: "5s" }, envLayer({ RAMPA_VUS: "7" }));
  const d = fromEnv.scenarios.default;
  ok(d.executor === "constant-vus" && d.vus === 7 && d.duration === 5000);
  const fromCli = resolveOptions({ vus: 2, duration: "5s" }, envLayer({ RAMPA_VUS: "7" }), {
    vus: 9,
  });
  const c = fromCli.scenarios.default;
  ok(c.executor === "constant-vus" && c.vus === 9);
});

Deno.test("shortcuts from the environment or flags replace the file's scenarios", () => {
  const o = resolveOptions(file, envLayer({ RAMPA_DURATION: "3s", RAMPA_VUS: "4" }));
  deepStrictEqual(Object.keys(o.scenarios), ["default"]);
  const o2 = resolveOptions(file, {}, { stages: parseStages(["1s:10", "2s:0"]) });
  equal(o2.scenarios.default.executor, "ramping-vus");
});

Deno.test("shortcuts derive the executor k6 would", () => {
  const kind = (layer: Record<string, unknown>) => resolveOptions(layer).scenarios.default.executor;
  equal(kind({}), "per-vu-iterations");
  equal(kind({ vus: 3, duration: "1s" }), "constant-vus");
  equal(kind({ vus: 3, iterations: 9 }), "shared-iterations");
  equal(kind({ stages: [{ duration: "1s", target: 5 }] }), "ramping-vus");
  equal(kind({ rate: "50/s", duration: "1s" }), "constant-arrival-rate");
});

Deno.test("RAMPA_ENV_* values reach the scenario env; flags win", () => {
  const o = resolveOptions({ env: { A: "file", B: "file" } }, envLayer({ RAMPA_ENV_A: "env" }), {
    env: { B: "cli" },
  });
  deepStrictEqual(o.env, { A: "env", B: "cli" });
});

Deno.test("every bad field is reported at once with its path", () => {
  throws(
    () =>
      resolveOptions({
        scenarios: { a: { executor: "constant-vus", vus: 0, duration: "x" } },
        colour: 1,
        setupTimeout: "soon",
      }),
    (e: unknown) => {
      ok(e instanceof ConfigError);
      const text = e.issues.join("\n");
      ok(/options\.colour/.test(text), text);
      ok(/options\.scenarios\.a\.vus/.test(text), text);
      ok(/options\.scenarios\.a\.duration/.test(text), text);
      ok(/options\.setupTimeout/.test(text), text);
      return true;
    },
  );
});

Deno.test("bad RAMPA_* values and stages are config errors", () => {
  throws(() => envLayer({ RAMPA_VUS: "many" }), /RAMPA_VUS/);
  throws(() => parseStages(["30s"]), /expected duration:target/);
  throws(() => parseStages(["5x:10"]), /Cannot parse --stage "5x"/);
});

Deno.test("resolving never mutates the file's options", () => {
  const copy = structuredClone(file);
  resolveOptions(file, envLayer({ RAMPA_VUS: "3" }), { duration: "1s" });
  deepStrictEqual(file, copy);
});
