import { equal, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { readSummary, runCli } from "./_cli.ts";

function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("a dead streaming sink leaves the run's exit code alone and its stats in the summary", async () => {
  const target = startTarget({ quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const sink = `prometheus=http://user:S3CRET@127.0.0.1:${closedPort()}/api/v1/write?interval=1s`;
    const r = await runCli(
      ["run", `${target.url}/`, "--rate", "50/s", "-d", "2s", "--out", sink],
      dir,
    );
    equal(r.code, 0, r.stderr);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(s.load.started, 100);
    const out = s.outputs?.[0];
    ok(out && out.sent === 0 && out.failed > 0, JSON.stringify(s.outputs));
    ok(!JSON.stringify(s).includes("S3CRET") && !r.stderr.includes("S3CRET"), "credential leaked");
  } finally {
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});
