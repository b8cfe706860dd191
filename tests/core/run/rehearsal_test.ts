/**
 * The rehearsal before an open-loop run's clock (ADR 23): it runs the workload's own
 * scenario against a stand-in, so the target sees nothing of it, nothing it recorded is left
 * for the run, and the run then opens its own connections and sends exactly its plan. Runs it
 * would not help (or could not do without load on the target) are left alone, with the reason.
 */
import { equal, ok } from "node:assert/strict";
import { parseRunArgs } from "../../../cli/commands/run_args.ts";
import { adHocRunSpec } from "../../../cli/run_spec.ts";
import { REHEARSAL_MIN_RATE, rehearse } from "../../../core/run/rehearsal.ts";
import { runScenarios } from "../../../core/run/runner.ts";
import { buildWorkload, prepareWorkload } from "../../../core/run/workload.ts";
import { WHOLE_RUN } from "../../../core/types.ts";
import "../../_support/recorded_run.ts";

/** A loopback target counting requests and the client ports they came from. */
function countingTarget() {
  let requests = 0;
  const ports = new Set<number>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (_req, info) => {
      requests++;
      ports.add((info.remoteAddr as Deno.NetAddr).port);
      return new Response("ok");
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    requests: () => requests,
    connections: () => ports.size,
    close: () => server.shutdown(),
  };
}

async function workloadFor(args: string[]) {
  const spec = await adHocRunSpec(parseRunArgs(args), { workers: 1, reason: "test" }, {});
  return { spec, w: await buildWorkload(spec, WHOLE_RUN, () => {}) };
}

function requestsIn(w: Awaited<ReturnType<typeof workloadFor>>["w"]): number {
  let n = 0;
  for (const s of w.registry.drain().series.values()) {
    if (s.metric === "http_reqs") n += s.value;
  }
  return n;
}

Deno.test("a rehearsal sends nothing to the target and leaves the run its exact plan", async () => {
  const target = countingTarget();
  try {
    const { spec, w } = await workloadFor([target.url, "--rate", "10000/s", "-d", "200ms"]);
    const deltas: number[] = [];
    const r = await rehearse(w, spec, WHOLE_RUN, undefined, (d) => {
      for (const s of d.series.values()) if (s.metric === "http_reqs") deltas.push(s.value);
    });
    ok(r.iterations >= 500, `${r.iterations} arrivals rehearsed`);
    equal(r.skipped, undefined);
    equal(target.requests(), 0, "no request reached the target");
    equal(target.connections(), 0);
    // What it recorded went out as (warm-up) deltas, and nothing of it is left for the run.
    ok(deltas.reduce((a, b) => a + b, 0) > 0);
    equal(requestsIn(w), 0);
    await prepareWorkload(w);
    const run = await runScenarios({ scenarios: w.scenarios, registry: w.registry });
    for (const s of w.scenarios) s.close?.();
    equal(run.scenarios[0].result.started, 2000);
    equal(target.requests(), 2000, "the run sent its plan, and only it");
  } finally {
    await target.close();
  }
});

Deno.test("runs a rehearsal would not help, or could not do without load, are not rehearsed", async () => {
  const target = countingTarget();
  const http = target.url;
  const cases: [string[], string][] = [
    [[http, "--rate", "12000/s", "-d", "1s", "--no-rehearsal"], "--no-rehearsal"],
    [[http, "--rate", "12000/s", "-d", "1s", "--warmup", "100ms"], "--warmup"],
    [[http, "--rate", `${REHEARSAL_MIN_RATE - 1}/s`, "-d", "1s"], "rate"],
    [[http, "--vus", "10", "-d", "1s"], "rate"],
    // TLS: the stand-in speaks plain HTTP (nothing listens there; nothing is dialed).
    [["https://127.0.0.1:9/", "--rate", "12000/s", "-d", "1s"], "engine"],
  ];
  try {
    for (const [args, why] of cases) {
      const { spec, w } = await workloadFor(args);
      const r = await rehearse(w, spec, WHOLE_RUN);
      equal(r.iterations, 0, args.join(" "));
      equal(r.skipped, why, args.join(" "));
      for (const s of w.scenarios) s.close?.();
    }
    equal(target.requests(), 0);
  } finally {
    await target.close();
  }
});
