/**
 * The HTTP semantics of `http` through the real CLI against the embedded target: expected
 * statuses set at the scenario's top level decide `http_req_failed` in the summary (per
 * endpoint too), batches run in order, per-request timeouts fail as `timeout`; ad-hoc runs
 * follow redirects on every engine.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { startSemanticsServer } from "../engines/http/_semantics_server.ts";
import { count, readSummary, runCli } from "./_cli.ts";

const SCENARIO = `import { check, http } from "rampa";
http.setExpectedStatuses({ min: 200, max: 299 }, 404);
export const options = {
  scenarios: { s: { executor: "shared-iterations", vus: 2, iterations: 6 } },
};
export default async function (ctx) {
  const base = ctx.env.BASE_URL;
  const [missing, item, form] = await http.batch([
    base + "/status/404",
    ["GET", base + "/api/items/1", null, { name: "item" }],
    { url: base + "/status/418", params: { expectedStatuses: [418] } },
  ]);
  check([missing, item, form], { "batch in order": (r) =>
    r[0].status === 404 && r[1].status === 200 && r[2].status === 418 });
  const slow = await http.get(base + "/delay/400", { timeout: 100 });
  check(slow, { "timed out": (r) => r.error === "timeout" });
}
`;

Deno.test("expected statuses, batch and timeouts through the CLI", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "rampa-e2e-" });
  try {
    await Deno.writeTextFile(`${dir}/s.ts`, SCENARIO);
    const r = await runCli(["run", "s.ts", "--env", `BASE_URL=${target.url}`], dir);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(count(s, "http_reqs"), 24, r.stderr);
    const failed = s.metrics.http_req_failed;
    ok(failed.type === "rate");
    // Only the 6 timeouts failed: the 404s and 418s were expected.
    equal(failed.passes, 6, JSON.stringify(failed));
    const byName = Object.fromEntries(s.endpoints.map((e) => [e.name, e.failed]));
    equal(byName[`${target.url}/status/404`], 0);
    equal(byName[`${target.url}/status/418`], 0);
    equal(byName[`${target.url}/delay/400`], 6);
    deepStrictEqual(
      s.checks.map((c) => [c.name, c.passes, c.fails]).sort(),
      [["batch in order", 6, 0], ["timed out", 6, 0]],
    );
    deepStrictEqual(s.errors.map((e) => [e.kind, e.count]), [["timeout", 6]]);
  } finally {
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an ad-hoc run follows redirects on every engine, each hop its own endpoint", async () => {
  const server = startSemanticsServer();
  const dir = await Deno.makeTempDir({ prefix: "rampa-e2e-" });
  try {
    for (const engine of ["http1", "fetch", "http2"]) {
      const r = await runCli(
        ["run", `${server.url}/chain/2`, "--engine", engine, "--rate", "20/s", "-d", "500ms"],
        dir,
      );
      equal(r.code, 0, r.stderr + r.stdout);
      const s = await readSummary(`${dir}/rampa-summary.json`);
      const by = Object.fromEntries(s.endpoints.map((e) => [e.name, e]));
      const first = by[`${server.url}/chain/2`];
      ok(first && first.requests > 0, engine + JSON.stringify(Object.keys(by)));
      deepStrictEqual(first.statuses, { "302": first.requests }, engine);
      deepStrictEqual(by[`${server.url}/chain/1`].statuses, { "302": first.requests }, engine);
      deepStrictEqual(by[`${server.url}/chain/0`].statuses, { "200": first.requests }, engine);
      equal(count(s, "http_reqs"), 3 * first.requests, engine);
      equal(s.metrics.http_req_failed.type === "rate" && s.metrics.http_req_failed.passes, 0);
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
