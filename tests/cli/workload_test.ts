import { equal } from "node:assert/strict";
import { parseRunArgs } from "../../cli/commands/run_args.ts";
import { buildWorkload, warmUp } from "../../cli/workload.ts";
import { runScenarios } from "../../core/run/runner.ts";
import { wakerStarts } from "../../core/schedule/wait.ts";
import { WHOLE_RUN } from "../../core/types.ts";
import { startTarget } from "../../target/mod.ts";

Deno.test("warm-up and the measured run share one waker thread", async () => {
  const target = startTarget({ quiet: true });
  try {
    // 400/s needs the waker (from 200/s); 300 ms of each phase keeps the test short.
    const a = parseRunArgs([
      `${target.url}/`,
      "--rate",
      "400/s",
      "-d",
      "300ms",
      "--warmup",
      "300ms",
    ]);
    const spec = { kind: "adhoc", args: a, body: null } as const;
    const before = wakerStarts();
    const endWarmUp = await warmUp(spec, WHOLE_RUN);
    const w = await buildWorkload(spec, WHOLE_RUN, () => {});
    try {
      const r = await runScenarios({ scenarios: w.scenarios, registry: w.registry });
      equal(r.scenarios[0].result.started, 120);
    } finally {
      endWarmUp();
    }
    equal(wakerStarts() - before, 1, "one helper thread for warm-up and run");
    equal(target.stats().requests, 240);
  } finally {
    await target.close();
  }
});
