/**
 * `--stage 30s:100` values (k6's `duration:target`), in a module of their own: the ad-hoc run
 * path parses them, and the options module beside it loads zod (~55 ms of start-up CPU) for
 * validating scenario files, which an ad-hoc run never needs.
 *
 * @module
 */
import { parseDuration } from "../units.ts";
import { ConfigError } from "../errors.ts";
import type { Duration } from "../executors/scenario_types.ts";

/** One stage: ramp to `target` over `duration`. */
export interface Stage {
  duration: Duration;
  target: number;
}

/** Parses `--stage 30s:100` values (duration:target). */
export function parseStages(list: string[], what = "--stage"): Stage[] {
  const issues: string[] = [];
  const out = list.map((s) => {
    const m = /^\s*([^:]+):\s*(\d+)\s*$/.exec(s);
    if (!m) {
      issues.push(`Cannot parse ${what} "${s}": expected duration:target such as 30s:100`);
      return { duration: 0, target: 0 };
    }
    try {
      parseDuration(m[1], what);
    } catch (e) {
      issues.push((e as Error).message);
    }
    return { duration: m[1].trim(), target: Number(m[2]) };
  });
  if (issues.length) throw new ConfigError(issues);
  return out;
}
