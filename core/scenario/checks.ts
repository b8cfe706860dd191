/**
 * Checks: named assertions on values (usually responses) that never throw. Each result goes to
 * the `checks` rate tagged by check name, scenario and group; failure reasons are kept in a
 * bounded log (the thread's evidence) so the summary can list the most common ones per check.
 *
 * @module
 */
import type { z } from "zod";
import { addRate } from "../metrics/registry.ts";
import type { Tags } from "../types.ts";
import type { VuState } from "../protocol/types.ts";

/** A named predicate. Returning a string counts as a failure with that reason. */
export type CheckFn<T> = (value: T) => boolean | string | undefined | void;

/** Records one check result. */
export function recordCheck(
  vu: VuState,
  name: string,
  ok: boolean,
  reason: string,
  tags?: Tags,
): void {
  const t: Record<string, string> = { scenario: vu.scenario, check: name, ...tags };
  if (vu.group) t.group = vu.group;
  addRate(vu.runtime.registry.series("checks", t), ok);
  if (!ok) vu.runtime.evidence.checkFailed(name, reason);
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
