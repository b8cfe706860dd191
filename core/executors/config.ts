/**
 * Scenario executor configs as users write them (k6's names, k6's defaults), validated with
 * every issue reported at once and each prefixed with its path, and the factory that turns a
 * valid config into an {@link Executor} for one segment of the run.
 *
 * Durations are accepted as strings (`"30s"`, `"2m30s"`) or numbers of milliseconds and come
 * out as milliseconds, so executors never parse.
 *
 * @example
 * ```ts
 * const { config, issues } = validateExecutorConfig(
 *   { executor: "constant-arrival-rate", rate: 50, duration: "1m", preAllocatedVUs: 20 },
 *   "scenarios.checkout",
 * );
 * if (config) createExecutor(config, { index: 0, count: 1 }).plan();
 * ```
 *
 * @module
 */
import { z } from "zod";
import {
  count,
  duration,
  functionName,
  optionalCount,
  rate,
  show,
  stageList,
  stringRecord,
} from "./_fields.ts";
import { EXECUTOR_KINDS, type ExecutorKind } from "./kinds.ts";
import type { ScenarioConfig } from "./scenario_types.ts";

/** Fields every scenario accepts, whatever its executor. */
const common = {
  /** @default "0s" */
  startTime: duration("startTime", { defaultMs: 0 }),
  /** @default "30s" */
  gracefulStop: duration("gracefulStop", { defaultMs: 30_000 }),
  /** @default "default" */
  exec: functionName("exec", "default"),
  tags: stringRecord("tags"),
  env: stringRecord("env"),
};

/** maxVUs must cover preAllocatedVUs; checked whenever both are numbers, beside other issues. */
function maxCoversPre<T extends z.ZodType<{ preAllocatedVUs: number; maxVUs?: number }>>(
  schema: T,
): T {
  return schema.refine((c) => c.maxVUs === undefined || c.maxVUs >= c.preAllocatedVUs, {
    path: ["maxVUs"],
    error: (iss) => {
      const c = iss.input as { preAllocatedVUs: number; maxVUs: number };
      return `Invalid maxVUs ${c.maxVUs}: expected at least preAllocatedVUs (${c.preAllocatedVUs})`;
    },
    when: (p) => bothNumbers(p.value, "preAllocatedVUs", "maxVUs"),
  }) as unknown as T;
}

function bothNumbers(v: unknown, a: string, b: string): boolean {
  const o = v as Record<string, unknown> | null;
  return typeof o?.[a] === "number" && typeof o?.[b] === "number";
}

const constantArrivalRate = maxCoversPre(z.strictObject({
  executor: z.literal("constant-arrival-rate"),
  rate: rate("rate", false),
  /** @default "1s" */
  timeUnit: duration("timeUnit", { positive: true, defaultMs: 1000 }),
  duration: duration("duration", { positive: true }),
  preAllocatedVUs: count("preAllocatedVUs", 0),
  /** @default preAllocatedVUs */
  maxVUs: optionalCount("maxVUs", 1),
  ...common,
})).transform((c) => ({ ...c, maxVUs: c.maxVUs ?? c.preAllocatedVUs }));

const rampingArrivalRate = maxCoversPre(z.strictObject({
  executor: z.literal("ramping-arrival-rate"),
  /** @default 0 */
  startRate: rate("startRate", true, 0),
  /** @default "1s" */
  timeUnit: duration("timeUnit", { positive: true, defaultMs: 1000 }),
  stages: stageList(
    z.strictObject({ target: rate("target", true), duration: duration("duration") }),
  ),
  preAllocatedVUs: count("preAllocatedVUs", 0),
  /** @default preAllocatedVUs */
  maxVUs: optionalCount("maxVUs", 1),
  ...common,
})).transform((c) => ({ ...c, maxVUs: c.maxVUs ?? c.preAllocatedVUs }));

const constantVus = z.strictObject({
  executor: z.literal("constant-vus"),
  vus: count("vus", 1),
  duration: duration("duration", { positive: true }),
  ...common,
});

const rampingVus = z.strictObject({
  executor: z.literal("ramping-vus"),
  /** @default 1 */
  startVUs: count("startVUs", 0, 1),
  stages: stageList(z.strictObject({ target: count("target", 0), duration: duration("duration") })),
  /** @default "30s" */
  gracefulRampDown: duration("gracefulRampDown", { defaultMs: 30_000 }),
  ...common,
}).refine((c) => c.startVUs > 0 || c.stages.some((s) => s.target > 0), {
  path: ["stages"],
  error: "Invalid stages: startVUs or at least one stage target must be greater than 0",
});

const perVuIterations = z.strictObject({
  executor: z.literal("per-vu-iterations"),
  vus: count("vus", 1),
  iterations: count("iterations", 1),
  /** @default "10m" */
  maxDuration: duration("maxDuration", { positive: true, defaultMs: 600_000 }),
  ...common,
});

const sharedIterations = z.strictObject({
  executor: z.literal("shared-iterations"),
  vus: count("vus", 1),
  iterations: count("iterations", 1),
  /** @default "10m" */
  maxDuration: duration("maxDuration", { positive: true, defaultMs: 600_000 }),
  ...common,
}).refine((c) => c.iterations >= c.vus, {
  path: ["iterations"],
  error: (iss) => {
    const c = iss.input as { vus: number; iterations: number };
    return `Invalid iterations ${c.iterations}: expected at least vus (${c.vus}), or VUs would idle`;
  },
  when: (p) => bothNumbers(p.value, "vus", "iterations"),
});

/** Every executor config, discriminated on `executor`; parsing resolves defaults and units. */
export const ExecutorConfigSchema = z.discriminatedUnion("executor", [
  constantArrivalRate,
  rampingArrivalRate,
  constantVus,
  rampingVus,
  perVuIterations,
  sharedIterations,
]);

/** A validated executor config: defaults filled in, every duration in milliseconds. */
export type ExecutorConfig = z.output<typeof ExecutorConfigSchema>;
/**
 * The schema and kinds.ts name the same executors: a name added to one and not the other fails
 * type-checking here, not at run time.
 */
const _kindsAgree: [ExecutorConfig["executor"], ExecutorKind] extends
  [ExecutorKind, ExecutorConfig["executor"]] ? true : never = true;
/** True when `A` and `B` are the same type (each assignable to the other, unions unsplit). */
type Same<A, B> = [A] extends [B] ? [B] extends [A] ? true : false : false;
/**
 * The scenario types authors write (scenario_types.ts, plain types for the declaration file) are
 * exactly what the schema accepts: a field added to one and not the other fails type-checking.
 */
type SameScenario<K extends ExecutorKind> = Same<
  Extract<z.input<typeof ExecutorConfigSchema>, { executor: K }>,
  Extract<ScenarioConfig, { executor: K }>
> extends true ? Same<
    keyof Extract<z.input<typeof ExecutorConfigSchema>, { executor: K }>,
    keyof Extract<ScenarioConfig, { executor: K }>
  >
  : false;
const _inputsAgree: { [K in ExecutorKind]: SameScenario<K> } = {
  "constant-arrival-rate": true,
  "ramping-arrival-rate": true,
  "constant-vus": true,
  "ramping-vus": true,
  "per-vu-iterations": true,
  "shared-iterations": true,
};
/** Validated `constant-arrival-rate` config. */
export type ConstantArrivalRateConfig = z.output<typeof constantArrivalRate>;
/** Validated `ramping-arrival-rate` config. */
export type RampingArrivalRateConfig = z.output<typeof rampingArrivalRate>;
/** Validated `constant-vus` config. */
export type ConstantVusScenarioConfig = z.output<typeof constantVus>;
/** Validated `ramping-vus` config. */
export type RampingVusConfig = z.output<typeof rampingVus>;
/** Validated `per-vu-iterations` config. */
export type PerVuIterationsConfig = z.output<typeof perVuIterations>;
/** Validated `shared-iterations` config. */
export type SharedIterationsConfig = z.output<typeof sharedIterations>;

/** Formats a zod path under `base`: `scenarios.x` + `["stages", 1]` → `scenarios.x.stages[1]`. */
function pathOf(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(p))) out += out ? `.${String(p)}` : String(p);
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/**
 * Checks a user's executor config and resolves its defaults. Returns every issue at once, each
 * prefixed with its path under `path` (e.g. `scenarios.checkout.stages[1].duration: …`), so a
 * user fixes a config in one round. Never mutates `input`.
 */
export function validateExecutorConfig(
  input: unknown,
  path: string,
): { config?: ExecutorConfig; issues: string[] } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { issues: [`${path}: Invalid scenario ${show(input)}: expected an object`] };
  }
  const kind = (input as { executor?: unknown }).executor;
  if (typeof kind !== "string" || !(EXECUTOR_KINDS as readonly string[]).includes(kind)) {
    const what = kind === undefined ? "Missing executor" : `Unknown executor ${show(kind)}`;
    return {
      issues: [
        `${pathOf(path, ["executor"])}: ${what}: expected one of ${EXECUTOR_KINDS.join(", ")}`,
      ],
    };
  }
  const r = ExecutorConfigSchema.safeParse(input);
  if (r.success) return { config: r.data, issues: [] };
  const issues: string[] = [];
  for (const iss of r.error.issues) {
    if (iss.code === "unrecognized_keys") {
      for (const key of iss.keys) {
        issues.push(
          `${pathOf(path, [...iss.path, key])}: Unknown field ${
            show(key)
          }: not an option of ${kind}`,
        );
      }
    } else {
      issues.push(`${pathOf(path, iss.path)}: ${iss.message}`);
    }
  }
  return { issues };
}
