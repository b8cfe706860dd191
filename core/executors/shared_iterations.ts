/**
 * `shared-iterations`: `vus` VUs pull from one counter until `iterations` have started (or
 * `maxDuration` runs out), the model for "get N things done as fast as these users can".
 * Fast VUs do more of them than slow ones. A segment takes shareOf(iterations) iterations
 * over shareOf(vus) VUs, at least one VU when it has any iteration, so the segments start
 * exactly `iterations` in total.
 *
 * @module
 */
import type { Plan, Segment } from "../types.ts";
import { shareOf } from "../schedule/segment.ts";
import { type ExecutionContext, type Executor, type ExecutorResult, InFlight } from "./executor.ts";
import type { SharedIterationsConfig } from "./config.ts";
import { runVuLoop, sleepUntil } from "./_vu_loop.ts";

/** This segment's iterations and VUs: never a VU without work, never work without a VU. */
export function sharedIterationsShare(
  config: Pick<SharedIterationsConfig, "vus" | "iterations">,
  segment: Segment,
): { iterations: number; vus: number } {
  const iterations = shareOf(config.iterations, segment);
  const vus = iterations === 0
    ? 0
    : Math.min(Math.max(1, shareOf(config.vus, segment)), iterations);
  return { iterations, vus };
}

/** Creates a `shared-iterations` executor running `segment`'s share of `config`. */
export function createSharedIterationsExecutor(
  config: SharedIterationsConfig,
  segment: Segment,
): Executor {
  const { iterations, vus } = sharedIterationsShare(config, segment);
  return {
    kind: "shared-iterations",
    plan(): Plan {
      return {
        executor: "shared-iterations",
        durationMs: config.maxDuration,
        plannedIterations: iterations,
        peakRate: null,
        peakVUs: vus,
        timeline: [{ atMs: 0, vus }, { atMs: config.maxDuration, vus: 0 }],
      };
    },
    async run(ctx: ExecutionContext): Promise<ExecutorResult> {
      const end = ctx.startAt + config.maxDuration;
      const inflight = new InFlight();
      let started = 0;
      let active = vus;
      const more = (): boolean => {
        if (started >= iterations || ctx.stop.aborted || performance.now() >= end) return false;
        started++;
        return true;
      };
      ctx.vus(0, vus);
      const loops: Promise<void>[] = [];
      for (let v = 0; v < vus; v++) {
        loops.push(runVuLoop(ctx, v, inflight, { more }).then(() => ctx.vus(--active, vus)));
      }
      ctx.vus(active, vus);
      // Wake when the work is done, at maxDuration, or on stop: whichever comes first.
      const allDone = new AbortController();
      const all = Promise.all(loops).then(() => allDone.abort());
      await sleepUntil(end, ctx.stop, allDone.signal);
      const stopped = ctx.stop.aborted;
      const interrupted = await inflight.drain(
        config.gracefulStop,
        () => ctx.interrupt(),
        ctx.hardStop,
      );
      // VU loops whose iteration was abandoned never end: only wait for the others' exit.
      if (inflight.abandoned === 0) await all;
      return { started, dropped: 0, interrupted, stopped };
    },
  };
}
