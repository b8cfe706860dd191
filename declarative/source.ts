/**
 * Reading a declarative scenario file: YAML (or JSON, which is read the same way) parsed with
 * the `yaml` package's document API, so every value keeps its position and every later
 * problem — a wrong type, an unknown key, an undefined `${var}` — can be reported as
 * `file:line:column: message`, the way compilers and editors expect.
 *
 * @example
 * ```ts
 * import { parseSource } from "./source.ts";
 *
 * const src = parseSource("flow.yaml", "steps:\n  - name: home\n");
 * console.log(src.issue(["steps", 0, "name"], "example")); // flow.yaml:2:11: example
 * ```
 *
 * @module
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { ConfigError } from "../core/errors.ts";

/** A path into the parsed value: map keys and sequence indexes. */
export type Path = readonly (string | number)[];

/** A parsed file: its plain value plus the positions of every node in it. */
export interface Source {
  /** The file name as it is printed in messages. */
  readonly file: string;
  /** The parsed value (plain objects, arrays and scalars). */
  readonly value: unknown;
  /** `file:line:column` of the node at `path` (of its key when `key`), or of its nearest parent. */
  at(path: Path, key?: boolean): string;
  /**
   * `file:line:column` of `needle` inside the scalar at `path` (where a `${var}` sits in a
   * string), or of the scalar itself when the text is not found verbatim (escapes).
   */
  atText(path: Path, needle: string): string;
  /** One issue line: position, the path when there is one, then the message. */
  issue(path: Path, message: string, key?: boolean): string;
}

/** Prints a path the way users wrote it: `steps[0].request.url`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

function keyOf(k: unknown): unknown {
  return isScalar(k) ? k.value : k;
}

/**
 * Parses `text` (the content of `file`). Throws a ConfigError with one line per syntax error;
 * a `.json` file is held to JSON's own grammar first, since YAML accepts more.
 */
export function parseSource(file: string, text: string): Source {
  const lines = new LineCounter();
  const lineText = (line: number) => text.split("\n")[line - 1] ?? "";
  const pos = (offset: number) => {
    const p = lines.linePos(offset);
    return `${file}:${p.line}:${p.col}`;
  };
  if (/\.json$/i.test(file)) {
    try {
      JSON.parse(text);
    } catch (e) {
      throw new ConfigError(jsonSyntaxIssue(file, text, (e as Error).message));
    }
  }
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    const issues: string[] = [];
    const hinted = new Set<number>();
    for (const e of doc.errors) {
      const msg = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").split("\n")[0];
      const line = lines.linePos(e.pos[0]).line;
      const text = lineText(line);
      // The usual cause: `${…}` unquoted inside `{ }` or `[ ]`, where braces are YAML syntax.
      if (/\$\{/.test(text) && /flow|Unexpected scalar/.test(msg)) {
        if (!hinted.has(line)) {
          hinted.add(line);
          const col = text.indexOf("${") + 1;
          issues.push(
            `${file}:${line}:${col}: Invalid YAML: quote text with \${…} inside { } or [ ] (url: "\${env.BASE_URL}/x"), where braces are YAML syntax`,
          );
        }
        continue;
      }
      issues.push(`${pos(e.pos[0])}: Invalid YAML: ${msg}`);
    }
    throw new ConfigError(issues);
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;

  /** The node at `path`, or the nearest parent that exists, and the key node if asked. */
  const find = (path: Path, key: boolean): Node | null => {
    let node = doc.contents as Node | null;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => keyOf(p.key) === seg);
        if (!pair) return node;
        if (i === path.length - 1 && key) return (pair.key as Node) ?? node;
        node = (pair.value as Node | null) ?? (pair.key as Node);
      } else if (isSeq(node) && typeof seg === "number") {
        const item = node.items[seg] as Node | undefined;
        if (!item) return node;
        node = item;
      } else return node;
    }
    return node;
  };
  const offsetOf = (node: Node | null) => node?.range?.[0] ?? 0;
  return {
    file,
    value,
    at: (path, key = false) => pos(offsetOf(find(path, key))),
    atText(path, needle) {
      const node = find(path, false);
      const r = node?.range;
      if (!r) return pos(0);
      const i = text.slice(r[0], r[1]).indexOf(needle);
      return pos(r[0] + Math.max(0, i));
    },
    issue(path, message, key = false) {
      const where = formatPath(path);
      return `${pos(offsetOf(find(path, key)))}: ${where ? `${where}: ` : ""}${message}`;
    },
  };
}

/** One line for a JSON syntax error, with the position V8 reports turned into line:column. */
function jsonSyntaxIssue(file: string, text: string, message: string): string {
  const first = message.split("\n")[0];
  const lc = /\(line (\d+) column (\d+)\)/.exec(first);
  let line = 1;
  let col = 1;
  if (lc) {
    line = Number(lc[1]);
    col = Number(lc[2]);
  } else {
    const at = /at position (\d+)/.exec(first);
    const offset = at ? Number(at[1]) : text.length;
    const before = text.slice(0, offset).split("\n");
    line = before.length;
    col = before[before.length - 1].length + 1;
  }
  const clean = first.replace(/ in JSON at position \d+.*$/, "").replace(
    / \(line \d+ column \d+\)/,
    "",
  );
  return `${file}:${line}:${col}: Invalid JSON: ${clean}`;
}
