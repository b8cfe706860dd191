/**
 * Which functions become async and which need the VU context. k6 calls are synchronous; in
 * rampa requests, `sleep` and `group` return promises, so every function that makes one,
 * directly or through a helper, must be async and its calls awaited (a fixpoint over the
 * functions, found by the names they are called by). Likewise `__VU`/`__ITER` (and
 * `k6/execution`) read the VU context, which helpers receive as a first `ctx` parameter
 * threaded down from the scenario function.
 *
 * @module
 */
import type { AnyNode, CallExpression } from "acorn";
import { enclosingFn, type Fn, fnName, idName, isFn, memberParts } from "./_ast.ts";
import { bindingOf, entryAround, note, type State } from "./_state.ts";

/** HTTP methods of k6's `http` module that send one request. */
export const REQUEST_METHODS = new Set([
  "get",
  "head",
  "post",
  "put",
  "patch",
  "del",
  "options",
  "request",
  "asyncRequest",
]);

/** What a call is, as far as the conversion cares. */
export type CallKind = "request" | "batch" | "sleep" | "group" | "user" | null;

/** The analysis result. */
export interface Flow {
  /** Functions to make async. */
  readonly asyncFns: ReadonlySet<Fn>;
  /** Helpers that get a leading `ctx` parameter, by name. */
  readonly ctxNames: ReadonlySet<string>;
  /** Entry functions that must declare `ctx`. */
  readonly entryCtx: Set<Fn>;
  kindOf(c: CallExpression): CallKind;
}

/** Named functions (declarations and `const f = () => …`), by name. */
function namedFns(s: State): Map<string, Fn[]> {
  const out = new Map<string, Fn[]>();
  for (const n of s.ast.nodes) {
    if (!isFn(n) || s.entries.has(n)) continue;
    const name = fnName(s.ast, n);
    if (name) out.set(name, [...(out.get(name) ?? []), n]);
  }
  return out;
}

/** A reference to the VU's context: `__VU`, `__ITER`, or a member of `k6/execution`. */
export function isCtxRef(s: State, n: AnyNode): boolean {
  if (n.type === "Identifier") {
    if (n.name === "__VU" || n.name === "__ITER") return !s.bindings.has(n.name);
    return bindingOf(s, n)?.kind === "exec" && s.ast.parent.get(n)?.type === "MemberExpression";
  }
  return false;
}

/** Analyses `s` (entries already known). */
export function analyseFlow(s: State): Flow {
  const named = namedFns(s);
  const calls = s.ast.nodes.filter((n): n is CallExpression => n.type === "CallExpression");
  const asyncNames = new Set<string>();
  const asyncFns = new Set<Fn>();
  const kindOf = (c: CallExpression): CallKind => {
    const b = bindingOf(s, c.callee);
    if (b?.kind === "httpFn") {
      // A named import of a non-request function (setResponseCallback, file…) sends nothing.
      return b.name === "batch" ? "batch" : REQUEST_METHODS.has(b.name) ? "request" : null;
    }
    if (b?.kind === "k6fn" && (b.name === "sleep" || b.name === "group")) return b.name;
    const m = memberParts(c.callee);
    if (m) {
      const ob = bindingOf(s, m[0]);
      if (ob?.kind === "http") {
        return m[1] === "batch" ? "batch" : REQUEST_METHODS.has(m[1]) ? "request" : null;
      }
      if (ob?.kind === "k6ns" && (m[1] === "sleep" || m[1] === "group")) return m[1];
    }
    const name = idName(c.callee);
    return name && asyncNames.has(name) ? "user" : null;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const c of calls) {
      if (!kindOf(c)) continue;
      const f = enclosingFn(s.ast, c);
      if (!f || asyncFns.has(f)) continue;
      asyncFns.add(f);
      changed = true;
      const name = fnName(s.ast, f);
      if (name && named.get(name)?.includes(f)) asyncNames.add(name);
    }
  }

  // The VU context: where it is read, whose ctx serves it.
  const ctxNames = new Set<string>();
  const entryCtx = new Set<Fn>();
  const serve = (at: AnyNode): boolean => {
    const e = entryAround(s, at);
    if (e && e.role !== "teardown") {
      entryCtx.add(e.fn);
      return true;
    }
    for (let f = enclosingFn(s.ast, at); f; f = enclosingFn(s.ast, f)) {
      const name = fnName(s.ast, f);
      if (name && named.get(name)?.includes(f)) {
        if (!ctxNames.has(name)) ctxNames.add(name);
        return true;
      }
    }
    return false;
  };
  for (const n of s.ast.nodes) {
    if (isCtxRef(s, n) && !serve(n)) {
      note(
        s,
        n,
        "the VU number/iteration is read outside any function rampa calls with a VU: " +
          "move it into the scenario function (ctx.vu, ctx.iteration)",
      );
    }
  }
  for (let before = -1; before !== ctxNames.size;) {
    before = ctxNames.size;
    for (const c of calls) {
      const name = idName(c.callee);
      if (name && ctxNames.has(name) && !serve(c)) {
        note(s, c, `${name}() reads the VU context but is called where there is none: pass it one`);
      }
    }
  }
  return { asyncFns, ctxNames, entryCtx, kindOf };
}
