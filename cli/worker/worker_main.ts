/// <reference lib="deno.worker" />
/**
 * A load worker: registers the built-in protocols, builds its segment of the run description,
 * starts at the shared instant, posts one encoded delta per tick and its evidence at the end.
 * It never formats text, writes a file or feeds an output: that is the collector's job on the
 * main thread. Anything that escapes (a failure to build the workload) is reported as a
 * message; a worker that dies silently is caught by the main thread's heartbeat check.
 *
 * @module
 */
import { RampaError } from "../../core/errors.ts";
import { encodeSnapshot, type Snapshot, transferablesOf } from "../../core/metrics/snapshot.ts";
import { needsWaker, runScenarios } from "../../core/run/runner.ts";
import { buildWorkload, prepareWorkload, warmUp, type Workload } from "../../core/run/workload.ts";
import { rehearse } from "../../core/run/rehearsal.ts";
import type { RunSpec } from "../../core/run/spec.ts";
import { holdWaker, setTiming, useWakerThread, wakerReady } from "../../core/schedule/wait.ts";
import type { Segment } from "../../core/types.ts";
import { addCounter } from "../../core/metrics/registry.ts";
import { guardScenarioThread } from "../../core/scenario/guard.ts";
import { errorLine } from "../../core/scenario/user_error.ts";
import { registerBuiltinProtocols } from "../../engines/registry.ts";
import { registerDeclarativeFormats } from "../../declarative/register.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { routeScenarioConsole } from "./console_forward.ts";

const post = (m: FromWorker) => self.postMessage(m);

// Scenario code cannot end or crash this thread: its exit() and unhandled rejections are its
// errors, counted like an iteration's (before the workload exists they fail the start).
guardScenarioThread((kind, err) => {
  if (!workload) {
    post({
      type: "error",
      message: `scenario error while loading: ${errorLine(err)}`,
      exitCode: 6,
    });
    return;
  }
  addCounter(workload.registry.series("iteration_errors", { error: kind }), 1);
  workload.evidence.iterationError(kind, () => errorLine(err));
});

/** Posts a delta as bucket arrays, transferred: no compression on the load thread. */
function postDelta(type: "tick" | "warm", delta: Snapshot): void {
  const encoded = encodeSnapshot(delta, "thread");
  self.postMessage({ type, delta: encoded } satisfies FromWorker, {
    transfer: transferablesOf(encoded),
  });
}
/** Rehearsed ticks before the start: enough for the encode loops to be compiled. */
const REHEARSALS = 3;
const stop = new AbortController();
const interrupt = new AbortController();
let workload: Workload | null = null;
let spec: RunSpec | null = null;
let segment: Segment = { index: 0, count: 1 };
let releaseWaker = () => {};
let wakerCells: ((cells: SharedArrayBuffer) => void) | null = null;

/** The cells of a waker thread the main thread starts for this worker. */
function askForWaker(): Promise<SharedArrayBuffer> {
  return new Promise((resolve) => {
    wakerCells = resolve;
    post({ type: "waker" });
  });
}

async function start(atEpochMs: number): Promise<void> {
  const w = workload!;
  const result = await runScenarios({
    scenarios: w.scenarios,
    registry: w.registry,
    // Encoding here is required: the delta's histograms are reused after this returns.
    onDelta: (delta) => postDelta("tick", delta),
    segment,
    stop: stop.signal,
    interrupt: interrupt.signal,
    tickMs: spec!.tickMs,
    startAt: atEpochMs - performance.timeOrigin,
  });
  for (const s of result.scenarios) w.evidence.scenario(s.name, s.result);
  w.evidence.spin(result.spinMs);
  post({ type: "done", report: { evidence: w.evidence.value, cpuMs: result.cpuMs } });
  releaseWaker();
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === "init") {
    // Scenario console output: stderr, or the run's --console-output file.
    if (m.spec.workload.kind === "scenario") routeScenarioConsole();
    // --rps is the whole run's cap: this thread enforces its segment's share.
    const rps = m.spec.protocol.rps;
    spec = rps === undefined
      ? m.spec
      : { ...m.spec, protocol: { ...m.spec.protocol, rps: rps / m.segment.count } };
    segment = m.segment;
    setTiming(m.spec.timing);
    try {
      registerBuiltinProtocols();
      registerDeclarativeFormats();
      workload = await buildWorkload(spec, m.segment, (message) => {
        post({ type: "unreachable", message });
      });
      // The waker's thread comes from the main thread (a worker's own starts ~1 s late), before
      // the warm-up, which shares it, and before "ready", not at the synchronized start.
      if (needsWaker(workload.scenarios)) {
        useWakerThread(await askForWaker());
        releaseWaker = holdWaker();
      }
      // Unmeasured deltas: the collector rehearses its own path on them and discards them.
      const warmDelta = (delta: Snapshot) => postDelta("warm", delta);
      // Compiled before the clock, on a stand-in on this thread (no load on the target), and
      // before the run's own connections open (ADR 23).
      const rehearsal = await rehearse(workload, spec, m.segment, stop.signal, warmDelta);
      workload.evidence.rehearsed(rehearsal.iterations);
      await prepareWorkload(workload);
      const endWarmUp = await warmUp(workload, spec, m.segment, stop.signal, warmDelta);
      endWarmUp();
      // Without a warm-up the first tick's encode, message and merge ran cold, a 10–60 ms stall
      // of the measured schedule: rehearse them on made-up values (the collector discards it).
      if (spec.warmupMs <= 0) {
        for (let i = 0; i < REHEARSALS; i++) {
          workload.registry.fillForRehearsal();
          const d = workload.registry.drain();
          postDelta("warm", d);
          workload.registry.recycle(d);
        }
      }
      await wakerReady();
      post({ type: "ready" });
    } catch (err) {
      post({
        type: "error",
        message: err instanceof Error ? err.message : String(err),
        exitCode: err instanceof RampaError ? err.exitCode : 1,
      });
    }
  } else if (m.type === "waker") {
    wakerCells?.(m.cells);
  } else if (m.type === "start") {
    await start(m.atEpochMs);
  } else if (m.type === "stop") {
    stop.abort();
  } else if (m.type === "interrupt") {
    interrupt.abort();
  }
};
