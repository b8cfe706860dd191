/**
 * What every rewrite of one conversion shares: the source, its tree, the pending edits, the
 * notes, what the k6 imports bound each local name to, and what the output must import from
 * rampa or define as helpers.
 *
 * @module
 */
import type { AnyNode } from "acorn";
import { type Ast, enclosingFn, type Fn, lineOf } from "./_ast.ts";
import { Edits } from "./_edits.ts";

/** What a local name imported from a k6 module stands for. */
export type Binding =
  /** `check`, `group`, `sleep`, `fail` from "k6" (name is k6's). */
  | { kind: "k6fn"; name: string }
  /** The default or namespace import of "k6" (`k6.sleep(1)`). */
  | { kind: "k6ns" }
  /** The default or namespace import of "k6/http". */
  | { kind: "http" }
  /** A named import of "k6/http" (`import { get } from "k6/http"`). */
  | { kind: "httpFn"; name: string }
  /** `SharedArray` from "k6/data". */
  | { kind: "sharedArray" }
  /** The default import of "k6/execution". */
  | { kind: "exec" }
  /** A name from a module rampa has no counterpart for. */
  | { kind: "unsupported"; module: string };

/** One thing the converter could not convert, or converted with a difference worth knowing. */
export interface Note {
  /** 1-based line in the k6 script. */
  line: number;
  message: string;
}

/** How an exported function is called by rampa. */
export type Role = "vu" | "setup" | "teardown";

/** Shared state of one conversion. */
export interface State {
  readonly src: string;
  readonly file: string;
  readonly ast: Ast;
  readonly edits: Edits;
  readonly notes: (Note & { pos: number; comment: boolean })[];
  readonly bindings: Map<string, Binding>;
  /** Names imported from "rampa" (`type X` for types). */
  readonly rampa: Set<string>;
  /** Helper declarations the output needs, by name. */
  readonly helpers: Map<string, string>;
  /** Functions rampa calls, with their role. */
  readonly entries: Map<Fn, Role>;
  /** The local name rampa's `http` is imported as. */
  httpName: string;
}

/** Starts a conversion's state. */
export function createState(src: string, file: string, ast: Ast): State {
  return {
    src,
    file,
    ast,
    edits: new Edits(),
    notes: [],
    bindings: new Map(),
    rampa: new Set(),
    helpers: new Map(),
    entries: new Map(),
    httpName: "http",
  };
}

/**
 * Records a note at `node` (its first line); unless `comment` is false, the output gets a
 * `// rampa-convert:` line above that line too.
 */
export function note(s: State, node: AnyNode | number, message: string, comment = true): void {
  const pos = typeof node === "number" ? node : node.start;
  const line = lineOf(s.ast, pos);
  if (s.notes.some((n) => n.line === line && n.message === message)) return;
  s.notes.push({ line, message, pos, comment });
}

/** The binding of an identifier node, if it names a k6 import. */
export function bindingOf(s: State, n: AnyNode | null | undefined): Binding | undefined {
  return n?.type === "Identifier" ? s.bindings.get(n.name) : undefined;
}

/** The source text of a node. */
export function text(s: State, n: AnyNode): string {
  return s.src.slice(n.start, n.end);
}

/** The leading whitespace of the line holding `pos`. */
export function indentAt(s: State, pos: number): string {
  const start = s.ast.lineStarts[lineOf(s.ast, pos) - 1];
  return /^[ \t]*/.exec(s.src.slice(start))![0];
}

/** The role of the nearest enclosing entry function whose `ctx` is in scope at `n`, if any. */
export function entryAround(s: State, n: AnyNode): { fn: Fn; role: Role } | null {
  for (let f = enclosingFn(s.ast, n); f; f = enclosingFn(s.ast, f)) {
    const role = s.entries.get(f);
    if (role) return { fn: f, role };
  }
  return null;
}
