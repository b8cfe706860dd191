/**
 * Type-checks thresholds before any load is sent: every key must name a known metric, every
 * aggregation must suit the metric's kind and every unit the aggregation. All problems are
 * collected and thrown together in one {@link ConfigError}, each naming its threshold, so a
 * config with three typos costs one edit, not three runs.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { MetricDef, MetricKind } from "../types.ts";
import { parseDuration } from "../units.ts";
import { type ExpressionParts, parseExpression, suggest, TIME_UNITS_MS } from "./expression.ts";
import { parseThresholdKey } from "./key.ts";
import type { Aggregation, NoDataPolicy, Threshold, ThresholdOptions } from "./types.ts";
import type { ThresholdsInput } from "./types.ts";

/**
 * Keys that read as SLOs (`error_rate`), registered by protocols for their own metrics; a
 * declared metric of the same name takes precedence.
 */
export type KeyAliases = Readonly<Record<string, { metric: string; aggregation: Aggregation }>>;

/** Percentile shorthands accepted in expressions on trends. */
const PERCENTILE_ALIASES: Readonly<Record<string, number>> = {
  p50: 50,
  p90: 90,
  p95: 95,
  p99: 99,
  p999: 99.9,
};

/** Aggregations each kind supports, in the order messages suggest them. */
const ALLOWED: Readonly<Record<MetricKind, readonly string[]>> = {
  counter: ["count", "rate"],
  rate: ["rate"],
  gauge: ["value", "min", "max"],
  trend: ["avg", "min", "max", "med", "p(N)", "count"],
};

const APPLIES_TO: Readonly<Record<string, string>> = {
  count: "counters and trends",
  rate: "counters and rates",
  value: "gauges",
  min: "gauges and trends",
  max: "gauges and trends",
  avg: "trends",
  med: "trends",
  "p(N)": "trends",
};

const OPTION_KEYS = ["threshold", "abortOnFail", "delayAbortEval", "noData"];
const NO_DATA: readonly NoDataPolicy[] = ["fail", "pass", "ignore"];

/**
 * Parses and type-checks thresholds against the metrics the run will record. Throws a
 * {@link ConfigError} listing every issue found.
 */
export function parseThresholds(
  input: ThresholdsInput,
  metrics: ReadonlyMap<string, MetricDef>,
  aliases: KeyAliases = {},
): Threshold[] {
  const out: Threshold[] = [];
  const issues: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const entries = Array.isArray(raw) ? raw : [raw];
    const parsedKey = parseThresholdKey(key);
    if (!parsedKey.ok) {
      issues.push(`Invalid threshold key "${key}": ${parsedKey.error}`);
      continue;
    }
    for (const entry of entries) {
      const opts = readOptions(key, entry, issues);
      if (!opts) continue;
      const label = `${key}: ${opts.threshold}`;
      const alias = metrics.has(parsedKey.metric) ? undefined : aliases[parsedKey.metric];
      const metric = alias?.metric ?? parsedKey.metric;
      const def = metrics.get(metric);
      if (!def) {
        issues.push(unknownMetric(parsedKey.metric, alias?.metric, label, metrics, aliases));
        continue;
      }
      const parts = parseExpression(opts.threshold);
      const checked = typeof parts === "string"
        ? parts
        : check(parts, def, alias?.aggregation ?? null, parsedKey.metric);
      if (typeof checked === "string") {
        issues.push(`Invalid threshold "${label}": ${checked}`);
        continue;
      }
      out.push({
        key,
        metric,
        kind: def.kind,
        tags: parsedKey.tags,
        expression: opts.threshold,
        ...checked,
        abortOnFail: opts.abortOnFail,
        delayAbortEvalMs: opts.delayAbortEvalMs,
        noData: opts.noData,
      });
    }
  }
  if (issues.length) throw new ConfigError(issues);
  return out;
}

type Checked = Pick<Threshold, "aggregation" | "percentile" | "op" | "value" | "windowMs">;

/** Applies the kind and unit rules to a syntactically valid expression. */
function check(
  p: ExpressionParts,
  def: MetricDef,
  implied: Aggregation | null,
  keyName: string,
): Checked | string {
  const kind = def.kind;
  const use = `${def.name} is ${article(kind)} ${kind}: use ${orList(ALLOWED[kind])}`;
  let aggregation: Aggregation;
  let percentile = p.percentile;
  let shown = p.aggregation ?? "";
  if (p.aggregation === null) {
    if (!implied) return `missing aggregation before "${p.op}"; ${use}`;
    aggregation = implied;
  } else if (percentile !== null) {
    aggregation = "p";
    shown = "p(N)";
  } else {
    const word = p.aggregation.toLowerCase();
    if (word in PERCENTILE_ALIASES) {
      aggregation = "p";
      percentile = PERCENTILE_ALIASES[word];
    } else if (word in APPLIES_TO) aggregation = word as Aggregation;
    else {
      const near = suggest(word, [...Object.keys(APPLIES_TO), ...Object.keys(PERCENTILE_ALIASES)]);
      const hint = near ? ` (did you mean ${near}?)` : "";
      return `unknown aggregation "${p.aggregation}"${hint}; ${use}`;
    }
  }
  if (implied && aggregation !== implied) {
    return `${keyName} already means the ${implied} of ${def.name}, so "${p.aggregation}" ` +
      `does not apply (write e.g. "< 1%")`;
  }
  const canonical = aggregation === "p" ? "p(N)" : aggregation;
  if (!ALLOWED[kind].includes(canonical)) {
    return `${shown || canonical} applies to ${APPLIES_TO[canonical]}, but ${def.name} is ` +
      `${article(kind)} ${kind} (use ${orList(ALLOWED[kind])})`;
  }
  const value = normalise(p, def, aggregation);
  if (typeof value === "string") return value;
  const vacuous = vacuity(p.op, value, def, aggregation);
  if (vacuous) return vacuous;
  let windowMs: number | null = null;
  if (p.windowText !== null) {
    try {
      windowMs = parseDuration(p.windowText);
    } catch {
      return `cannot parse window "${p.windowText}": expected a duration such as 30s or 5m`;
    }
    if (!(windowMs > 0)) return `the window "${p.windowText}" must be longer than 0`;
  }
  return { aggregation, percentile, op: p.op, value, windowMs };
}

/**
 * Why a bound can never fail or never pass, or null. Every aggregation rampa judges is ≥ 0
 * (counts, rates, durations; a gauge or a custom trend may be negative, so they are exempt),
 * and a rate's share is at most 1: `error_rate < 250%` or `count > -1` always pass, `rate > 100%`
 * or `p(99) < 0` never do. A threshold that cannot decide anything is a mistake, not a gate.
 */
function vacuity(
  op: string,
  v: number,
  def: MetricDef,
  aggregation: Aggregation,
): string | null {
  if (!Number.isFinite(v)) return `the bound ${v} is not a finite number`;
  const nonNegative = def.kind === "counter" || def.kind === "rate" ||
    (def.kind === "trend" && (def.unit === "ms" || aggregation === "count"));
  if (!nonNegative) return null;
  const max = def.kind === "rate" && aggregation === "rate" ? 1 : Infinity;
  const never = (what: string) =>
    `it can never ${what} (the value is always between 0 and ${max === 1 ? "100%" : "∞"})`;
  switch (op) {
    case "<":
      if (v <= 0) return never("pass");
      if (v > max) return never("fail");
      break;
    case "<=":
      if (v < 0) return never("pass");
      if (v >= max) return never("fail");
      break;
    case ">":
      if (v < 0) return never("fail");
      if (v >= max) return never("pass");
      break;
    case ">=":
      if (v <= 0) return never("fail");
      if (v > max) return never("pass");
      break;
  }
  return null;
}

/** The bound in the metric's terms: ms for time trends, a fraction for rates. */
function normalise(p: ExpressionParts, def: MetricDef, aggregation: Aggregation): number | string {
  const { unit, number } = p;
  const isTime = def.kind === "trend" && def.unit === "ms" && aggregation !== "count";
  if (unit === "%") {
    if (def.kind === "rate") return number / 100;
    const per = def.kind === "counter" && aggregation === "rate" ? " (its rate is per second)" : "";
    return `unit "%" applies to rate metrics, but ${def.name} is ${article(def.kind)} ` +
      `${def.kind}${per}`;
  }
  if (unit !== null) {
    if (isTime) return number * TIME_UNITS_MS[unit];
    if (def.kind === "trend" && def.unit === "ms") {
      return `unit "${unit}" does not apply to count (a number of samples)`;
    }
    const what = def.kind === "trend"
      ? `a trend ${def.unit && def.unit !== "none" ? `in ${def.unit}` : "without a time unit"}`
      : `${article(def.kind)} ${def.kind}`;
    return `unit "${unit}" applies to time trends, but ${def.name} is ${what}`;
  }
  if (def.kind === "rate" && (number > 1 || number < 0)) {
    return `a rate is a share between 0 and 1, got "${p.valueText}" (write e.g. 1% or 0.01)`;
  }
  return number;
}

/** Reads one entry (string or options object); reports and returns null when unusable. */
function readOptions(
  key: string,
  entry: unknown,
  issues: string[],
): Required<Omit<ThresholdOptions, "delayAbortEval">> & { delayAbortEvalMs: number } | null {
  if (typeof entry === "string") {
    return { threshold: entry, abortOnFail: false, delayAbortEvalMs: 0, noData: "fail" };
  }
  const o = entry as Record<string, unknown> | null;
  if (typeof o !== "object" || o === null || typeof o.threshold !== "string") {
    issues.push(
      `Invalid threshold for "${key}": expected a string or { threshold: "…" }, got ` +
        JSON.stringify(entry),
    );
    return null;
  }
  const label = `${key}: ${o.threshold}`;
  const bad = (msg: string) => issues.push(`Invalid threshold "${label}": ${msg}`);
  const before = issues.length;
  for (const k of Object.keys(o)) {
    if (OPTION_KEYS.includes(k)) continue;
    const near = suggest(k, OPTION_KEYS);
    bad(`unknown option "${k}"${near ? ` (did you mean ${near}?)` : ""}`);
  }
  if (o.abortOnFail !== undefined && typeof o.abortOnFail !== "boolean") {
    bad(`abortOnFail must be true or false, got ${JSON.stringify(o.abortOnFail)}`);
  }
  let delayAbortEvalMs = 0;
  if (o.delayAbortEval !== undefined) {
    try {
      delayAbortEvalMs = parseDuration(String(o.delayAbortEval));
    } catch {
      bad(
        `cannot parse delayAbortEval ${JSON.stringify(o.delayAbortEval)}: ` +
          `expected a duration such as 30s`,
      );
    }
  }
  if (o.noData !== undefined && !NO_DATA.includes(o.noData as NoDataPolicy)) {
    bad(`noData must be "fail", "pass" or "ignore", got ${JSON.stringify(o.noData)}`);
  }
  if (issues.length > before) return null;
  return {
    threshold: o.threshold,
    abortOnFail: o.abortOnFail === true,
    delayAbortEvalMs,
    noData: (o.noData as NoDataPolicy | undefined) ?? "fail",
  };
}

function unknownMetric(
  name: string,
  aliasOf: string | undefined,
  label: string,
  metrics: ReadonlyMap<string, MetricDef>,
  aliases: KeyAliases,
): string {
  const head = `Unknown metric "${name}" in threshold "${label}"`;
  if (aliasOf) return `${head} (it stands for ${aliasOf}, which this run does not record)`;
  const known = [...metrics.keys()];
  for (const [a, t] of Object.entries(aliases)) if (metrics.has(t.metric)) known.push(a);
  const near = suggest(name, known);
  return near ? `${head} (did you mean ${near}?)` : head;
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? "an" : "a";
}

function orList(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
