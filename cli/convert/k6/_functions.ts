/**
 * The functions of a converted script: which ones rampa calls (default, the scenarios' exec
 * functions, setup, teardown), `async` where they now wait, and their signatures (`ctx`
 * where the VU context is read, setup()'s data taken from `ctx.data`).
 *
 * @module
 */
import type { AnyNode, CallExpression, Pattern } from "acorn";
import { type Fn, fnName, idName, isFn, memberParts } from "./_ast.ts";
import type { Flow } from "./_flow.ts";
import { indentAt, note, type Role, type State, text } from "./_state.ts";

/** Finds the functions rampa calls: default, the scenarios' exec functions, setup, teardown. */
export function findEntries(s: State, execs: string[]): void {
  const byName = new Map<string, Fn>();
  for (const n of s.ast.nodes) {
    if (n.type === "FunctionDeclaration" && n.id) byName.set(n.id.name, n);
    if (n.type === "VariableDeclarator" && n.id.type === "Identifier" && isFn(n.init)) {
      byName.set(n.id.name, n.init as Fn);
    }
  }
  const roleOf = (exported: string): Role | null =>
    exported === "default" || execs.includes(exported)
      ? "vu"
      : exported === "setup" || exported === "teardown"
      ? exported
      : null;
  const mark = (exported: string, fn: AnyNode | null | undefined, at: AnyNode) => {
    if (exported === "handleSummary") {
      note(
        s,
        at,
        "rampa never calls handleSummary: use --out json=…, html=…, junit=… or a webhook",
      );
    }
    const role = roleOf(exported);
    if (role && isFn(fn)) s.entries.set(fn, role);
    else if (role && fn) note(s, at, `export ${exported} is not a function rampa can convert`);
  };
  for (const st of s.ast.program.body) {
    if (st.type === "ExportDefaultDeclaration") {
      const d = st.declaration as AnyNode;
      mark("default", d.type === "Identifier" ? byName.get(d.name) ?? d : d, st);
    } else if (st.type === "ExportNamedDeclaration") {
      const d = st.declaration;
      if (d?.type === "FunctionDeclaration") mark(d.id.name, d, st);
      else if (d?.type === "VariableDeclaration") {
        for (const v of d.declarations) if (v.id.type === "Identifier") mark(v.id.name, v.init, st);
      }
      for (const sp of st.specifiers) {
        const local = idName(sp.local as AnyNode);
        const exported = sp.exported.type === "Identifier"
          ? sp.exported.name
          : String(sp.exported.value);
        if (local) mark(exported, byName.get(local), sp);
      }
    }
  }
  if (![...s.entries.values()].includes("vu")) {
    note(s, 0, "no default export (or scenario exec function) found: rampa needs one", false);
  }
}

/**
 * Makes `f` async. A method or a callback whose caller will not wait for it gets a note: the
 * converter cannot find and await every call of a method, nor make `forEach` wait.
 */
export function makeAsync(s: State, flow: Flow, f: Fn): void {
  if (f.async) return;
  const p = s.ast.parent.get(f);
  if (p?.type === "Property" || p?.type === "MethodDefinition") {
    if (p.kind === "get" || p.kind === "set" || p.kind === "constructor") {
      note(s, p, "a getter, setter or constructor cannot make requests in rampa (they are async)");
      return;
    }
    if (p.type === "Property" && !p.method) s.edits.insert(f.start, "async ");
    else s.edits.insert(p.key.start, "async ");
    note(s, p, "this method is now async: await every call of it");
    return;
  }
  s.edits.insert(f.start, "async ");
  if (p?.type === "CallExpression" && (p.arguments as AnyNode[]).includes(f)) {
    const kind = flow.kindOf(p);
    const pp = s.ast.parent.get(p);
    const inPromiseAll = pp?.type === "ArrayExpression" ||
      (pp?.type === "CallExpression" && memberParts(pp.callee)?.[1] === "all");
    if (kind !== "group" && !inPromiseAll) {
      note(
        s,
        f,
        `this callback now waits for requests, but ${calleeName(p)}() does not wait for it: ` +
          "use a for…of loop (or await Promise.all(… .map(…)))",
      );
    }
  }
}

/** The name a call is made by (`forEach` for `a.forEach(…)`), for messages. */
export function calleeName(c: CallExpression): string {
  return memberParts(c.callee)?.[1] ?? idName(c.callee) ?? "its caller";
}

/** Adds `param` as the first parameter of `f`. */
function addFirstParam(s: State, f: Fn, param: string): void {
  const first = f.params[0] as Pattern | undefined;
  if (!first) {
    const from = f.type !== "ArrowFunctionExpression" && f.id ? f.id.end : f.start;
    s.edits.insert(s.src.indexOf("(", from) + 1, param);
    return;
  }
  const before = s.src.slice(f.start, first.start).trimEnd();
  if (f.type === "ArrowFunctionExpression" && !before.endsWith("(")) {
    s.edits.insert(first.start, `(${param}, `);
    s.edits.insert(first.end, ")");
  } else s.edits.insert(first.start, `${param}, `);
}

/** Entry and helper signatures: `ctx` where it is read, setup()'s data from ctx.data. */
export function signatures(s: State, flow: Flow): boolean {
  let ctxType = false;
  for (const [f, role] of s.entries) {
    const data = f.params[0] as Pattern | undefined;
    if (role === "vu" && data) {
      ctxType = true;
      s.edits.replace(data.start, data.end, "ctx: VuContext");
      const [left, init] = data.type === "AssignmentPattern"
        ? [text(s, data.left), `(ctx.data ?? ${text(s, data.right)})`]
        : [text(s, data), "ctx.data"];
      const decl = `const ${left} = ${init} as any; // setup()'s result`;
      if (f.body.type === "BlockStatement") {
        const first = f.body.body[0];
        if (first) s.edits.insert(first.start, `${decl}\n${indentAt(s, first.start)}`);
        else s.edits.insert(f.body.start + 1, ` ${decl} `);
      } else {
        s.edits.insertFirst(f.body.start, `{\n  ${decl}\n  return `);
        s.edits.insert(f.body.end, ";\n}");
      }
      if (f.params.length > 1) note(s, f, "rampa passes one argument (ctx) to scenario functions");
    } else if (role !== "teardown" && flow.entryCtx.has(f)) {
      ctxType = true;
      addFirstParam(s, f, "ctx: VuContext");
    }
  }
  for (const n of s.ast.nodes) {
    if (!isFn(n) || s.entries.has(n)) continue;
    const name = fnName(s.ast, n);
    if (name && flow.ctxNames.has(name)) {
      ctxType = true;
      addFirstParam(s, n, "ctx: VuContext");
    }
  }
  return ctxType;
}
