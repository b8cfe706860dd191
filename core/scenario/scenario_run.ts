/**
 * Turns a scenario function from the user's module into a {@link ScenarioRun}: each iteration
 * runs the function on a VU (created on first use; each protocol keeps its own per-VU state),
 * records `iteration_duration` from the iteration's scheduled start and `scheduler_lag`, and
 * turns anything the user's code throws into a counted iteration error: the VU carries on
 * with its next iteration and the run never crashes on user code.
 *
 * @module
 */
import type { Executor } from "../executors/executor.ts";
import { addCounter, addTrend } from "../metrics/registry.ts";
import type { ScenarioRun } from "../run/runner.ts";
import type { Tags } from "../types.ts";
import { createVuContext, type VuContext } from "./api.ts";
import { closeVu, createVuState, type Runtime, type VuState, withVu } from "./vu_state.ts";
import { errorKind, errorLine, toError } from "./user_error.ts";

/** A scenario function: receives the VU context. */
export type ScenarioFn = (ctx: VuContext) => unknown;

/** Everything needed to run one named scenario. */
export interface ScenarioSpec {
  readonly name: string;
  readonly executor: Executor;
  readonly startTimeMs: number;
  readonly fn: ScenarioFn;
  readonly tags: Tags;
  readonly env: Readonly<Record<string, string>>;
  /** Added to local VU numbers to make global ids unique across scenarios and segments. */
  readonly vuOffset: number;
  readonly keepCookies: boolean;
}

/** Builds the scenario run. */
export function createScenarioRun(
  spec: ScenarioSpec,
  rt: Runtime,
  data: unknown,
): ScenarioRun {
  const base = { scenario: spec.name, ...spec.tags };
  rt.registry.define({ name: "iteration_errors", kind: "counter" });
  rt.registry.define({ name: "checks", kind: "rate" });
  rt.registry.define({ name: "group_duration", kind: "trend", unit: "ms" });
  const lag = rt.registry.series("scheduler_lag", base);
  const duration = rt.registry.series("iteration_duration", base);
  const vus: { state: VuState; ctx: VuContext }[] = [];
  const hooks = rt.protocols.map((p) => p.vu).filter((v) => v !== undefined);

  function vuFor(local: number, interrupt: AbortSignal) {
    let v = vus[local];
    if (!v) {
      const state = createVuState(rt, {
        id: spec.vuOffset + local + 1,
        scenario: spec.name,
        tags: base,
        env: spec.env,
        data,
        keepState: spec.keepCookies,
        interrupt,
      });
      v = vus[local] = { state, ctx: createVuContext(state) };
    }
    v.state.interrupt = interrupt;
    return v;
  }

  return {
    name: spec.name,
    executor: spec.executor,
    startTimeMs: spec.startTimeMs,
    async iterate(local: number, scheduled: number, interrupt: AbortSignal): Promise<void> {
      const { state, ctx } = vuFor(local, interrupt);
      state.iteration++;
      state.group = "";
      for (const h of hooks) h.beginIteration?.(state);
      const started = performance.now();
      addTrend(lag, started - scheduled);
      try {
        await withVu(state, () => spec.fn(ctx));
      } catch (e) {
        const err = toError(e);
        const kind = errorKind(err);
        const tags: Record<string, string> = { ...base, error: kind };
        addCounter(rt.registry.series("iteration_errors", tags), 1);
        rt.evidence.iterationError(kind, () => errorLine(err));
      }
      for (const h of hooks) {
        const closing = h.endIteration?.(state);
        if (closing) await closing;
      }
      if (!interrupt.aborted) addTrend(duration, performance.now() - scheduled);
    },
    close(): void {
      for (const v of vus) if (v) closeVu(v.state);
    },
  };
}
