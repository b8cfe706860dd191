/**
 * Which HTTP statuses count as success: the rule behind `http_req_failed` and the
 * `expected_response` tag, k6's `expectedStatuses` in rampa's shape. A request's own
 * `expectedStatuses` wins over the thread-wide one set by `http.setExpectedStatuses()`, which
 * wins over the run's (`ProtocolOptions.expectedStatuses`); the default is 200–399.
 *
 * @module
 */
import { ConfigError } from "../../core/errors.ts";
import type { ExpectedStatus } from "../../core/protocol/types.ts";

export type { ExpectedStatus };

/** Tells whether a status (0: no response) is expected. */
export type StatusMatcher = (status: number) => boolean;

/** The default rule: 200–399 (redirects not followed are still answers). */
export const DEFAULT_EXPECTED: StatusMatcher = (s) => s >= 200 && s <= 399;

/** The default rule as data, e.g. for documentation and defaults in options. */
export const DEFAULT_EXPECTED_STATUSES: readonly ExpectedStatus[] = [{ min: 200, max: 399 }];

/**
 * Compiles a list of codes and ranges into a matcher; throws a ConfigError naming every entry
 * that is not a status (100–599) or a range of them.
 */
export function compileExpected(list: readonly ExpectedStatus[]): StatusMatcher {
  const issues: string[] = [];
  const codes = new Set<number>();
  const ranges: [number, number][] = [];
  for (const e of list) {
    if (typeof e === "number") {
      if (Number.isInteger(e) && e >= 100 && e <= 599) codes.add(e);
      else issues.push(`Invalid expected status ${JSON.stringify(e)}: expected 100..599`);
    } else if (
      e !== null && typeof e === "object" && Number.isInteger(e.min) && Number.isInteger(e.max) &&
      e.min >= 100 && e.max <= 599 && e.min <= e.max
    ) ranges.push([e.min, e.max]);
    else {
      issues.push(
        `Invalid expected status range ${JSON.stringify(e)}: expected { min, max } within 100..599`,
      );
    }
  }
  if (issues.length) throw new ConfigError(issues);
  if (ranges.length === 0) return (s) => codes.has(s);
  return (s) => {
    if (codes.has(s)) return true;
    for (const [lo, hi] of ranges) if (s >= lo && s <= hi) return true;
    return false;
  };
}
