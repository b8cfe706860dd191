/**
 * `rampa convert k6`: a k6 script in, a rampa scenario out, plus a note for each line that
 * needs a human. The script is parsed with acorn and rewritten by text edits on ranges of
 * the original (not re-printed), so comments and layout survive untouched wherever the
 * converter has nothing to say.
 *
 * @module
 */
import type { AnyNode, CallExpression, NewExpression } from "acorn";
import {
  declaredNames,
  enclosingFn,
  fnName,
  idName,
  isReference,
  memberParts,
  parseScript,
} from "./_ast.ts";
import { analyseFlow, type Flow, isCtxRef, REQUEST_METHODS } from "./_flow.ts";
import {
  convertBatch,
  convertRequest,
  convertResponseCallback,
  convertResponseMember,
  findResponses,
  isResponse,
} from "./_http.ts";
import { convertImports } from "./_imports.ts";
import { convertOptions } from "./_options.ts";
import { calleeName, findEntries, makeAsync, signatures } from "./_functions.ts";
import {
  bindingOf,
  createState,
  entryAround,
  indentAt,
  type Note,
  note,
  type State,
} from "./_state.ts";

/** The result of a conversion. */
export interface K6Conversion {
  /** The rampa scenario (TypeScript). */
  code: string;
  /** What was not converted, or converted with a difference, by line of the k6 script. */
  notes: Note[];
}

const ENV_SHIM =
  `/**\n * k6's __ENV outside the scenario function: the process environment. Values given with\n` +
  ` * \`rampa run --env K=V\` reach only ctx.env; here, set them as environment variables.\n */\n` +
  `const __ENV: Record<string, string | undefined> = Deno.env.toObject();`;

const EXEC_MEMBERS: Record<string, string> = {
  "vu.idInTest": "ctx.vu",
  "vu.idInInstance": "ctx.vu",
  "vu.iterationInScenario": "ctx.iteration",
  "vu.iterationInInstance": "ctx.iteration",
  "scenario.name": "ctx.scenario",
};

/**
 * Converts a k6 script into a rampa scenario. Imports from `k6`, `k6/http`, `k6/metrics`,
 * `k6/data` and `k6/execution` become one import from `"rampa"`; requests, `sleep` and
 * `group` are awaited and every function that reaches one (helpers included) is made async;
 * `__VU`, `__ITER` and `__ENV` read the VU context (`ctx`), which helpers get as a first
 * parameter; `open()` reads relative to the scenario file; `SharedArray` becomes a plain
 * array built once per load thread; options, scenarios and thresholds keep k6's names and
 * lose what rampa does not know. Whatever is not converted gets a note and a
 * `// rampa-convert:` comment above its line in the output.
 *
 * Throws a `ConfigError` (exit code 2) when the script does not parse.
 *
 * @example
 * ```ts
 * const { code, notes } = convertK6(await Deno.readTextFile("script.js"), "script.js");
 * for (const n of notes) console.error(`script.js:${n.line}: ${n.message}`);
 * await Deno.writeTextFile("scenario.ts", code);
 * ```
 */
export function convertK6(source: string, fileName: string): K6Conversion {
  const ast = parseScript(source, fileName);
  const s = createState(source, fileName, ast);
  const importAt = convertImports(s);
  findEntries(s, convertOptions(s));
  const flow = analyseFlow(s);
  const responses = findResponses(s, flow);
  const uses = { ctxType: false, envShim: false };
  const openIsGlobal = !declaredNames(ast).has("open") && !s.bindings.has("open");
  for (const n of ast.nodes) {
    if (n.type === "CallExpression") convertCall(s, flow, n, openIsGlobal);
    else if (n.type === "NewExpression") convertNew(s, n);
    else if (n.type === "Identifier") convertIdentifier(s, flow, n, uses);
    else if (n.type === "MemberExpression") {
      convertExecMember(s, flow, n);
      if (isResponse(s, flow, responses, n.object)) convertResponseMember(s, n);
    } else if (n.type === "TaggedTemplateExpression") {
      const m = memberParts(n.tag);
      if (m && bindingOf(s, m[0])?.kind === "http" && m[1] === "url") {
        s.edits.replace(n.tag.start, n.tag.end, "");
        note(s, n, 'http.url`…` is a plain string now: give the request { name: "/path/:id" }');
      }
    }
  }
  for (const f of flow.asyncFns) makeAsync(s, flow, f);
  uses.ctxType = signatures(s, flow) || uses.ctxType;
  return assemble(s, importAt, uses);
}

function addAwait(s: State, c: CallExpression): void {
  const p = s.ast.parent.get(c);
  if (p?.type === "AwaitExpression") return;
  // Promise.all([http.get(a), http.get(b)]) already waits, and concurrently.
  const pp = p?.type === "ArrayExpression" ? s.ast.parent.get(p) : undefined;
  if (pp?.type === "CallExpression" && /^(all|allSettled|race|any)$/.test(calleeName(pp))) return;
  const f = enclosingFn(s.ast, c);
  if (f?.generator) {
    note(s, c, "a generator cannot await: rewrite it as an async function");
    return;
  }
  if (!f) note(s, c, "this runs at module load, once per load thread, not per VU");
  const parens = (p?.type === "MemberExpression" && p.object === c) ||
    ((p?.type === "CallExpression" || p?.type === "NewExpression") && p.callee === c) ||
    p?.type === "TaggedTemplateExpression";
  s.edits.insert(c.start, parens ? "(await " : "await ");
  if (parens) s.edits.insert(c.end, ")");
}

function convertCall(s: State, flow: Flow, c: CallExpression, openIsGlobal: boolean): void {
  const kind = flow.kindOf(c);
  if (kind === "request") convertRequest(s, c);
  if (kind === "batch") convertBatch(s, c);
  if (kind) addAwait(s, c);
  const callee = idName(c.callee);
  if (callee === "open" && openIsGlobal) convertOpen(s, c);
  if (callee === "require") note(s, c, "require() does not exist in rampa scenarios: use import");
  if (callee && flow.ctxNames.has(callee) && ctxInScope(s, flow, c)) {
    s.edits.insert(c.arguments[0]?.start ?? c.end - 1, c.arguments.length ? "ctx, " : "ctx");
  }
  const b = bindingOf(s, c.callee);
  if (b?.kind === "k6fn" && (b.name === "check" || b.name === "group")) {
    const e = entryAround(s, c);
    if (e && e.role !== "vu") {
      note(
        s,
        c,
        `${b.name}() throws inside setup()/teardown() in this rampa version (its metric is ` +
          `not defined there): ${
            b.name === "check" ? "test the value with an if" : "drop the group"
          }`,
      );
    }
  }
  if (
    b?.kind === "httpFn" && !REQUEST_METHODS.has(b.name) && b.name !== "batch" &&
    !convertResponseCallback(s, c, b.name)
  ) {
    note(s, c, `http.${b.name}() has no rampa counterpart`);
  }
  if (b?.kind === "unsupported") note(s, c, `${callee}() comes from "${b.module}": not converted`);
  const m = memberParts(c.callee);
  if (!m) return;
  const ob = bindingOf(s, m[0]);
  if (ob?.kind === "unsupported") {
    note(s, c, `${idName(m[0])}.${m[1]}() comes from "${ob.module}": not converted`);
  }
  if (
    ob?.kind === "http" && !REQUEST_METHODS.has(m[1]) && m[1] !== "batch" &&
    !convertResponseCallback(s, c, m[1])
  ) {
    const what: Record<string, string> = {
      file: "send a FormData body with the file as a Blob (multipart/form-data)",
      cookieJar: "rampa keeps one cookie jar per VU, reset per iteration unless noCookiesReset",
      setResponseCallback: "only http.expectedStatuses(…) is converted: " +
        "use http.setExpectedStatuses(200, { min: 400, max: 404 })",
      expectedStatuses: "give the statuses to http.setExpectedStatuses(…) or to a request's " +
        "expectedStatuses",
    };
    note(s, c, `http.${m[1]}(): ${what[m[1]] ?? "no rampa counterpart"}`);
  } else if (ob?.kind === "k6ns") {
    if (["check", "group", "sleep"].includes(m[1])) {
      s.edits.replace(c.callee.start, c.callee.end, m[1]);
      s.rampa.add(m[1]);
    } else note(s, c, `k6.${m[1]}() has no rampa counterpart`);
  }
}

/** True when a `ctx` variable is visible at `n` (an entry's, or a threaded helper's). */
function ctxInScope(s: State, flow: Flow, n: AnyNode): boolean {
  const e = entryAround(s, n);
  if (e && e.role !== "teardown") {
    flow.entryCtx.add(e.fn);
    return true;
  }
  for (let f = enclosingFn(s.ast, n); f; f = enclosingFn(s.ast, f)) {
    const name = fnName(s.ast, f);
    if (name && flow.ctxNames.has(name)) return true;
  }
  return false;
}

function convertOpen(s: State, c: CallExpression): void {
  const [path, mode] = c.arguments;
  if (!path || path.type === "SpreadElement") return;
  const binary = mode?.type === "Literal" && mode.value === "b";
  if (mode && !binary) note(s, mode, 'open()\'s mode is not "b": read as text');
  s.edits.replace(
    c.callee.start,
    c.callee.end,
    binary ? "Deno.readFileSync" : "Deno.readTextFileSync",
  );
  s.edits.insert(path.start, "new URL(");
  // Split so that the compile-includes scan does not take this text for a run-time read.
  s.edits.insert(path.end, ", import.meta" + ".url)");
  if (mode) s.edits.replace(path.end, mode.end, "");
}

function convertNew(s: State, n: NewExpression): void {
  if (bindingOf(s, n.callee)?.kind !== "sharedArray") return;
  const fn = n.arguments[1];
  if (!fn || fn.type === "SpreadElement") {
    note(s, n, "SharedArray without a function: build the array directly");
    return;
  }
  // One copy per load thread, shared by its VUs (rampa's datasets load the same way).
  s.edits.replace(n.start, fn.start, "(");
  s.edits.replace(fn.end, n.end, ")()");
}

function convertIdentifier(
  s: State,
  flow: Flow,
  n: AnyNode & { name: string },
  uses: { envShim: boolean },
): void {
  if (n.type !== "Identifier" || !isReference(s.ast, n)) return;
  const p = s.ast.parent.get(n);
  // `{ __VU }` keeps its key.
  const to = (v: string) => p?.type === "Property" && p.shorthand ? `${n.name}: ${v}` : v;
  if ((n.name === "__VU" || n.name === "__ITER") && isCtxRef(s, n)) {
    if (ctxInScope(s, flow, n)) {
      s.edits.replace(n.start, n.end, to(n.name === "__VU" ? "ctx.vu" : "ctx.iteration"));
    }
  } else if (n.name === "__ENV" && !s.bindings.has("__ENV")) {
    const e = entryAround(s, n);
    if (e && e.role !== "teardown") {
      flow.entryCtx.add(e.fn);
      s.edits.replace(n.start, n.end, to("ctx.env"));
    } else if (!uses.envShim) {
      uses.envShim = true;
      note(
        s,
        n,
        "__ENV outside the scenario function reads the process environment: values given with " +
          "rampa run --env reach only ctx.env",
        false,
      );
    }
  } else if (bindingOf(s, n)?.kind === "k6ns" && s.ast.parent.get(n)?.type !== "MemberExpression") {
    note(s, n, "the k6 module object is used as a value: not converted");
  }
}

function convertExecMember(s: State, flow: Flow, m: AnyNode): void {
  if (m.type !== "MemberExpression" || bindingOf(s, m.object)?.kind !== "exec") return;
  const outer = s.ast.parent.get(m);
  const inner = memberParts(m)?.[1];
  const leaf = outer?.type === "MemberExpression" && outer.object === m
    ? memberParts(outer)?.[1]
    : undefined;
  const to = EXEC_MEMBERS[`${inner}.${leaf}`];
  if (!to || !outer) {
    note(
      s,
      m,
      `exec.${inner}${leaf ? "." + leaf : ""} is not converted: ctx has vu, iteration, scenario`,
    );
  } else if (ctxInScope(s, flow, m)) s.edits.replace(outer.start, outer.end, to);
}

function lineEndAfter(s: State, pos: number): number {
  const nl = s.src.indexOf("\n", pos);
  return nl < 0 ? s.src.length : nl + 1;
}

function assemble(
  s: State,
  importAt: number,
  uses: { ctxType: boolean; envShim: boolean },
): K6Conversion {
  const httpUsed = [...s.bindings.values()].some((b) => b.kind === "http" || b.kind === "httpFn");
  if (httpUsed) s.rampa.add(s.httpName === "http" ? "http" : `http as ${s.httpName}`);
  if (uses.ctxType) s.rampa.add("type VuContext");
  const names = [...s.rampa].sort((a, b) =>
    a.replace(/^type /, "").localeCompare(b.replace(/^type /, ""))
  );
  const body = s.ast.program.body;
  const imports = body.filter((st) => st.type === "ImportDeclaration");
  const importLine = names.length ? `import { ${names.join(", ")} } from "rampa";\n` : "";
  const helpers = [...s.helpers.values()];
  if (uses.envShim) helpers.push(ENV_SHIM);
  const hashbang = /^#![^\n]*\n/.exec(s.src)?.[0].length ?? 0;
  const header = `// Converted from the k6 script ${s.file} by rampa convert k6` +
    (s.notes.some((n) => n.comment) ? `: review each "rampa-convert:" comment.\n` : ".\n");
  s.edits.insertLine(hashbang, header);
  const at = importAt >= 0 ? importAt : imports[0]?.start ?? body[0]?.start ?? hashbang;
  s.edits.insert(at, importLine);
  if (helpers.length) {
    const last = imports.at(-1);
    const pos = last ? lineEndAfter(s, last.end) : at;
    const gap = !last || s.src[pos] !== "\n" ? "\n" : "";
    s.edits.insert(pos, `\n${helpers.join("\n\n")}\n${gap}`);
  }
  const inTemplate = (pos: number) =>
    s.ast.nodes.find((n) => n.type === "TemplateLiteral" && n.start < pos && pos < n.end);
  for (const n of [...s.notes].sort((a, b) => a.pos - b.pos)) {
    if (!n.comment) continue;
    let anchor = s.ast.lineStarts[n.line - 1];
    for (let t = inTemplate(anchor); t; t = inTemplate(anchor)) {
      anchor = s.ast.lineStarts[s.src.slice(0, t.start).split("\n").length - 1];
    }
    s.edits.insertLine(anchor, `${indentAt(s, anchor)}// rampa-convert: ${n.message}\n`);
  }
  const code = s.edits.apply(s.src);
  if (s.edits.dropped > 0) {
    note(s, 0, `${s.edits.dropped} overlapping edits were skipped: review the output`, false);
  }
  const notes = s.notes.map(({ line, message }) => ({ line, message }))
    .sort((a, b) => a.line - b.line);
  return { code, notes };
}
