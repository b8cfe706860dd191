/**
 * The scenario the release workflow runs with every binary (tests/dist/smoke/), run here the
 * same way from source: copied to a directory outside the repository, importing `"rampa"`,
 * `"zod"` and its helper, against the embedded target. It passes against a healthy target and
 * fails (exit 3) when the target errs, so a green smoke step means something.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { count, readSummary, ROOT, runCli } from "../e2e/_cli.ts";

const SMOKE = ROOT + "tests/dist/smoke/";

/** A temp dir outside the repository holding the smoke scenario and its helper. */
async function copySmoke(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-smoke-" });
  for (const f of ["smoke_scenario.ts", "smoke_helper.ts"]) {
    await Deno.copyFile(SMOKE + f, `${dir}/${f}`);
  }
  return dir;
}

Deno.test("the release smoke scenario passes from outside the repository against the embedded target", async () => {
  const target = startTarget({ quiet: true });
  const dir = await copySmoke();
  try {
    const r = await runCli(
      ["run", `${dir}/smoke_scenario.ts`, "--env", `BASE_URL=${target.url}`],
      dir,
    );
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    ok(count(s, "http_reqs") >= 50, `${count(s, "http_reqs")} requests`);
    const checks = Object.fromEntries(s.checks.map((c) => [c.name, c]));
    equal(checks["items have the right shape"].fails, 0);
    ok(checks["status is 200"].passes >= 50);
  } finally {
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the release smoke scenario fails with exit 3 when the target answers errors", async () => {
  const target = startTarget({ quiet: true, errorRate: 1 });
  const dir = await copySmoke();
  try {
    const r = await runCli(
      ["run", `${dir}/smoke_scenario.ts`, "--env", `BASE_URL=${target.url}`, "--no-summary"],
      dir,
    );
    equal(r.code, 3, r.stderr + r.stdout);
  } finally {
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});
