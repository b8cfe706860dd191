/**
 * Extracts as checks: each `extract` entry of a step is a named check (`<step> extract <name>`)
 * that passes when the value was found — and stores it — and fails with the reason when not.
 * A missing value is usually the target failing under load (a login answering 500), which is
 * a result to count, not a bug in the scenario: so it is a failed check, and the iteration
 * ends there (later steps would send requests without the value), without throwing.
 *
 * @module
 */
import type { CheckFn } from "../core/scenario/checks.ts";
import type { HttpResponse } from "../engines/http/api.ts";
import { evalJsonPath } from "./jsonpath.ts";
import type { Extract } from "./plan.ts";
import { bodyJson, bodyText, NOT_JSON } from "./response.ts";

/**
 * Where the running step's extracts store their values: set just around the synchronous
 * `ctx.check` call that runs them, so VUs interleaved on one thread never see each other's.
 */
export const extractInto: { vars: (string | undefined)[] | null } = { vars: null };

function text(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** The value `x` takes from `res`, or undefined when it is not there. */
export function extractValue(x: Extract, res: HttpResponse): string | undefined {
  if (x.kind === "json") {
    const d = bodyJson(res);
    const got = d === NOT_JSON ? undefined : evalJsonPath(x.path, d);
    return got === undefined || got === null ? undefined : text(got);
  }
  if (x.kind === "header") return res.headers.get(x.header) ?? undefined;
  const m = x.re.exec(bodyText(res));
  return m ? m[1] ?? m[0] : undefined;
}

/** The checks of a step's extracts, or null when it extracts nothing. */
export function extractChecks(
  step: string,
  extracts: readonly Extract[],
): Record<string, CheckFn<HttpResponse>> | null {
  if (!extracts.length) return null;
  const checks: Record<string, CheckFn<HttpResponse>> = {};
  for (const x of extracts) {
    checks[`${step} extract ${x.name}`] = (r) => {
      const v = extractValue(x, r);
      if (v === undefined) {
        return r.status
          ? `${x.source} found nothing (status ${r.status})`
          : `${x.source}: no response (${r.error})`;
      }
      if (extractInto.vars) extractInto.vars[x.slot] = v;
      return true;
    };
  }
  return checks;
}
