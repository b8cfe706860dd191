/**
 * Compiles a validated declarative file into a {@link Plan}, once per thread: templates split
 * into literal and variable parts, every `${var}` resolved to where its value will come from
 * (or reported, with its line and column, when nothing defines it), JSONPaths parsed, regexes
 * and JSON Schemas compiled, checks built as closures. Nothing here runs per request.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { parseDuration } from "../core/units.ts";
import { compileChecks } from "./checks.ts";
import { extractChecks } from "./extract.ts";
import { neverMatches, parseJsonPath } from "./jsonpath.ts";
import {
  Escape,
  type Extract,
  type FlowPlan,
  type OpenDataset,
  type Plan,
  requestOptions,
  type Slot,
  type StepPlan,
  type Template,
} from "./plan.ts";
import type { DeclarativeFile, StepSpec } from "./schema.ts";
import { formatPath, type Path, type Source } from "./source.ts";
import { parseTemplate, RESERVED, type TemplatePart } from "./template.ts";
import { sortByPosition } from "./validate.ts";

/** What compiling needs besides the file: where it is and its opened datasets. */
export interface CompileInput {
  readonly src: Source;
  readonly file: DeclarativeFile;
  readonly datasets: readonly OpenDataset[];
}

/** Builds templates from parts, keeping literal runs merged. */
class TemplateBuilder {
  readonly lits: string[] = [""];
  readonly refs: Slot[] = [];
  readonly escapes: Escape[] = [];
  lit(s: string): void {
    this.lits[this.lits.length - 1] += s;
  }
  ref(slot: Slot, esc: Escape): void {
    this.refs.push(slot);
    this.escapes.push(esc);
    this.lits.push("");
  }
  build(): Template {
    return { lits: this.lits, refs: this.refs, escapes: this.escapes };
  }
}

/** Per-flow compile state: which variables exist so far and the issues found. */
class FlowScope {
  readonly vars = new Map<string, number>();
  readonly sets = new Set<number>();
  constructor(
    readonly src: Source,
    readonly datasets: readonly OpenDataset[],
    readonly issues: string[],
  ) {}

  /** Adds `text` (at `path`) to `b`, each variable escaped with `esc`. */
  template(
    b: TemplateBuilder,
    text: string,
    path: Path,
    esc: Escape,
    litEsc: (s: string) => string,
  ): void {
    const t = parseTemplate(text);
    for (const e of t.errors) {
      this.issues.push(`${this.src.atText(path, e.source)}: ${formatPath(path)}: ${e.message}`);
    }
    for (const p of t.parts) {
      if (typeof p === "string") b.lit(litEsc(p));
      else {
        const slot = this.slot(p, path);
        if (slot) b.ref(slot, esc);
      }
    }
  }

  slot(p: Exclude<TemplatePart, string>, path: Path): Slot | null {
    const r = p.ref;
    const fail = (m: string) => {
      this.issues.push(`${this.src.atText(path, p.source)}: ${formatPath(path)}: ${m}`);
      return null;
    };
    switch (r.kind) {
      case "env":
        return { k: "env", name: r.name };
      case "vu":
      case "iteration":
      case "scenario":
        return { k: r.kind };
      case "data": {
        const set = this.datasets.findIndex((d) => d.name === r.set);
        if (set < 0) {
          const known = this.datasets.map((d) => d.name);
          return fail(
            `Undefined variable "${p.source}": no dataset "${r.set}" under data:` +
              (known.length ? ` (defined: ${known.join(", ")})` : ""),
          );
        }
        const cols = this.datasets[set].columns;
        if (cols && !cols.has(r.column)) {
          return fail(
            `Undefined variable "${p.source}": dataset "${r.set}" has no column "${r.column}" (columns: ${
              [...cols].join(", ")
            })`,
          );
        }
        this.sets.add(set);
        return { k: "data", set, column: r.column };
      }
      case "var": {
        const slot = this.vars.get(r.name);
        if (slot === undefined) {
          return fail(
            `Undefined variable "${p.source}": not env.*, vu, iteration, scenario, data.<set>.<column> or a value extracted by an earlier step`,
          );
        }
        return { k: "var", slot, name: r.name };
      }
    }
  }
}

const same = (s: string) => s;
const jsonLit = (s: string) => JSON.stringify(s).slice(1, -1);

function msOf(
  v: string | number | undefined,
  path: Path,
  src: Source,
  issues: string[],
): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return v;
  try {
    return parseDuration(v, "duration");
  } catch (e) {
    issues.push(src.issue(path, (e as Error).message));
    return undefined;
  }
}

/** Writes `value` as JSON text into `b`, strings templated with JSON escaping. */
function jsonTemplate(scope: FlowScope, b: TemplateBuilder, value: unknown, path: Path): void {
  if (typeof value === "string") {
    b.lit('"');
    scope.template(b, value, path, Escape.Json, jsonLit);
    b.lit('"');
  } else if (Array.isArray(value)) {
    b.lit("[");
    value.forEach((v, i) => {
      if (i) b.lit(",");
      jsonTemplate(scope, b, v, [...path, i]);
    });
    b.lit("]");
  } else if (value !== null && typeof value === "object") {
    b.lit("{");
    Object.entries(value).forEach(([k, v], i) => {
      b.lit(`${i ? "," : ""}${JSON.stringify(k)}:`);
      jsonTemplate(scope, b, v, [...path, k]);
    });
    b.lit("}");
  } else b.lit(JSON.stringify(value ?? null));
}

function compileExtracts(
  scope: FlowScope,
  step: StepSpec,
  path: Path,
  schema: unknown,
): Extract[] {
  const out: Extract[] = [];
  for (const [name, source] of Object.entries(step.extract ?? {})) {
    const at = [...path, "extract", name];
    const fail = (m: string) => scope.issues.push(scope.src.issue(at, m));
    if (RESERVED.has(name)) {
      fail(`Cannot extract into "${name}": it is a built-in name (${[...RESERVED].join(", ")})`);
      continue;
    }
    let slot = scope.vars.get(name);
    if (slot === undefined) slot = scope.vars.size;
    if (source.startsWith("$")) {
      const p = parseJsonPath(source);
      if (typeof p === "string") {
        fail(p);
        continue;
      }
      const never = schema === undefined ? null : neverMatches(p, schema);
      if (never) {
        fail(`JSONPath "${source}" never matches a body this step expects: ${never}`);
        continue;
      }
      out.push({ kind: "json", slot, name, path: p, source });
    } else if (source.startsWith("header:")) {
      const header = source.slice(7).trim();
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
        fail(`Invalid header name in "${source}"`);
        continue;
      }
      out.push({ kind: "header", slot, name, header: header.toLowerCase(), source });
    } else if (source.startsWith("regex:")) {
      let re: RegExp;
      try {
        re = new RegExp(source.slice(6));
      } catch (e) {
        fail(`Invalid regex in "${source}": ${(e as Error).message}`);
        continue;
      }
      out.push({ kind: "regex", slot, name, re, source });
    } else {
      fail(`Invalid extract "${source}": expected "$.json.path", "header:NAME" or "regex:PATTERN"`);
      continue;
    }
    scope.vars.set(name, slot);
  }
  return out;
}

async function compileStep(scope: FlowScope, step: StepSpec, path: Path): Promise<StepPlan> {
  const { src, issues } = scope;
  const req = step.request;
  const rp = [...path, "request"];
  const url = new TemplateBuilder();
  // A URL must say its scheme up front, unless a variable (the base URL) comes first.
  if (!/^\s*\$\{/.test(req.url) && !/^https?:\/\//i.test(req.url)) {
    issues.push(src.issue(
      [...rp, "url"],
      `Invalid URL "${req.url}": expected http:// or https://, or a variable such as \${env.BASE_URL} first`,
    ));
  }
  scope.template(url, req.url, [...rp, "url"], Escape.None, same);
  const query = Object.entries(req.query ?? {});
  if (query.length) {
    url.lit(req.url.includes("?") ? "&" : "?");
    query.forEach(([k, v], i) => {
      url.lit(`${i ? "&" : ""}${encodeURIComponent(k)}=`);
      scope.template(url, v, [...rp, "query", k], Escape.Uri, encodeURIComponent);
    });
  }
  const headers: [string, Template][] = [];
  const has = (h: string) => headers.some(([k]) => k.toLowerCase() === h);
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    const b = new TemplateBuilder();
    scope.template(b, v, [...rp, "headers", k], Escape.None, same);
    headers.push([k, b.build()]);
  }
  let body: Template | null = null;
  const constant = (v: string): Template => ({ lits: [v], refs: [], escapes: [] });
  if (req.json !== undefined) {
    const b = new TemplateBuilder();
    jsonTemplate(scope, b, req.json, [...rp, "json"]);
    body = b.build();
    if (!has("content-type")) headers.push(["Content-Type", constant("application/json")]);
  } else if (req.form !== undefined) {
    const b = new TemplateBuilder();
    Object.entries(req.form).forEach(([k, v], i) => {
      b.lit(`${i ? "&" : ""}${encodeURIComponent(k)}=`);
      scope.template(b, v, [...rp, "form", k], Escape.Uri, encodeURIComponent);
    });
    body = b.build();
    if (!has("content-type")) {
      headers.push(["Content-Type", constant("application/x-www-form-urlencoded")]);
    }
  } else if (req.body !== undefined) {
    const b = new TemplateBuilder();
    scope.template(b, req.body, [...rp, "body"], Escape.None, same);
    body = b.build();
  }
  const metricName = req.name;
  const timeoutMs = msOf(req.timeout, [...rp, "timeout"], src, issues);
  const fixed = headers.every(([, t]) => t.refs.length === 0)
    ? requestOptions(
      Object.fromEntries(headers.map(([k, t]) => [k, t.lits[0]])),
      metricName,
      timeoutMs,
    )
    : null;
  const { checks, schema } = await compileChecks(step, path, src, issues);
  // Extracts come after the request: a step cannot use what it extracts itself.
  const extracts = compileExtracts(scope, step, path, schema);
  return {
    name: step.name,
    method: req.method ?? "GET",
    url: url.build(),
    headers,
    fixedOptions: fixed,
    body,
    metricName,
    timeoutMs,
    checks,
    extracts,
    extractChecks: extractChecks(step.name, extracts),
    thinkMs: msOf(step.think, [...path, "think"], src, issues) ?? 0,
  };
}

/** Compiles the file; throws one ConfigError with every issue, ordered by position. */
export async function compilePlan(input: CompileInput): Promise<Plan> {
  const { src, file, datasets } = input;
  const issues: string[] = [];
  const flows: FlowPlan[] = [];
  const specs = file.flows ?? [{ name: undefined, weight: 1, steps: file.steps ?? [] }];
  const names = new Set<string>();
  for (let f = 0; f < specs.length; f++) {
    const spec = specs[f];
    const base: Path = file.flows ? ["flows", f] : [];
    if (spec.name !== undefined) {
      if (names.has(spec.name) || ["default", "options", "setup", "teardown"].includes(spec.name)) {
        issues.push(src.issue([...base, "name"], `Flow name "${spec.name}" is taken`));
      }
      names.add(spec.name);
    }
    const scope = new FlowScope(src, datasets, issues);
    const steps: StepPlan[] = [];
    for (let i = 0; i < spec.steps.length; i++) {
      steps.push(await compileStep(scope, spec.steps[i], [...base, "steps", i]));
    }
    flows.push({
      name: spec.name,
      weight: spec.weight ?? 1,
      steps,
      sets: [...scope.sets].sort((a, b) => a - b),
      slots: scope.vars.size,
    });
  }
  checkExec(src, names, issues);
  if (issues.length) throw new ConfigError(sortByPosition(issues));
  return { flows, datasets };
}

/** Every scenario's `exec` must name the default flow or a named one. */
function checkExec(src: Source, names: Set<string>, issues: string[]): void {
  const opts = (src.value as { options?: { scenarios?: unknown } } | null)?.options;
  const scenarios = opts?.scenarios;
  if (!scenarios || typeof scenarios !== "object") return;
  for (const [name, sc] of Object.entries(scenarios as Record<string, unknown>)) {
    const exec = (sc as { exec?: unknown } | null)?.exec;
    if (typeof exec === "string" && exec !== "default" && !names.has(exec)) {
      issues.push(src.issue(
        ["options", "scenarios", name, "exec"],
        `No flow named "${exec}": exec names a flow's name (or default)`,
      ));
    }
  }
}
