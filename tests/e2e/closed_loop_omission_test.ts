import { equal, match, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { readSummary, runCli } from "./_cli.ts";

Deno.test("a closed loop against a stalling target says first that it hid the stalls", async () => {
  // Every response is held for 300 ms once a second: closed-loop VUs simply wait.
  const target = startTarget({ quiet: true, stall: { forMs: 300, everyMs: 1000 } });
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(["run", `${target.url}/`, "--vus", "5", "-d", "3s"], dir);
    equal(r.code, 0, r.stderr);
    const lines = r.stdout.split("\n");
    match(lines[0], /PASSED/);
    match(lines[1], /^! results not trustworthy: the closed loop hid stalls/);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(s.health.verdict, "coordinated-omission");
    match(s.verdict.warning ?? "", /--rate/);
    const raw = s.metrics.http_req_duration;
    const corrected = s.metrics.http_req_duration_corrected;
    ok(raw.type === "trend" && corrected.type === "trend");
    ok(corrected.p99 >= 150, `corrected p99 ${corrected.p99} ms shows the stalls`);
    ok(corrected.count > raw.count, "the stalls were back-filled");
  } finally {
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});
