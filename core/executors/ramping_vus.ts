/**
 * `ramping-vus`: closed-loop load whose VU count follows stages. The count at time t is the
 * linear interpolation between stage targets rounded down (a ramp from 0 to 4 over 400 ms
 * adds a VU every 100 ms; a ramp down drops one as soon as the line falls below an integer).
 * A segment runs shareOf(count) of them at every t, so the segments add up to the unsplit
 * count at every instant.
 *
 * A VU above the count stops after its current iteration; if that iteration is still running
 * `gracefulRampDown` later it is interrupted through `ctx.interruptVu` and counted as
 * interrupted. A VU asked to stop that is needed again before it finished simply carries on.
 *
 * @module
 */
import type { Plan, PlanPoint, Segment } from "../types.ts";
import { shareOf } from "../schedule/segment.ts";
import { waitUntil } from "../schedule/wait.ts";
import { type ExecutionContext, type Executor, type ExecutorResult, InFlight } from "./executor.ts";
import type { RampingVusConfig } from "./config.ts";
import { runVuLoop } from "./_vu_loop.ts";

/** From `atMs` on (until the next step), the segment runs `vus` VUs. */
export interface VuStep {
  readonly atMs: number;
  readonly vus: number;
}

/** A VU-count stage: move linearly to `target` VUs over `duration` ms. */
export interface VuStage {
  readonly target: number;
  readonly duration: number;
}

/**
 * The segment's VU count as steps: one entry per change, first at 0. Pure, so the plan, the
 * run and the tests agree on the exact instants. Global change points are computed first
 * and split afterwards, which is what makes the segments sum to the unsplit count.
 */
export function rampingVusSteps(
  startVUs: number,
  stages: readonly VuStage[],
  segment: Segment,
): VuStep[] {
  const steps: VuStep[] = [{ atMs: 0, vus: shareOf(startVUs, segment) }];
  const put = (atMs: number, global: number): void => {
    const vus = shareOf(global, segment);
    const last = steps[steps.length - 1];
    if (last.atMs === atMs) {
      // Two changes at one instant: the later one holds from here on.
      steps[steps.length - 1] = { atMs, vus };
      if (steps.length > 1 && steps[steps.length - 2].vus === vus) steps.pop();
    } else if (last.vus !== vus) {
      steps.push({ atMs, vus });
    }
  };
  let t = 0;
  let from = startVUs;
  for (const { target: to, duration: d } of stages) {
    if (d === 0) put(t, to);
    else if (to > from) {
      for (let k = from + 1; k <= to; k++) put(t + (d * (k - from)) / (to - from), k);
    } else if (to < from) {
      // floor(line) is k once the line drops below k + 1.
      for (let k = from - 1; k >= to; k--) put(t + (d * (from - 1 - k)) / (from - to), k);
    }
    t += d;
    from = to;
  }
  return steps;
}

/** The VU count the steps give at offset `atMs`. */
export function vusAt(steps: readonly VuStep[], atMs: number): number {
  let vus = 0;
  for (const s of steps) {
    if (s.atMs > atMs) break;
    vus = s.vus;
  }
  return vus;
}

interface VuState {
  /** The schedule wants this VU running. */
  wanted: boolean;
  /** Its loop is running (possibly finishing an iteration after being asked to stop). */
  looping: boolean;
  /** Inside an iteration right now. */
  busy: boolean;
  /** Ramp-down deadline after which its iteration is interrupted. */
  timer?: ReturnType<typeof setTimeout>;
  /** Its latest loop (an earlier one has already decided to end). */
  loop: Promise<void>;
}

/** Creates a `ramping-vus` executor running `segment`'s share of `config`. */
export function createRampingVusExecutor(config: RampingVusConfig, segment: Segment): Executor {
  const steps = rampingVusSteps(config.startVUs, config.stages, segment);
  const durationMs = config.stages.reduce((sum, s) => sum + s.duration, 0);
  const peak = steps.reduce((m, s) => Math.max(m, s.vus), 0);
  const timeline: PlanPoint[] = [{ atMs: 0, vus: shareOf(config.startVUs, segment) }];
  let t = 0;
  for (const s of config.stages) {
    t += s.duration;
    timeline.push({ atMs: t, vus: shareOf(s.target, segment) });
  }

  return {
    kind: "ramping-vus",
    interruptsVus: true,
    plan(): Plan {
      return {
        executor: "ramping-vus",
        durationMs,
        plannedIterations: null,
        peakRate: null,
        peakVUs: peak,
        timeline: timeline.map((p) => ({ ...p })),
      };
    },
    async run(ctx: ExecutionContext): Promise<ExecutorResult> {
      if (peak === 0) return { started: 0, dropped: 0, interrupted: 0, stopped: false };
      const vus: VuState[] = Array.from({ length: peak }, () => ({
        wanted: false,
        looping: false,
        busy: false,
        loop: Promise.resolve(),
      }));
      const inflight = new InFlight();
      /** VUs interrupted on ramp-down whose iteration has not settled yet. */
      const cutPending = new Set<number>();
      const end = ctx.startAt + durationMs;
      let started = 0;
      let looping = 0;
      let rampInterrupted = 0;
      let hardStopped = false;
      const report = (): void => ctx.vus(looping, peak);

      const rampDownExpired = (v: number): void => {
        const s = vus[v];
        s.timer = undefined;
        if (s.wanted || !s.busy || hardStopped || !ctx.interruptVu) return;
        rampInterrupted++;
        cutPending.add(v);
        ctx.interruptVu(v);
      };

      const launch = (v: number): void => {
        const s = vus[v];
        s.looping = true;
        looping++;
        s.loop = runVuLoop(ctx, v, inflight, {
          more: () => {
            if (s.wanted && !ctx.stop.aborted && performance.now() < end) {
              started++;
              return true;
            }
            // Decided here, synchronously, so a scale-up in between relaunches this VU.
            s.looping = false;
            looping--;
            clearTimeout(s.timer);
            s.timer = undefined;
            report();
            return false;
          },
          busy: (b) => {
            s.busy = b;
            if (!b) cutPending.delete(v);
          },
        });
      };

      // VUs 0..current-1 are wanted; a step only touches the ones between old and new count.
      let current = 0;
      const scale = (n: number): void => {
        for (let v = current; v < n; v++) {
          const s = vus[v];
          s.wanted = true;
          clearTimeout(s.timer);
          s.timer = undefined;
          if (!s.looping) launch(v);
        }
        for (let v = n; v < current; v++) {
          const s = vus[v];
          s.wanted = false;
          if (s.busy) s.timer = setTimeout(() => rampDownExpired(v), config.gracefulRampDown);
        }
        current = n;
        report();
      };

      ctx.vus(0, peak);
      for (const step of steps) {
        if (!(await waitUntil(ctx.startAt + step.atMs, ctx.stop))) break;
        scale(step.vus);
      }
      if (!ctx.stop.aborted) await waitUntil(end, ctx.stop);
      const stopped = ctx.stop.aborted;
      for (const s of vus) s.wanted = false;
      let overlap = 0;
      const drained = await inflight.drain(config.gracefulStop, () => {
        // Iterations already cut on ramp-down are counted once, there.
        hardStopped = true;
        overlap = cutPending.size;
        ctx.interrupt();
      }, ctx.hardStop);
      // VU loops whose iteration was abandoned never end: only wait for the others' exit.
      if (inflight.abandoned === 0) await Promise.all(vus.map((s) => s.loop));
      for (const s of vus) clearTimeout(s.timer);
      report();
      return { started, dropped: 0, interrupted: rampInterrupted + drained - overlap, stopped };
    },
  };
}
