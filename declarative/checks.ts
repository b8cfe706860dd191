/**
 * A step's `expect` as named checks, built once: status, header, JSON Schema (inline or from a
 * file next to the scenario, compiled with ajv) and body substrings. Each check is a closure on
 * the response that returns true or the failure reason, like a TypeScript `check()` predicate.
 *
 * @module
 */
import { dirname, isAbsolute, join } from "node:path";
import type { CheckFn } from "../core/scenario/checks.ts";
import type { HttpResponse } from "../engines/http/api.ts";
import { compileJsonSchema } from "../engines/http/json_schema.ts";
import { bodyJson, bodyText, NOT_JSON } from "./response.ts";
import type { StepSpec } from "./schema.ts";
import type { Path, Source } from "./source.ts";

async function loadSchema(
  spec: unknown,
  path: Path,
  src: Source,
  issues: string[],
): Promise<unknown> {
  if (typeof spec !== "string") return spec;
  const file = isAbsolute(spec) ? spec : join(dirname(src.file), spec);
  try {
    return JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    issues.push(src.issue(path, `Cannot read JSON Schema "${spec}": ${(e as Error).message}`));
    return undefined;
  }
}

function statusReason(r: HttpResponse): string {
  return r.status ? `got ${r.status}` : `no response (${r.error}: ${r.errorMessage})`.slice(0, 200);
}

/**
 * The named checks of a step's `expect` (null when it expects nothing) and the JSON Schema its
 * body must match, if any (for "never matches" checks of its extracts). Problems are pushed to
 * `issues` with their position.
 */
export async function compileChecks(
  step: StepSpec,
  path: Path,
  src: Source,
  issues: string[],
): Promise<{ checks: Record<string, CheckFn<HttpResponse>> | null; schema: unknown }> {
  const e = step.expect;
  if (!e) return { checks: null, schema: undefined };
  const checks: Record<string, CheckFn<HttpResponse>> = {};
  const n = step.name;
  if (e.status !== undefined) {
    const list = Array.isArray(e.status) ? e.status : [e.status];
    checks[`${n} status ${list.join(" or ")}`] = (r) => list.includes(r.status) || statusReason(r);
  }
  for (const [h, v] of Object.entries(e.header ?? {})) {
    const want = v.toLowerCase();
    checks[`${n} header ${h} contains "${v}"`] = (r) => {
      const got = r.headers.get(h);
      if (got === null) return r.status ? `no ${h} header` : statusReason(r);
      return got.toLowerCase().includes(want) || `${h}: ${got.slice(0, 80)}`;
    };
  }
  let schema: unknown;
  if (e.json !== undefined) {
    const at = [...path, "expect", "json"];
    schema = await loadSchema(e.json, at, src, issues);
    if (schema !== undefined) {
      try {
        const validate = await compileJsonSchema(schema, `${n} expect.json`);
        checks[`${n} json schema`] = (r) => {
          const d = bodyJson(r);
          if (d === NOT_JSON) return r.status ? "body is not JSON" : statusReason(r);
          return validate(d) ?? true;
        };
      } catch (err) {
        issues.push(src.issue(at, (err as Error).message));
      }
    }
  }
  for (const t of typeof e.contains === "string" ? [e.contains] : e.contains ?? []) {
    checks[`${n} contains "${t}"`] = (r) =>
      bodyText(r).includes(t) || (r.status ? `body does not contain "${t}"` : statusReason(r));
  }
  return { checks, schema };
}
