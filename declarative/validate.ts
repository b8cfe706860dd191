/**
 * Validating a parsed declarative file: the strict schema for steps, flows and data, and the
 * `options:` block through `resolveOptions` and `collectThresholds` — the exact checks a
 * TypeScript scenario's `options` get — with every issue turned into `file:line:column`.
 *
 * @module
 */
import type { z } from "zod";
import { ConfigError } from "../core/errors.ts";
import { resolveOptions } from "../core/scenario/options.ts";
import { collectThresholds } from "../core/scenario/thresholds_setup.ts";
import { type DeclarativeFile, FileSchema, KNOWN_KEYS } from "./schema.ts";
import { formatPath, type Path, type Source } from "./source.ts";

function valueAt(v: unknown, path: Path): unknown {
  let x = v;
  for (const p of path) {
    if (x === null || typeof x !== "object") return undefined;
    x = (x as Record<string | number, unknown>)[p];
  }
  return x;
}

/** What kind of map `path` names, for the list of keys it accepts. */
function kindOf(path: Path): string {
  const names = path.filter((p) => typeof p === "string") as string[];
  const last = names.at(-1);
  if (path.length === 0) return "file";
  if (last === "steps") return "step";
  if (last === "flows") return "flow";
  if (last === "request" || last === "expect") return last;
  if (path.length === 2 && path[0] === "data") return "data";
  return "";
}

function show(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  return String(v);
}

/** One line per zod issue, each at the node it is about. */
export function schemaIssues(src: Source, issues: readonly z.core.$ZodIssue[]): string[] {
  const out: string[] = [];
  for (const iss of issues) {
    const path = iss.path as (string | number)[];
    if (iss.code === "unrecognized_keys") {
      const known = KNOWN_KEYS[kindOf(path)];
      for (const k of iss.keys) {
        out.push(src.issue(
          [...path, k],
          `Unknown key "${k}"${known ? `: expected one of ${known.join(", ")}` : ""}`,
          true,
        ));
      }
      continue;
    }
    const actual = valueAt(src.value, path);
    if (iss.code === "invalid_type" && actual === undefined && path.length) {
      out.push(src.issue(path.slice(0, -1), `Missing "${path.at(-1)}": ${iss.message}`));
      continue;
    }
    const msg = iss.code === "invalid_type" || iss.code === "invalid_union"
      ? `Invalid value ${show(actual)}: ${iss.message.replace(/^Invalid input: /, "")}`
      : iss.message;
    out.push(src.issue(path, msg));
  }
  return out;
}

/**
 * Splits `options.a.b[1].c: message` (resolveOptions' form) into a path into the file and the
 * message. A default scenario that shortcuts (`vus`, `stages`…) made is not in the file: its
 * fields point at the shortcut itself.
 */
function splitOptionsIssue(
  issue: string,
  options: unknown,
): { path: (string | number)[]; message: string } {
  const m = /^(options(?:\.[^\s:.[\]]+|\[\d+\])*): (.*)$/s.exec(issue);
  if (!m) return { path: ["options"], message: issue };
  const path: (string | number)[] = [];
  for (const t of m[1].matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    path.push(t[2] !== undefined ? Number(t[2]) : t[1]);
  }
  const scenarios = (options as { scenarios?: unknown } | null)?.scenarios;
  if (path[1] === "scenarios" && path[2] === "default" && scenarios === undefined) {
    path.splice(1, 2);
  }
  return { path, message: m[2] };
}

/**
 * Validates the file: returns it typed when its shape is right (null otherwise) and every
 * issue found, the options block's included, so the caller can go on compiling a well-shaped
 * file with bad options and report both at once.
 */
export function validateFile(src: Source): { file: DeclarativeFile | null; issues: string[] } {
  const issues: string[] = [];
  const r = FileSchema.safeParse(src.value ?? {});
  if (!r.success) issues.push(...schemaIssues(src, r.error.issues));
  const options = (src.value as Record<string, unknown> | null)?.options;
  try {
    resolveOptions(options);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const i of e.issues) {
      const { path, message } = splitOptionsIssue(i, options);
      // An unknown option or field is about its key; any other issue is about the value.
      issues.push(
        `${src.at(path, message.startsWith("Unknown"))}: ${formatPath(path)}: ${message}`,
      );
    }
  }
  // Thresholds are judged apart from the rest, so a bad scenario does not hide a bad metric.
  const thresholds = (options as { thresholds?: unknown } | undefined)?.thresholds;
  if (thresholds && typeof thresholds === "object" && !Array.isArray(thresholds)) {
    try {
      collectThresholds(thresholds as Record<string, unknown>, []);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const i of e.issues) {
        // A threshold issue names its metric key: point at that key when it can be found.
        const key = Object.keys(thresholds).find((k) => i.includes(k));
        const at = key ? ["options", "thresholds", key] : ["options", "thresholds"];
        issues.push(`${src.at(at, !!key)}: ${i}`);
      }
    }
  }
  return { file: r.success ? r.data : null, issues };
}

/** Orders issue lines by line and column, so they read top to bottom. */
export function sortByPosition(issues: readonly string[]): string[] {
  const key = (s: string) => {
    const m = /:(\d+):(\d+): /.exec(s);
    return m ? Number(m[1]) * 1e6 + Number(m[2]) : 0;
  };
  return [...new Set(issues)].sort((a, b) => key(a) - key(b));
}
