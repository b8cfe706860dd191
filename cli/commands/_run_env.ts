/**
 * `RAMPA_<FLAG>` variables for `rampa run` (k6's `K6_<FLAG>`), read generically from the flag
 * table: every flag not given on the command line takes its variable's value.
 *
 * @module
 */
import type { FlagSpec } from "../flags.ts";

/** This process's environment, or nothing when it may not be read. */
export function readEnv(): Record<string, string | undefined> {
  try {
    return Deno.env.toObject();
  } catch {
    return {};
  }
}

/** Multiple-valued flags whose values may hold commas: their variables list one a line. */
const LINE_LISTS = new Set(["header", "expect-header", "threshold", "env"]);
/** Flags that exclude each other: one given on the command line drops the other's variable. */
const EXCLUSIVE: readonly (readonly [string, string])[] = [
  ["rate", "vus"],
  ["body", "body-file"],
  ["stage", "iterations"],
  ["stage", "rate"],
  ["summary", "no-summary"],
];

/** `--max-in-flight` → `RAMPA_MAX_IN_FLIGHT`. */
export function envName(flag: string): string {
  return "RAMPA_" + flag.toUpperCase().replaceAll("-", "_");
}

/**
 * Returns the names of the flags it filled, so messages can name the variable instead.
 *
 * Fills every flag not given on the command line from its `RAMPA_<FLAG>` variable (k6's
 * `K6_<FLAG>`): flags win, a variable is only a default. Lists are comma-separated (one a line
 * for headers, thresholds and env values); booleans are true, 1, false or 0. Scenario files
 * also read RAMPA_VUS, RAMPA_DURATION, … in their options layer: the value is the same, and a
 * flag layer built from it changes nothing.
 */
export function envDefaults(
  v: Record<string, unknown>,
  table: FlagSpec,
  env: Record<string, string | undefined>,
  issues: string[],
): string[] {
  const given = new Set(Object.keys(v).filter((k) => v[k] !== undefined));
  const filled: string[] = [];
  for (const [name, spec] of Object.entries(table)) {
    const key = envName(name);
    const raw = env[key];
    if (name === "help" || given.has(name) || raw === undefined || raw === "") continue;
    if (EXCLUSIVE.some(([a, b]) => (a === name && given.has(b)) || (b === name && given.has(a)))) {
      continue;
    }
    if (spec.type === "boolean") {
      const t = raw.trim().toLowerCase();
      if (t === "true" || t === "1") v[name] = true;
      else if (t !== "false" && t !== "0") {
        issues.push(`Cannot parse ${key} "${raw}": expected true, 1, false or 0`);
      }
    } else if (spec.multiple) {
      v[name] = raw.split(LINE_LISTS.has(name) ? "\n" : ",").map((x) => x.trim()).filter(Boolean);
    } else v[name] = raw;
    if (v[name] !== undefined) filled.push(name);
  }
  return filled;
}
