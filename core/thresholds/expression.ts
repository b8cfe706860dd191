/**
 * The syntax of one threshold expression, `aggregation op value [over window]`, without any
 * knowledge of metrics: it splits and reads numbers, and leaves the kind rules to the parser.
 * Every failure is a message fragment, so the parser can prefix it with the threshold it
 * belongs to and report it alongside every other issue.
 *
 * @module
 */
import type { Operator } from "./types.ts";
import { UNIT_MS } from "../units.ts";

/** Time units a value may carry, in ms (the same table durations use). */
export const TIME_UNITS_MS: Readonly<Record<string, number>> = UNIT_MS;

/** An expression split into its parts, numbers read but not yet normalised. */
export interface ExpressionParts {
  /** The aggregation as written (`p(99)`, `p99`, `avg`), or null when omitted. */
  aggregation: string | null;
  /** The rank of a `p(N)` aggregation; null for every other form. */
  percentile: number | null;
  op: Operator;
  /** The value as written, for messages. */
  valueText: string;
  number: number;
  /** `ms`, `s`, `%`… or null for a plain number. */
  unit: string | null;
  /** The window as written after `over`, or null. */
  windowText: string | null;
}

const OPERATORS = "<, <=, >, >=, ==, !=";
const OP = /^(===|==|!=|<=|>=|<|>)/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
const PERCENTILE = /^p\s*\(([^)]*)\)/i;
const VALUE = /^([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(us|µs|ms|s|m|h|%)?$/;
const OVER = /\s+over(?:\s|$)/i;

/** Splits an expression; a string result is the problem found. */
export function parseExpression(text: string): ExpressionParts | string {
  let rest = text.trim();
  if (rest === "") return "the expression is empty: expected e.g. p(99)<500ms or rate<1%";
  let aggregation: string | null = null;
  let percentile: number | null = null;
  if (/^p\s*\(/i.test(rest)) {
    const m = PERCENTILE.exec(rest);
    if (!m) return `cannot parse percentile "${rest}": expected p(N) such as p(99) or p(99.9)`;
    const inner = m[1].trim();
    const n = Number(inner);
    if (!/^\d+(?:\.\d+)?$/.test(inner) || !(n > 0 && n <= 100)) {
      return `cannot parse percentile "${m[0]}": expected p(N) with N in (0, 100], such as p(99)`;
    }
    aggregation = m[0];
    percentile = n;
    rest = rest.slice(m[0].length).trimStart();
  } else {
    const w = WORD.exec(rest);
    if (w) {
      aggregation = w[0];
      rest = rest.slice(w[0].length).trimStart();
    }
  }
  const o = OP.exec(rest);
  if (!o) {
    const after = aggregation === null ? "" : ` after "${aggregation}"`;
    return rest === ""
      ? `missing operator${after}: expected one of ${OPERATORS} and a value`
      : `expected an operator (${OPERATORS})${after}, got "${rest}"`;
  }
  const op = (o[1] === "===" ? "==" : o[1]) as Operator;
  rest = rest.slice(o[1].length).trim();
  let windowText: string | null = null;
  const over = OVER.exec(rest);
  if (over) {
    windowText = rest.slice(over.index + over[0].length).trim();
    rest = rest.slice(0, over.index).trim();
    if (windowText === "") return `missing window after "over": expected a duration such as 30s`;
  }
  if (rest === "") return `missing value after "${op}"`;
  const v = VALUE.exec(rest);
  if (!v) {
    return `cannot parse value "${rest}": expected a number with an optional unit (ms, s, %)`;
  }
  return {
    aggregation,
    percentile,
    op,
    valueText: rest,
    number: Number(v[1]),
    unit: v[2] ?? null,
    windowText,
  };
}

/** Whether `observed op bound` holds. */
export function compare(observed: number, op: Operator, bound: number): boolean {
  switch (op) {
    case "<":
      return observed < bound;
    case "<=":
      return observed <= bound;
    case ">":
      return observed > bound;
    case ">=":
      return observed >= bound;
    case "==":
      return observed === bound;
    case "!=":
      return observed !== bound;
  }
}

/**
 * How far `observed` sits on the failing side of `op bound`: larger is worse. Lets windowed
 * thresholds keep their worst window with one rule for every operator.
 */
export function badness(observed: number, op: Operator, bound: number): number {
  switch (op) {
    case "<":
    case "<=":
      return observed - bound;
    case ">":
    case ">=":
      return bound - observed;
    case "==":
      return Math.abs(observed - bound);
    case "!=":
      return -Math.abs(observed - bound);
  }
}

/** Levenshtein distance, for "did you mean" suggestions on short names. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The closest candidate within a small edit distance, or null when none is close. */
export function suggest(word: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestD = limit + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}
