/**
 * Checks: named assertions on values (usually responses) that never throw. Each result goes to
 * the `checks` rate tagged by check name, scenario and group; failure reasons are kept in a
 * bounded log so the summary can list the most common ones per check.
 *
 * @module
 */
import type { z } from "zod";
import { addRate } from "../metrics/registry.ts";
import type { Tags } from "../types.ts";
import type { VuState } from "./vu_state.ts";

/** Most distinct reasons kept per check. */
const MAX_REASONS = 20;

/** Failure reasons per check name, bounded. */
export class CheckLog {
  readonly reasons = new Map<string, Map<string, number>>();

  /** Notes `count` failures (default one) of `name` for `reason`. */
  fail(name: string, reason: string, count = 1): void {
    let m = this.reasons.get(name);
    if (!m) this.reasons.set(name, m = new Map());
    if (m.has(reason) || m.size < MAX_REASONS) m.set(reason, (m.get(reason) ?? 0) + count);
  }

  /** The most frequent reasons of a check. */
  top(name: string, n = 3): { reason: string; count: number }[] {
    return [...(this.reasons.get(name) ?? [])].sort((a, b) => b[1] - a[1]).slice(0, n)
      .map(([reason, count]) => ({ reason, count }));
  }
}

/** A named predicate. Returning a string counts as a failure with that reason. */
export type CheckFn<T> = (value: T) => boolean | string | undefined | void;

/** Records one check result. */
export function recordCheck(vu: VuState, name: string, ok: boolean, reason: string, tags?: Tags) {
  const t: Record<string, string> = { scenario: vu.scenario, check: name, ...tags };
  if (vu.group) t.group = vu.group;
  addRate(vu.runtime.registry.series("checks", t), ok);
  if (!ok) vu.runtime.checks.fail(name, reason);
}

/** Runs every predicate of `checks` on `value`; returns true when all passed. Never throws. */
export function runChecks<T>(
  vu: VuState,
  value: T,
  checks: Record<string, CheckFn<T>>,
  tags?: Tags,
): boolean {
  // A check on a response is also tagged with its endpoint, so failures point at a request.
  const name = (value as { name?: unknown } | null)?.name;
  if (typeof name === "string" && value instanceof Object && "status" in value) {
    tags = { name, ...tags };
  }
  let all = true;
  for (const [name, fn] of Object.entries(checks)) {
    let ok = false;
    let reason = "returned false";
    try {
      const r = fn(value);
      ok = r === true || r === undefined;
      if (typeof r === "string") reason = r;
      if (r === undefined) ok = true;
    } catch (e) {
      reason = `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    }
    recordCheck(vu, name, ok, reason.slice(0, 200), tags);
    all &&= ok;
  }
  return all;
}

/**
 * Validates a response body (JSON) against a zod schema; the first failing path is the
 * failure reason, e.g. `items[2].price: expected number, received string`.
 */
export function runShapeCheck(
  vu: VuState,
  value: unknown,
  schema: z.ZodType,
  name: string,
): boolean {
  let data: unknown = value;
  let reason = "";
  if (value && typeof value === "object" && "json" in value && typeof value.json === "function") {
    try {
      data = value.json();
    } catch (e) {
      reason = `body is not JSON: ${e instanceof Error ? e.message : e}`;
    }
  }
  if (!reason) {
    const r = schema.safeParse(data);
    if (!r.success) {
      const first = r.error.issues[0];
      const path = first.path.length ? first.path.map(String).join(".") : "(root)";
      reason = `${path}: ${first.message}`;
    }
  }
  const endpoint = (value as { name?: unknown } | null)?.name;
  const tags = typeof endpoint === "string" ? { name: endpoint } : undefined;
  recordCheck(vu, name, reason === "", reason.slice(0, 200), tags);
  return reason === "";
}
