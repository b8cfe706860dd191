/**
 * The syntax tree of a k6 script, parsed once with acorn, plus the facts every rewrite asks
 * for: each node's parent, each node's nearest enclosing function, and lines of offsets.
 *
 * @module
 */
import {
  type AnyNode,
  type ArrowFunctionExpression,
  type Expression,
  type FunctionDeclaration,
  type FunctionExpression,
  type Identifier,
  parse,
  type Program,
  type SpreadElement,
  type Super,
} from "acorn";
import { ConfigError } from "../../../core/errors.ts";

/** A function of any form. */
export type Fn = FunctionDeclaration | FunctionExpression | ArrowFunctionExpression;

/** A parsed script with parent links. */
export interface Ast {
  readonly program: Program;
  /** Every node in source order (pre-order). */
  readonly nodes: readonly AnyNode[];
  readonly parent: ReadonlyMap<AnyNode, AnyNode>;
  /** Offsets at which each line starts (index 0 is line 1). */
  readonly lineStarts: readonly number[];
}

const SKIP = new Set(["type", "start", "end", "loc", "range"]);

/** The child nodes of `n`, in source order. */
export function children(n: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [k, v] of Object.entries(n)) {
    if (SKIP.has(k) || v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c.type === "string") out.push(c as AnyNode);
    } else if (typeof (v as { type?: unknown }).type === "string") out.push(v as AnyNode);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Parses a k6 script (an ES module); a syntax error is a ConfigError naming file and line. */
export function parseScript(source: string, fileName: string): Ast {
  let program: Program;
  try {
    program = parse(source, {
      ecmaVersion: "latest",
      sourceType: "module",
      locations: true,
      allowHashBang: true,
      allowAwaitOutsideFunction: true,
    });
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number } };
    const at = err.loc ? `:${err.loc.line}:${err.loc.column + 1}` : "";
    throw new ConfigError(
      `Cannot parse k6 script ${fileName}${at}: ${err.message.replace(/ \(\d+:\d+\)$/, "")}`,
    );
  }
  const nodes: AnyNode[] = [];
  const parent = new Map<AnyNode, AnyNode>();
  const stack: AnyNode[] = [program];
  while (stack.length) {
    const n = stack.pop()!;
    nodes.push(n);
    const cs = children(n);
    for (let i = cs.length - 1; i >= 0; i--) {
      parent.set(cs[i], n);
      stack.push(cs[i]);
    }
  }
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") lineStarts.push(i + 1);
  return { program, nodes, parent, lineStarts };
}

/** True for any function node. */
export function isFn(n: AnyNode | null | undefined): n is Fn {
  return n?.type === "FunctionDeclaration" || n?.type === "FunctionExpression" ||
    n?.type === "ArrowFunctionExpression";
}

/** The nearest function strictly enclosing `n`, or null at module level. */
export function enclosingFn(ast: Ast, n: AnyNode): Fn | null {
  for (let p = ast.parent.get(n); p; p = ast.parent.get(p)) if (isFn(p)) return p;
  return null;
}

/** 1-based line of an offset. */
export function lineOf(ast: Ast, pos: number): number {
  let lo = 0, hi = ast.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ast.lineStarts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The identifier name of `n`, or null. */
export function idName(
  n: AnyNode | Expression | Super | SpreadElement | null | undefined,
): string | null {
  return n?.type === "Identifier" ? (n as Identifier).name : null;
}

/** `obj.prop` (non-computed, or computed with a string literal) as [objectNode, prop]. */
export function memberParts(n: AnyNode): [AnyNode, string] | null {
  if (n.type !== "MemberExpression") return null;
  if (!n.computed && n.property.type === "Identifier") return [n.object, n.property.name];
  if (n.computed && n.property.type === "Literal" && typeof n.property.value === "string") {
    return [n.object, n.property.value];
  }
  return null;
}

/** The name calls reach a function by: a declaration's, or the variable holding it. */
export function fnName(ast: Ast, f: Fn): string | null {
  const p = ast.parent.get(f);
  if (p?.type === "VariableDeclarator" && p.id.type === "Identifier") return p.id.name;
  return f.type === "FunctionDeclaration" && f.id ? f.id.name : null;
}

/** True when `n` is an identifier used as a value (not a property key, label or declared name). */
export function isReference(ast: Ast, n: Identifier): boolean {
  const p = ast.parent.get(n);
  if (!p) return false;
  if (p.type === "MemberExpression" && p.property === n && !p.computed) return false;
  if ((p.type === "Property" || p.type === "MethodDefinition") && p.key === n && !p.computed) {
    return p.type === "Property" && p.shorthand && p.value === n;
  }
  if (p.type === "VariableDeclarator" && p.id === n) return false;
  if (isFn(p) && (p.params as AnyNode[]).includes(n)) return false;
  if ((p.type === "FunctionDeclaration" || p.type === "FunctionExpression") && p.id === n) {
    return false;
  }
  if (p.type.startsWith("Import") || p.type === "ExportSpecifier") return false;
  if (p.type === "LabeledStatement" || p.type === "BreakStatement") return false;
  if (p.type === "ContinueStatement") return false;
  return true;
}

/** Every name declared anywhere in the script (variables, functions, classes, parameters). */
export function declaredNames(ast: Ast): Set<string> {
  const out = new Set<string>();
  const addPattern = (p: AnyNode | null | undefined) => {
    if (!p) return;
    if (p.type === "Identifier") out.add(p.name);
    else if (p.type === "ObjectPattern") {
      for (const q of p.properties) addPattern(q.type === "RestElement" ? q.argument : q.value);
    } else if (p.type === "ArrayPattern") { for (const q of p.elements) addPattern(q); }
    else if (p.type === "RestElement") addPattern(p.argument);
    else if (p.type === "AssignmentPattern") addPattern(p.left);
  };
  for (const n of ast.nodes) {
    if (n.type === "VariableDeclarator") addPattern(n.id);
    else if (isFn(n)) {
      if (n.type !== "ArrowFunctionExpression" && n.id) out.add(n.id.name);
      for (const p of n.params) addPattern(p);
    } else if (n.type === "ClassDeclaration" && n.id) out.add(n.id.name);
    else if (n.type === "CatchClause") addPattern(n.param);
  }
  return out;
}
