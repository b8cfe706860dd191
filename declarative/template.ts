/**
 * `${…}` templates, parsed once when the file is compiled into literal and variable parts, so
 * a request costs string concatenation and array reads, never a parse or user code.
 *
 * Variables: `${env.NAME}`, `${vu}`, `${iteration}`, `${scenario}`, `${data.<set>.<column>}` and
 * `${<name>}` for a value extracted by an earlier step. `$${` writes a literal `${`.
 *
 * @example
 * ```ts
 * import { parseTemplate } from "./template.ts";
 *
 * const t = parseTemplate("${env.BASE_URL}/items/${id}");
 * console.log(t.parts.length, t.errors); // 3 []
 * ```
 *
 * @module
 */

/** A variable reference as written. */
export type VarRef =
  | { readonly kind: "env"; readonly name: string }
  | { readonly kind: "vu" }
  | { readonly kind: "iteration" }
  | { readonly kind: "scenario" }
  | { readonly kind: "data"; readonly set: string; readonly column: string }
  | { readonly kind: "var"; readonly name: string };

/** One part of a parsed template: literal text or a variable (with its source text). */
export type TemplatePart = string | { readonly ref: VarRef; readonly source: string };

/** A parsed template and the syntax errors found in it (each with the offending text). */
export interface ParsedTemplate {
  readonly parts: readonly TemplatePart[];
  readonly errors: readonly { readonly source: string; readonly message: string }[];
}

/** Names that are not extracted variables. */
export const RESERVED: ReadonlySet<string> = new Set([
  "env",
  "vu",
  "iteration",
  "scenario",
  "data",
]);

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function refOf(expr: string): VarRef | string {
  if (expr === "vu" || expr === "iteration" || expr === "scenario") return { kind: expr };
  const dots = expr.split(".");
  if (dots[0] === "env") {
    if (dots.length === 2 && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(dots[1])) {
      return { kind: "env", name: dots[1] };
    }
    return `expected env.NAME`;
  }
  if (dots[0] === "data") {
    if (dots.length === 3 && IDENT.test(dots[1]) && dots[2] !== "") {
      return { kind: "data", set: dots[1], column: dots[2] };
    }
    return `expected data.<set>.<column>`;
  }
  if (dots.length === 1 && IDENT.test(expr)) return { kind: "var", name: expr };
  return "expected env.NAME, vu, iteration, scenario, data.<set>.<column> or an extracted name";
}

/** Splits `text` into literal and variable parts. */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: { source: string; message: string }[] = [];
  let lit = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("${", i);
    if (open < 0) {
      lit += text.slice(i);
      break;
    }
    if (open > 0 && text[open - 1] === "$") {
      // `$${` is an escaped `${`: keep one `$` and the brace as text.
      lit += text.slice(i, open - 1) + "${";
      i = open + 2;
      continue;
    }
    lit += text.slice(i, open);
    const close = text.indexOf("}", open + 2);
    if (close < 0) {
      errors.push({
        source: text.slice(open),
        message: `Unclosed "\${" (write $\${ for a literal one)`,
      });
      lit += text.slice(open);
      break;
    }
    const source = text.slice(open, close + 1);
    const ref = refOf(text.slice(open + 2, close).trim());
    if (typeof ref === "string") {
      errors.push({ source, message: `Invalid variable "${source}": ${ref}` });
    } else {
      if (lit) parts.push(lit);
      lit = "";
      parts.push({ ref, source });
    }
    i = close + 1;
  }
  if (lit) parts.push(lit);
  return { parts, errors };
}

/** True when the template has no variable (it can be kept as plain text). */
export function isConstant(parts: readonly TemplatePart[]): boolean {
  return parts.every((p) => typeof p === "string");
}
