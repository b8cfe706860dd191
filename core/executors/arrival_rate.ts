/**
 * Open-loop executors (`constant-arrival-rate`, `ramping-arrival-rate`): iterations start when
 * the pacer says, whatever the target does. An arrival that finds no free VU (the in-flight cap
 * is reached) is dropped and counted; it is never delayed, which would hide the target's
 * slowness (coordinated omission).
 *
 * @module
 */
import type { Plan, PlanPoint } from "../types.ts";
import type { Pacer } from "../schedule/pacer.ts";
import { stripedCount } from "../schedule/segment.ts";
import { dispatchSliceMs, waitUntil, yieldNow } from "../schedule/wait.ts";
import { type ExecutionContext, type Executor, type ExecutorResult, InFlight } from "./executor.ts";

/** Parameters of an arrival-rate executor, already split for this segment where needed. */
export interface ArrivalRateConfig {
  readonly kind: "constant-arrival-rate" | "ramping-arrival-rate";
  /** The whole run's schedule; this segment takes arrivals `index, index+count, …`. */
  readonly pacer: Pacer;
  /** Timeline points of the whole run (rate changes), for the plan. */
  readonly timeline: readonly PlanPoint[];
  /** VUs created before the start (this segment's share). */
  readonly preAllocatedVUs: number;
  /** Upper bound on VUs, i.e. on concurrent iterations (this segment's share). */
  readonly maxVUs: number;
  /** How long in-flight iterations may finish after the schedule ends. */
  readonly gracefulStopMs: number;
  /** Segment index and count. */
  readonly segmentIndex: number;
  readonly segmentCount: number;
}

/** Most arrivals started in one pass before yielding, so I/O completions are not starved. */
const MAX_BURST = 256;

/** Creates an arrival-rate executor. */
export function createArrivalRateExecutor(cfg: ArrivalRateConfig): Executor {
  const { pacer, segmentIndex: first, segmentCount: step } = cfg;
  return {
    kind: cfg.kind,
    plan(): Plan {
      let peak = 0;
      for (const p of cfg.timeline) peak = Math.max(peak, p.rate ?? 0);
      return {
        executor: cfg.kind,
        durationMs: pacer.durationMs,
        plannedIterations: stripedCount(pacer.total, { index: first, count: step }),
        peakRate: peak / step,
        peakVUs: cfg.maxVUs,
        timeline: cfg.timeline.map((p) => ({ atMs: p.atMs, rate: (p.rate ?? 0) / step })),
      };
    },
    async run(ctx: ExecutionContext): Promise<ExecutorResult> {
      const free: number[] = [];
      let allocated = Math.min(cfg.preAllocatedVUs, cfg.maxVUs);
      for (let v = allocated - 1; v >= 0; v--) free.push(v);
      const inflight = new InFlight();
      let started = 0;
      let dropped = 0;
      ctx.vus(0, allocated);

      const runOne = async (vu: number, scheduled: number): Promise<void> => {
        await ctx.iterate(vu, scheduled);
        free.push(vu);
        inflight.done();
      };

      let k = first;
      let due = pacer.arrivalAt(k);
      // Slice dispatch: at most one wake-up per slice, releasing every arrival due by then.
      // Each keeps its scheduled time, so latency (from the schedule) stays exact and the
      // wait shows as scheduler lag; CPU follows the load instead of the number of waits.
      const slice = dispatchSliceMs();
      let nextSlice = -Infinity;
      while (due !== Infinity) {
        const target = Math.max(ctx.startAt + due, nextSlice);
        if (target > performance.now() && !(await waitUntil(target, ctx.stop))) break;
        // Slices on a fixed grid (not from the wake-up): a late wake-up does not push the next
        // slice back, and the waker's thread predicts the grid without being notified.
        nextSlice = target + slice;
        if (ctx.stop.aborted) break;
        // Start every arrival that is due by now (catching up after a late wake-up).
        const now = performance.now() - ctx.startAt;
        let burst = 0;
        while (due <= now && burst < MAX_BURST) {
          const scheduled = ctx.startAt + due;
          let vu = free.pop();
          if (vu === undefined && allocated < cfg.maxVUs) vu = allocated++;
          if (vu === undefined) {
            dropped++;
            ctx.dropped(scheduled);
          } else {
            started++;
            inflight.count++;
            runOne(vu, scheduled);
          }
          k += step;
          due = pacer.arrivalAt(k);
          burst++;
        }
        ctx.vus(inflight.count, allocated);
        if (burst === MAX_BURST) await yieldNow();
      }
      // The schedule lasts its whole duration even when its last arrival comes earlier (4/s for
      // 1 s: the last arrival is at 750 ms), so rates are over the planned time, not up to the
      // last completion (k6 runs the whole duration too).
      if (!ctx.stop.aborted) {
        const end = ctx.startAt + pacer.durationMs;
        if (end > performance.now()) await waitUntil(end, ctx.stop);
      }
      const stopped = ctx.stop.aborted;
      const interrupted = await inflight.drain(
        cfg.gracefulStopMs,
        () => ctx.interrupt(),
        ctx.hardStop,
      );
      ctx.vus(0, allocated);
      return { started, dropped, interrupted, stopped };
    },
  };
}
