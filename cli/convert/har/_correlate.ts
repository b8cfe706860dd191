/**
 * Finding recorded values a later request sends back (a session token, a CSRF token, an id the
 * server minted) and turning them into an `extract` on the response that produced them plus
 * `${name}` where they are used, so a replay sends each virtual user's own values instead of
 * the recording's stale ones.
 *
 * @module
 */

/** A value a response offered, and how a step extracts it. */
export interface Candidate {
  readonly value: string;
  /** Index of the step whose response holds it. */
  readonly step: number;
  /** The extract source: `$.a.b` or `header:Name`. */
  readonly source: string;
  /** A variable name suggested by where it was found. */
  readonly hint: string;
}

/** Values shorter than this are too likely to match by accident (ids, flags, small words). */
export const MIN_TOKEN_LENGTH = 8;

function jsonPathOf(path: readonly (string | number)[]): string {
  let out = "$";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (/^[A-Za-z_][\w]*$/.test(p)) out += `.${p}`;
    else out += `['${p.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** True for a value worth correlating: long enough and not plain prose or a URL. */
export function tokenLike(v: string): boolean {
  return v.length >= MIN_TOKEN_LENGTH && v.length <= 4096 && !/\s/.test(v) &&
    !/^https?:\/\//.test(v) && !/^(?:true|false|null)$/.test(v);
}

/** Every token-like string leaf of a JSON value, with its path (first 2,000 leaves). */
export function jsonCandidates(data: unknown, step: number): Candidate[] {
  const out: Candidate[] = [];
  const walk = (v: unknown, path: (string | number)[], depth: number) => {
    if (out.length >= 2000 || depth > 20) return;
    if (typeof v === "string") {
      if (tokenLike(v)) {
        const key = [...path].reverse().find((p) => typeof p === "string") as string | undefined;
        out.push({ value: v, step, source: jsonPathOf(path), hint: key ?? "value" });
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], depth + 1));
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1);
    }
  };
  walk(data, [], 0);
  return out;
}

/** A variable name from a hint: an identifier, not a reserved name, unique among `taken`. */
export function variableName(hint: string, taken: Set<string>): string {
  let base = hint.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "").toLowerCase() ||
    "value";
  if (/^\d/.test(base)) base = `v_${base}`;
  if (["env", "vu", "iteration", "scenario", "data"].includes(base)) base = `${base}_value`;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** Escapes literal `${` so recorded text is never read as a template. */
export function escapeTemplate(s: string): string {
  // A function, not a string: in a replacement string "$$" would mean one "$".
  return s.replaceAll("${", () => "$${");
}

/** Replaces every occurrence of each value in `text` (already escaped) by its variable. */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [value, name] of vars) {
    if (out.includes(value)) out = out.split(value).join(`\${${name}}`);
  }
  return out;
}
