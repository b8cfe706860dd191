import { equal, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { hasNginx, startNginx } from "../../tools/testing/nginx.ts";
import { count, readSummary, ROOT, runCli } from "./_cli.ts";

async function runExample(file: string, base: string) {
  const dir = await Deno.makeTempDir();
  const r = await runCli(["run", ROOT + "examples/" + file, "--env", `BASE_URL=${base}`], dir);
  return { r, summary: () => readSummary(`${dir}/rampa-summary.json`) };
}

const targets: [string, () => Promise<{ url: string; close: () => Promise<void> }>][] = [
  ["the embedded target", () => Promise.resolve(startTarget({ quiet: true }))],
  ["nginx", async () => {
    const n = await startNginx();
    return { url: `http://127.0.0.1:${n.port}`, close: n.stop };
  }],
];

for (const [where, start] of targets) {
  Deno.test({
    name: `the spike example runs its ramping arrival rate against ${where}`,
    ignore: where === "nginx" && !hasNginx(),
    fn: async () => {
      const t = await start();
      try {
        const { r, summary } = await runExample("spike.ts", t.url);
        equal(r.code, 0, r.stderr + r.stdout);
        const s = await summary();
        // 20/s for 1 s, ramp to 200/s over 0.5 s, 200/s for 1 s, ramp down over 0.5 s.
        equal(s.load.planned, 20 + 55 + 200 + 55);
        equal(s.load.started + s.load.dropped, s.load.planned);
        equal(s.scenarios[0].executor, "ramping-arrival-rate");
        equal(s.thresholds.length, 3);
        ok(s.thresholds.every((x) => x.passed));
      } finally {
        await t.close();
      }
    },
  });

  Deno.test({
    name: `the mix example runs three scenarios with their own executors against ${where}`,
    ignore: where === "nginx" && !hasNginx(),
    fn: async () => {
      const t = await start();
      try {
        const { r, summary } = await runExample("mix.ts", t.url);
        equal(r.code, 0, r.stderr + r.stdout);
        const s = await summary();
        const it = s.metrics.iterations;
        ok(it.type === "counter");
        const per = Object.fromEntries(it.breakdown.map((b) => [b.tags.scenario, b.count]));
        equal(per.readers, 80);
        equal(per.smoke, 3);
        ok(per.writers >= 2);
        equal(count(s, "writes"), per.writers);
        const reqs = s.metrics.http_reqs;
        ok(reqs.type === "counter");
        ok(reqs.breakdown.some((b) => b.tags.kind === "write" && b.tags.group === "write"));
        ok(s.thresholds[0].passed);
      } finally {
        await t.close();
      }
    },
  });
}

Deno.test("the REST example runs against the embedded target (it needs /login)", async () => {
  const t = startTarget({ quiet: true });
  try {
    const { r, summary } = await runExample("rest_flow.ts", t.url);
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await summary();
    equal(count(s, "iterations"), 60);
  } finally {
    await t.close();
  }
});
