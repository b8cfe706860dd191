import { equal, ok } from "node:assert/strict";
import { parseRunArgs } from "../../../cli/commands/run_args.ts";
import { adHocRunSpec } from "../../../cli/run_spec.ts";
import { buildWorkload, warmUp } from "../../../core/run/workload.ts";
import { runScenarios } from "../../../core/run/runner.ts";
import { wakerStarts } from "../../../core/schedule/wait.ts";
import { WHOLE_RUN } from "../../../core/types.ts";
import "../../_support/recorded_run.ts";

/** A loopback target that notes each request's client port, by phase. */
function portTarget() {
  const ports = { warm: [] as number[], run: [] as number[] };
  let phase: keyof typeof ports = "warm";
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (_req, info) => {
      ports[phase].push((info.remoteAddr as Deno.NetAddr).port);
      return new Response("ok");
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    ports,
    measure: () => phase = "run",
    close: () => server.shutdown(),
  };
}

Deno.test("warm-up runs the measured run's own workload: its connections, one waker, nothing recorded", async () => {
  const target = portTarget();
  try {
    // 400/s needs the waker (from 200/s); 300 ms of each phase keeps the test short.
    const a = parseRunArgs([target.url, "--rate", "400/s", "-d", "300ms", "--warmup", "300ms"]);
    const spec = await adHocRunSpec(a, { workers: 1, reason: "test" }, {});
    const before = wakerStarts();
    const w = await buildWorkload(spec, WHOLE_RUN, () => {});
    const endWarmUp = await warmUp(w, spec, WHOLE_RUN);
    try {
      equal(target.ports.warm.length, 120);
      // The warm-up's results went nowhere: the registry holds no request yet.
      const left = [...w.registry.drain().series.values()]
        .filter((s) => s.metric === "http_reqs" && s.count > 0);
      equal(left.length, 0);
      target.measure();
      const r = await runScenarios({ scenarios: w.scenarios, registry: w.registry });
      equal(r.scenarios[0].result.started, 120);
    } finally {
      endWarmUp();
    }
    equal(wakerStarts() - before, 1, "one helper thread for warm-up and run");
    // Kept-alive connections from the warm-up carry the run (a fresh workload used none).
    const warmPorts = new Set(target.ports.warm);
    const reused = target.ports.run.filter((p) => warmPorts.has(p)).length;
    // Most, not all: a burst on a busy machine may need a connection the warm-up did not (the
    // count depends on timing); a fresh workload would reuse none.
    ok(reused >= 0.5 * target.ports.run.length, `${reused} of 120 on warm-up connections`);
  } finally {
    await target.close();
  }
});
