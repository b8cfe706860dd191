/**
 * Closed-loop executor (`constant-vus`): a fixed number of VUs each run iterations back to
 * back for the duration. Each iteration's scheduled time is its actual start, so latency and
 * service time coincide; the offered load is whatever the target lets through.
 *
 * @module
 */
import type { Plan } from "../types.ts";
import { type ExecutionContext, type Executor, type ExecutorResult, InFlight } from "./executor.ts";

/** Parameters of a constant-vus executor, already split for this segment. */
export interface ConstantVusConfig {
  /** VUs of this segment. */
  readonly vus: number;
  readonly durationMs: number;
  readonly gracefulStopMs: number;
  /** Stop each VU after this many iterations (ad-hoc `--iterations` with `--vus`); optional. */
  readonly iterationsPerVu?: number;
}

/** Creates a constant-vus executor. */
export function createConstantVusExecutor(cfg: ConstantVusConfig): Executor {
  return {
    kind: "constant-vus",
    plan(): Plan {
      return {
        executor: "constant-vus",
        durationMs: cfg.durationMs,
        plannedIterations: null,
        peakRate: null,
        peakVUs: cfg.vus,
        timeline: [{ atMs: 0, vus: cfg.vus }, { atMs: cfg.durationMs, vus: 0 }],
      };
    },
    async run(ctx: ExecutionContext): Promise<ExecutorResult> {
      const end = ctx.startAt + cfg.durationMs;
      const inflight = new InFlight();
      const limit = cfg.iterationsPerVu ?? Infinity;
      let started = 0;
      let active = 0;
      ctx.vus(0, cfg.vus);
      const loop = async (vu: number): Promise<void> => {
        active++;
        for (let i = 0; i < limit; i++) {
          const now = performance.now();
          if (now >= end || ctx.stop.aborted) break;
          started++;
          inflight.count++;
          await ctx.iterate(vu, now);
          inflight.done();
        }
        active--;
      };
      const loops: Promise<void>[] = [];
      for (let v = 0; v < cfg.vus; v++) loops.push(loop(v));
      ctx.vus(cfg.vus, cfg.vus);
      // Wake at the end of the duration (or on stop) to start the graceful-stop clock.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onStop = () => clearTimeout(timer);
      await Promise.race([
        Promise.all(loops),
        new Promise<void>((r) => {
          timer = setTimeout(r, Math.max(0, end - performance.now()));
          ctx.stop.addEventListener("abort", () => {
            onStop();
            r();
          }, { once: true });
        }),
      ]);
      clearTimeout(timer);
      const interrupted = await inflight.drain(
        cfg.gracefulStopMs,
        () => ctx.interrupt(),
        ctx.hardStop,
      );
      // VU loops whose iteration was abandoned never end: only wait for the others' exit.
      if (inflight.abandoned === 0) await Promise.all(loops);
      ctx.vus(active, cfg.vus);
      return { started, dropped: 0, interrupted, stopped: ctx.stop.aborted };
    },
  };
}
