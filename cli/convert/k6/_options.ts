/**
 * `export const options = {…}`: typed as rampa's `Options`; fields rampa would refuse as
 * unknown are removed with a note saying what to use instead; scenarios keep k6's executor
 * fields (rampa uses k6's names and defaults); threshold keys lose k6's leading `::` in group
 * tags. Returns the `exec` function names the scenarios name.
 *
 * @module
 */
import type { AnyNode, ObjectExpression, Property, SpreadElement } from "acorn";
import { note, type State } from "./_state.ts";
import { KNOWN_OPTIONS } from "../../../core/scenario/options.ts";
import { EXECUTOR_KINDS } from "../../../core/executors/kinds.ts";

/** Options rampa accepts with k6's meaning: rampa's own list. */
const KNOWN = KNOWN_OPTIONS;

/** What to do instead of a k6 option rampa lacks. */
const INSTEAD: Record<string, string> = {
  rps: "to cap the rate use an arrival-rate scenario or rampa run --rate",
  httpDebug: "rampa has no HTTP debug printing",
  userAgent: "set a User-Agent header per request",
  maxRedirects: "rampa does not follow redirects: request the final URL",
  discardResponseBodies: "rampa keeps bodies of scenario requests",
  summaryTrendStats: "rampa's summary always shows avg, min, med, p90, p95, p99, max",
  batch: "rampa has no http.batch limits",
  batchPerHost: "rampa has no http.batch limits",
  cloud: "rampa has no cloud service; --out sends results to your own systems",
  ext: "rampa has no cloud service; --out sends results to your own systems",
  hosts: "rampa has no host overrides: put the address in the URL",
  dns: "rampa uses the system resolver",
  noConnectionReuse: "rampa always reuses connections",
  noVUConnectionReuse: "rampa always reuses connections",
  minIterationDuration: "add a sleep() at the end of the iteration",
  systemTags: "rampa's tags are fixed (scenario, group, name, method, status, error)",
};

const SCENARIO_FIELDS = new Set([
  "executor",
  "startTime",
  "gracefulStop",
  "exec",
  "tags",
  "env",
  "rate",
  "timeUnit",
  "duration",
  "preAllocatedVUs",
  "maxVUs",
  "startRate",
  "stages",
  "vus",
  "iterations",
  "maxDuration",
  "startVUs",
  "gracefulRampDown",
]);

const EXECUTORS: ReadonlySet<string> = new Set(EXECUTOR_KINDS);

/** The key of a property as written, if static. */
export function keyOf(p: Property | SpreadElement): string | null {
  if (p.type !== "Property" || p.computed) return null;
  if (p.key.type === "Identifier") return p.key.name;
  if (p.key.type === "Literal") return String(p.key.value);
  return null;
}

/** Removes one property of an object literal, with the comma after it. */
export function removeProperty(s: State, p: AnyNode): void {
  const m = /^\s*,/.exec(s.src.slice(p.end));
  let [start, end] = [p.start, p.end + (m ? m[0].length : 0)];
  // A property on lines of its own goes with its lines (a trailing comment stays).
  const lineStart = s.src.lastIndexOf("\n", start - 1) + 1;
  const rest = /^[ \t]*\r?\n/.exec(s.src.slice(end));
  if (/^[ \t]*$/.test(s.src.slice(lineStart, start)) && rest) {
    [start, end] = [lineStart, end + rest[0].length];
  }
  s.edits.replace(start, end, "");
}

/** Converts the options object; returns the names of the scenarios' `exec` functions. */
export function convertOptions(s: State): string[] {
  const execs: string[] = [];
  for (const st of s.ast.program.body) {
    const decl = st.type === "ExportNamedDeclaration" ? st.declaration : st;
    if (decl?.type !== "VariableDeclaration") continue;
    for (const d of decl.declarations) {
      if (d.id.type !== "Identifier" || d.id.name !== "options") continue;
      if (d.init?.type !== "ObjectExpression") {
        note(
          s,
          d,
          "options is not an object literal: check its fields against docs/k6-migration.md",
        );
        continue;
      }
      s.edits.insert(d.id.end, ": Options");
      s.rampa.add("type Options");
      convertTop(s, d.init, execs);
    }
  }
  return execs;
}

function convertTop(s: State, o: ObjectExpression, execs: string[]): void {
  for (const p of o.properties) {
    const k = keyOf(p);
    if (k === null || p.type !== "Property") continue;
    if (k === "scenarios" && p.value.type === "ObjectExpression") {
      for (const sc of p.value.properties) {
        if (sc.type === "Property" && sc.value.type === "ObjectExpression") {
          convertScenario(s, sc.value, keyOf(sc) ?? "?", execs);
        }
      }
    } else if (k === "thresholds" && p.value.type === "ObjectExpression") {
      convertThresholds(s, p.value);
    } else if (!KNOWN.has(k)) {
      const why = INSTEAD[k] ?? "rampa does not know it";
      note(s, p, `option "${k}" removed: ${why}`);
      removeProperty(s, p);
    }
  }
}

function convertScenario(s: State, o: ObjectExpression, name: string, execs: string[]): void {
  for (const p of o.properties) {
    const k = keyOf(p);
    if (k === null || p.type !== "Property") continue;
    if (k === "exec" && p.value.type === "Literal" && typeof p.value.value === "string") {
      execs.push(p.value.value);
    }
    if (k === "executor" && p.value.type === "Literal" && !EXECUTORS.has(String(p.value.value))) {
      note(
        s,
        p,
        `scenario "${name}": executor ${JSON.stringify(p.value.value)} does not exist in rampa; ` +
          `use one of ${[...EXECUTORS].join(", ")}`,
      );
    }
    if (!SCENARIO_FIELDS.has(k)) {
      note(s, p, `scenario "${name}": field "${k}" removed: rampa does not know it`);
      removeProperty(s, p);
    }
  }
}

function convertThresholds(s: State, o: ObjectExpression): void {
  for (const p of o.properties) {
    const k = keyOf(p);
    if (k === null || p.type !== "Property") continue;
    let key = k.replace(/(\{|,)\s*group\s*:\s*::/g, "$1group:");
    if (/expected_response\s*:/.test(key)) {
      note(
        s,
        p,
        `threshold "${k}": rampa has no expected_response tag; ` +
          `its http_req_duration counts every response (filter by {status:200} instead)`,
      );
      key = key.replace(/\{\s*expected_response\s*:\s*true\s*\}/, "{status:200}");
    }
    if (/[{,]\s*url\s*:/.test(key)) {
      note(
        s,
        p,
        `threshold "${k}": rampa has no url tag; requests are tagged by name (origin + path by default)`,
      );
      key = key.replace(/([{,]\s*)url(\s*:)/g, "$1name$2");
    }
    if (key !== k) s.edits.replace(p.key.start, p.key.end, JSON.stringify(key));
  }
}
