/**
 * Turns a scenario function from the user's module into a {@link ScenarioRun}: each iteration
 * runs the function on a VU (created on first use, with its own connections and cookie jar),
 * records `iteration_duration` from the iteration's scheduled start and `scheduler_lag`, and
 * turns anything the user's code throws into a counted iteration error: the VU carries on
 * with its next iteration and the run never crashes on user code.
 *
 * @module
 */
import { CookieJar } from "tough-cookie";
import type { Executor } from "../executors/executor.ts";
import { HttpRecorder } from "../metrics/http_recorder.ts";
import { addCounter, addTrend } from "../metrics/registry.ts";
import type { ScenarioRun } from "../run/runner.ts";
import type { Tags } from "../types.ts";
import { createVuContext, type VuContext } from "./api.ts";
import type { Runtime, VuState } from "./vu_state.ts";
import { withVu } from "./vu_state.ts";
import { errorLine } from "./user_error.ts";

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

/** First message per iteration error kind (error name), for the summary. */
export type IterationErrors = Map<string, { count: number; example: string }>;

/** Builds the scenario run. */
export function createScenarioRun(
  spec: ScenarioSpec,
  rt: Runtime,
  data: unknown,
  errors: IterationErrors,
): ScenarioRun {
  const base = { scenario: spec.name, ...spec.tags };
  let recorder = rt.recorders.get(spec.name);
  if (!recorder) {
    recorder = new HttpRecorder(rt.registry, base, false);
    rt.recorders.set(spec.name, recorder);
  }
  rt.registry.define({ name: "iteration_errors", kind: "counter" });
  rt.registry.define({ name: "checks", kind: "rate" });
  rt.registry.define({ name: "group_duration", kind: "trend", unit: "ms" });
  const lag = rt.registry.series("scheduler_lag", base);
  const duration = rt.registry.series("iteration_duration", base);
  const vus: { state: VuState; ctx: VuContext }[] = [];
  const rec = recorder;

  function vuFor(local: number, interrupt: AbortSignal) {
    let v = vus[local];
    if (!v) {
      const state: VuState = {
        runtime: rt,
        id: spec.vuOffset + local + 1,
        scenario: spec.name,
        recorder: rec,
        env: spec.env,
        data,
        iteration: -1,
        group: "",
        client: null,
        jar: new CookieJar(),
        keepCookies: spec.keepCookies,
        interrupt,
      };
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
      if (!state.keepCookies && state.iteration > 0) state.jar = new CookieJar();
      const started = performance.now();
      addTrend(lag, started - scheduled);
      try {
        await withVu(state, () => spec.fn(ctx));
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        const kind = err.name || "Error";
        const tags: Record<string, string> = { ...base, error: kind };
        addCounter(rt.registry.series("iteration_errors", tags), 1);
        const seen = errors.get(kind);
        if (seen) seen.count++;
        else errors.set(kind, { count: 1, example: errorLine(err) });
      }
      if (!interrupt.aborted) addTrend(duration, performance.now() - scheduled);
    },
    close(): void {
      for (const v of vus) v?.state.client?.close();
    },
  };
}
