/**
 * The protocol-neutral functions scenario code calls: `check`, `check.shape`, `group`, `sleep`,
 * and the VU context, on which every registered protocol adds its entry (`ctx.http`). They act
 * on the VU whose iteration is running (found through AsyncLocalStorage), so scenario files
 * read like k6 scripts while rampa runs many VUs on one event loop.
 *
 * @module
 */
import type { z } from "zod";
import type { Tags } from "../types.ts";
import { addTrend } from "../metrics/registry.ts";
import { parseDuration } from "../units.ts";
import { type CheckFn, runChecks, runShapeCheck } from "./checks.ts";
import { currentVu, type VuState } from "./vu_state.ts";

/** Runs named predicates on a value and records each as a check; never throws. */
export interface CheckApi {
  <T>(value: T, checks: Record<string, CheckFn<T>>, tags?: Tags): boolean;
  /** Validates a response's JSON body (or any value) against a zod schema. */
  shape(value: unknown, schema: z.ZodType, name?: string): boolean;
}

function bindCheck(vu: () => VuState): CheckApi {
  const fn =
    (<T>(value: T, checks: Record<string, CheckFn<T>>, tags?: Tags) =>
      runChecks(vu(), value, checks, tags)) as CheckApi;
  fn.shape = (value, schema, name = "body shape") => runShapeCheck(vu(), value, schema, name);
  return fn;
}

async function runGroup<T>(vu: VuState, name: string, fn: () => T | Promise<T>): Promise<T> {
  const parent = vu.group;
  vu.group = parent ? `${parent}::${name}` : name;
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    const reg = vu.runtime.registry;
    addTrend(
      reg.series("group_duration", { scenario: vu.scenario, group: vu.group }),
      performance.now() - t0,
    );
    vu.group = parent;
  }
}

/** Sleeps for seconds (a number, as in k6) or a duration string (`"500ms"`). */
export function sleep(d: number | string): Promise<void> {
  const ms = typeof d === "number" ? d * 1000 : parseDuration(d, "sleep duration");
  const vu = currentVuOrNull();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    // An interrupted VU must not sit out a long sleep after graceful stop ran out.
    vu?.interrupt.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

function currentVuOrNull(): VuState | null {
  try {
    return currentVu("sleep");
  } catch {
    return null;
  }
}

/** Records checks on the current VU. */
export const check: CheckApi = bindCheck(() => currentVu("check()"));

/** Runs `fn` as a named group: its requests and checks are tagged `group` (nested: `a::b`). */
export function group<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  return runGroup(currentVu("group()"), name, fn);
}

/**
 * What a scenario function receives: these protocol-neutral members, plus one entry per
 * registered protocol under its key (`ctx.http`; typed in `mod.ts`).
 */
export interface VuContext {
  /** Global VU number, 1-based. */
  readonly vu: number;
  /** This VU's iteration number in its scenario, 0-based. */
  readonly iteration: number;
  readonly scenario: string;
  /** setup()'s result. */
  readonly data: unknown;
  /** The scenario's env plus RAMPA_ENV_* / --env values. */
  readonly env: Readonly<Record<string, string>>;
  readonly check: CheckApi;
  group<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
  sleep(d: number | string): Promise<void>;
}

/** The context object for one VU (created once per VU, read live). */
export function createVuContext(vu: VuState): VuContext {
  const ctx: VuContext = {
    get vu() {
      return vu.id;
    },
    get iteration() {
      return vu.iteration;
    },
    scenario: vu.scenario,
    data: vu.data,
    env: vu.env,
    check: bindCheck(() => vu),
    group: (name, fn) => runGroup(vu, name, fn),
    sleep,
  };
  const own = () => vu;
  for (const p of vu.runtime.protocols) {
    if (p.vu) Object.defineProperty(ctx, p.vu.key, { value: p.vu.api(own), enumerable: true });
  }
  return ctx;
}

/**
 * The module-level API of a protocol's VU entry (`http` in `"rampa"`): it acts on whichever VU
 * is running when called.
 */
export function currentVuApi<T>(key: string, api: (vu: () => VuState) => T): T {
  return api(() => currentVu(key));
}
