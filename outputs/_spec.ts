/**
 * The syntax of an output spec, `name=target?option=value&option2=value2`, shared by the
 * registry (which then checks the name, the target and the options against the output's
 * entry) and by the CSV output's older `parseCsvTarget`. Only syntax lives here: what names
 * and options exist is the registry's business.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

/** An output spec split into its parts; nothing is checked against the registry yet. */
export interface SplitSpec {
  /** The output's name, before `=` (or the whole head when there is no `=`). */
  readonly name: string;
  /** What follows `=`, without the options; empty when there is none. */
  readonly target: string;
  /** The options after `?`, as written. */
  readonly options: Readonly<Record<string, string>>;
}

/**
 * Splits `name=target?k=v&k2=w`. The options start at the last `?` only when what follows it
 * holds a `=`, so a path that itself contains `?` (`a?b.csv`) stays a path. Throws a
 * ConfigError for an option without a value or one given twice.
 */
export function splitOutputSpec(text: string): SplitSpec {
  const q = text.lastIndexOf("?");
  const hasQuery = q >= 0 && text.slice(q + 1).includes("=");
  const head = hasQuery ? text.slice(0, q) : text;
  const eq = head.indexOf("=");
  const name = (eq < 0 ? head : head.slice(0, eq)).trim();
  const target = eq < 0 ? "" : head.slice(eq + 1);
  const options: Record<string, string> = {};
  const issues: string[] = [];
  if (hasQuery) {
    for (const part of text.slice(q + 1).split("&")) {
      const at = part.indexOf("=");
      const key = at < 0 ? part : part.slice(0, at);
      if (at < 0 || key === "") {
        issues.push(`Cannot parse option "${part}" in --out "${text}": expected option=value`);
      } else if (Object.hasOwn(options, key)) {
        issues.push(`Option "${key}" is given twice in --out "${text}"`);
      } else {
        options[key] = part.slice(at + 1);
      }
    }
  }
  if (issues.length) throw new ConfigError(issues);
  return { name, target, options };
}

/** Writes a spec back as the user would type it, for messages. */
export function formatOutputSpec(spec: SplitSpec): string {
  const opts = Object.entries(spec.options).map(([k, v]) => `${k}=${v}`).join("&");
  return `${spec.name}${spec.target ? `=${spec.target}` : ""}${opts ? `?${opts}` : ""}`;
}

/**
 * Reads a yes/no option: `true` or `false` (also `1`/`0`, `yes`/`no`); `fallback` when the
 * option is absent. Anything else is a ConfigError naming the option and the spec.
 */
export function booleanOption(spec: SplitSpec, key: string, fallback: boolean): boolean {
  const raw = spec.options[key];
  if (raw === undefined) return fallback;
  const v = raw.trim().toLowerCase();
  if (v === "true" || v === "1" || v === "yes") return true;
  if (v === "false" || v === "0" || v === "no") return false;
  throw new ConfigError(
    `Invalid value "${raw}" for option ${key} in --out "${
      formatOutputSpec(spec)
    }": expected true or false`,
  );
}

/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string alignment):
 * `jsno` is one typo away from `json`, not two.
 */
function typoDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate a misspelt `word` most likely meant (case ignored), for "did you mean"; null
 * when none is within a third of the word's length (at least one edit, at most three).
 */
export function nearestName(word: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = typoDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}
