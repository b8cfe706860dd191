/// <reference lib="deno.worker" />
/**
 * A load worker: builds its segment of the workload, starts at the shared instant, posts one
 * encoded delta per tick, and a final report. Anything that escapes (a failure to build the
 * workload) is reported as a message; a worker that dies silently is caught by the main
 * thread's heartbeat check.
 *
 * @module
 */
import { RampaError } from "../../core/errors.ts";
import { encodeSnapshot } from "../../core/metrics/snapshot.ts";
import type { Output } from "../../core/run/output.ts";
import { needsWaker, runScenarios } from "../../core/run/runner.ts";
import { holdWaker, setTiming, spinTimeMs, wakerReady } from "../../core/schedule/wait.ts";
import type { Segment } from "../../core/types.ts";
import { buildWorkload, warmUp, type Workload } from "../workload.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";

const post = (m: FromWorker) => self.postMessage(m);
const stop = new AbortController();
const interrupt = new AbortController();
let workload: Workload | null = null;
let segment: Segment = { index: 0, count: 1 };
let tickMs = 1000;
let releaseWaker = () => {};

const tickPoster: Output = {
  describe: () => "worker",
  start: () => {},
  // Encoding here is required: the delta's histograms are reused after push returns.
  push: (tick) => post({ type: "tick", delta: encodeSnapshot(tick.delta) }),
  stop: () => {},
};

async function start(atEpochMs: number): Promise<void> {
  const w = workload!;
  const spin0 = spinTimeMs();
  const result = await runScenarios({
    scenarios: w.scenarios,
    registry: w.registry,
    outputs: [tickPoster],
    segment,
    stop: stop.signal,
    interrupt: interrupt.signal,
    tickMs,
    startAt: atEpochMs - performance.timeOrigin,
  });
  post({
    type: "done",
    report: {
      scenarios: result.scenarios.map((s) => ({ name: s.name, result: s.result })),
      spinMs: spinTimeMs() - spin0,
      errorExamples: [...w.errorExamples()],
      checkReasons: [...w.checks.reasons].map(([k, m]) => [k, [...m]]),
      iterationErrors: [...w.iterationErrors],
    },
  });
  releaseWaker();
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === "init") {
    segment = m.segment;
    tickMs = m.tickMs;
    setTiming(m.timing);
    try {
      workload = await buildWorkload(m.spec, m.segment, (message) => {
        post({ type: "unreachable", message });
      });
      const endWarmUp = await warmUp(workload, m.spec, m.segment, stop.signal);
      // Creating the waker's thread blocks this one for tens of ms and its start-up takes
      // CPU: both happen before "ready", not at the synchronized start.
      if (needsWaker(workload.scenarios)) releaseWaker = holdWaker();
      endWarmUp();
      await wakerReady();
      post({ type: "ready" });
    } catch (err) {
      post({
        type: "error",
        message: err instanceof Error ? err.message : String(err),
        exitCode: err instanceof RampaError ? err.exitCode : 1,
      });
    }
  } else if (m.type === "start") {
    await start(m.atEpochMs);
  } else if (m.type === "stop") {
    stop.abort();
  } else if (m.type === "interrupt") {
    interrupt.abort();
  }
};
