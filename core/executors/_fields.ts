/**
 * Field checkers for executor configs. Each one accepts `unknown` and reports one sentence in
 * std's style (the offending value quoted, what was expected), so a config with five bad
 * fields yields five precise lines instead of zod's generic "Invalid input".
 *
 * @module
 */
import { z } from "zod";
import { ConfigError } from "../errors.ts";
import { parseDuration } from "../units.ts";

/** Shows a user's value in a message: strings quoted, containers by kind. */
export function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  return String(v);
}

/**
 * A field whose value `check` turns into `T` or rejects with a message; a missing value is an
 * issue of its own. The parser accepts anything and reports it in its own words, but the *type*
 * of its input is what a scenario author may write (`I`): `z.input` of an executor schema is the
 * typed `options.scenarios` entry, one source for the validator and the types.
 */
function custom<T, I>(
  expected: string,
  check: (v: unknown) => T | { issue: string },
): z.ZodType<T, I> {
  const schema = z.unknown().transform((v, ctx): T => {
    if (v === undefined) {
      ctx.addIssue({ code: "custom", message: `Missing value: expected ${expected}` });
      return z.NEVER;
    }
    const r = check(v);
    if (typeof r === "object" && r !== null && "issue" in r) {
      ctx.addIssue({ code: "custom", message: r.issue });
      return z.NEVER;
    }
    return r as T;
  });
  return schema as unknown as z.ZodType<T, I>;
}

/** A field that is optional in the input type and takes `fallback` when absent. */
type Defaulted<T, I> = z.ZodDefault<z.ZodType<T, I>>;

/**
 * `schema` with a default. zod 4 fills an absent key only through default(); a transform never
 * sees it. (`as never`: zod types the default as NoUndefined<Awaited<T>>, opaque for a generic T.)
 */
function defaulted<T, I>(schema: z.ZodType<T, I>, fallback: () => T): Defaulted<T, I> {
  return schema.default(fallback as never);
}

/** Options of {@link duration}. */
export interface DurationField {
  /** Reject 0 (a schedule or time unit of length 0 means nothing). */
  readonly positive?: boolean;
  /** Milliseconds used when the field is absent; without it the field is required. */
  readonly defaultMs?: number;
}

/** A duration as users write it: `"30s"`, `"2m30s"`, or a number of milliseconds. */
export type DurationInput = string | number;

/**
 * A duration: a string in parseDuration's syntax (`30s`, `2m30s`) or a number of milliseconds.
 * The output is always milliseconds, so executors never parse anything.
 */
export function duration(
  what: string,
  opts: DurationField & { readonly defaultMs: number },
): Defaulted<number, DurationInput>;
/** A required duration. */
export function duration(what: string, opts?: DurationField): z.ZodType<number, DurationInput>;
export function duration(
  what: string,
  opts: DurationField = {},
): z.ZodType<number, DurationInput> | Defaulted<number, DurationInput> {
  const expected = `a duration such as 30s or 2m30s, or a number of milliseconds`;
  const schema = custom<number, DurationInput>(expected, (v) => {
    let ms: number;
    if (typeof v === "string") {
      try {
        ms = parseDuration(v, what);
      } catch (e) {
        return { issue: e instanceof ConfigError ? e.message : String(e) };
      }
    } else if (typeof v === "number" && Number.isFinite(v) && v >= 0) {
      ms = v;
    } else {
      return { issue: `Invalid ${what} ${show(v)}: expected ${expected}` };
    }
    if (opts.positive && ms === 0) {
      return { issue: `Invalid ${what} ${show(v)}: expected a duration greater than 0` };
    }
    return ms;
  });
  const dflt = opts.defaultMs;
  return dflt === undefined ? schema : defaulted(schema, () => dflt);
}

/**
 * Most VUs a scenario field may ask for: each VU is a connection and memory on one host, and a
 * million of them only wedges the load threads (use a fleet for more).
 */
export const MAX_VUS = 100_000;

/** A whole number of at least `min` (VUs, iterations); `fallback` makes it optional. */
export function count(what: string, min: number, fallback: number): Defaulted<number, number>;
/** A required whole number of at least `min`. */
export function count(what: string, min: number): z.ZodType<number, number>;
export function count(
  what: string,
  min: number,
  fallback?: number,
): z.ZodType<number, number> | Defaulted<number, number> {
  const max = /vus/i.test(what) ? MAX_VUS : Number.MAX_SAFE_INTEGER;
  const expected = `a whole number ≥ ${min}`;
  const schema = custom<number, number>(
    expected,
    (v) =>
      typeof v === "number" && Number.isInteger(v) && v >= min
        ? v <= max
          ? v
          : { issue: `Invalid ${what} ${show(v)}: at most ${max.toLocaleString("en")}` }
        : { issue: `Invalid ${what} ${show(v)}: expected ${expected}` },
  );
  return fallback === undefined ? schema : defaulted(schema, () => fallback);
}

/** Like {@link count} but absent stays `undefined` (a default that depends on another field). */
export function optionalCount(
  what: string,
  min: number,
): z.ZodOptional<z.ZodType<number, number>> {
  return count(what, min).optional();
}

/** A rate per time unit: any finite number above 0 (or ≥ 0 where a ramp may start idle). */
export function rate(
  what: string,
  allowZero: boolean,
  fallback: number,
): Defaulted<number, number>;
/** A required rate. */
export function rate(what: string, allowZero: boolean): z.ZodType<number, number>;
export function rate(
  what: string,
  allowZero: boolean,
  fallback?: number,
): z.ZodType<number, number> | Defaulted<number, number> {
  const expected = allowZero ? "a number ≥ 0" : "a number greater than 0";
  const schema = custom<number, number>(
    expected,
    (v) =>
      typeof v === "number" && Number.isFinite(v) && (allowZero ? v >= 0 : v > 0)
        ? v
        : { issue: `Invalid ${what} ${show(v)}: expected ${expected}` },
  );
  return fallback === undefined ? schema : defaulted(schema, () => fallback);
}

/** The name of the scenario function to run; JavaScript identifiers only. */
export function functionName(what: string, fallback: string): Defaulted<string, string> {
  const expected = "the name of an exported function";
  const schema = custom<string, string>(
    expected,
    (v) =>
      typeof v === "string" && /^[A-Za-z_$][\w$]*$/.test(v)
        ? v
        : { issue: `Invalid ${what} ${show(v)}: expected ${expected}` },
  );
  return defaulted(schema, () => fallback);
}

/** A record of strings (`tags`, `env`), empty when absent. */
export function stringRecord(
  what: string,
): z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodString>> {
  return z.record(
    z.string(),
    z.string({ error: (iss) => `Invalid value ${show(iss.input)}: expected a string` }),
    { error: (iss) => `Invalid ${what} ${show(iss.input)}: expected an object of strings` },
  ).default(() => ({}));
}

/** A non-empty list of stages, each of which `stage` checks. */
export function stageList<S extends z.ZodType>(stage: S): z.ZodArray<S> {
  return z.array(stage, {
    error: (iss) =>
      iss.input === undefined
        ? 'Missing value: expected a list of stages such as [{ target: 10, duration: "30s" }]'
        : `Invalid stages ${show(iss.input)}: expected a list of { target, duration }`,
  }).min(1, { error: "Invalid stages: expected at least one stage" });
}
