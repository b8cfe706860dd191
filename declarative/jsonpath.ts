/**
 * The JSONPath subset extracts use: `$`, `.name`, `['name']` / `["name"]` and `[index]`
 * (negative counts from the end). Parsed once into segments; evaluating is a walk with no
 * allocation. Filters, wildcards and recursive descent are left out on purpose: an extract
 * names one value.
 *
 * @example
 * ```ts
 * import { evalJsonPath, parseJsonPath } from "./jsonpath.ts";
 *
 * const p = parseJsonPath("$.items[0]['id']");
 * if (typeof p !== "string") console.log(evalJsonPath(p, { items: [{ id: 7 }] })); // 7
 * ```
 *
 * @module
 */

/** A parsed path: object keys and array indexes, in order. */
export type JsonPath = readonly (string | number)[];

/** Parses `text`; returns the segments, or a message saying what is wrong. */
export function parseJsonPath(text: string): JsonPath | string {
  if (text[0] !== "$") return `Invalid JSONPath "${text}": it must start with $`;
  const out: (string | number)[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === ".") {
      const m = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i + 1));
      if (!m) return `Invalid JSONPath "${text}": expected a name after "." at ${i + 1}`;
      out.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === "[") {
      const rest = text.slice(i);
      const idx = /^\[\s*(-?\d+)\s*\]/.exec(rest);
      const quoted = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(rest);
      if (idx) {
        out.push(Number(idx[1]));
        i += idx[0].length;
      } else if (quoted) {
        out.push((quoted[1] ?? quoted[2]).replace(/\\(.)/g, "$1"));
        i += quoted[0].length;
      } else {
        return `Invalid JSONPath "${text}": expected [index] or ['name'] at ${
          i + 1
        } (wildcards and filters are not supported)`;
      }
    } else {
      return `Invalid JSONPath "${text}": unexpected "${c}" at ${i + 1}`;
    }
  }
  return out;
}

/** The value at `path` in `data`, or undefined when any segment is missing. */
export function evalJsonPath(path: JsonPath, data: unknown): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    if (typeof seg === "number") {
      if (!Array.isArray(v)) return undefined;
      v = v[seg < 0 ? v.length + seg : seg];
    } else {
      if (Array.isArray(v) || !Object.hasOwn(v, seg)) return undefined;
      v = (v as Record<string, unknown>)[seg];
    }
  }
  return v;
}

/**
 * Why `path` can never match a body valid under `schema` (a JSON Schema), or null when it might.
 * Only what the schema states outright counts: a `type` that excludes objects or arrays, or a
 * name missing from `properties` when `additionalProperties` is false.
 */
export function neverMatches(path: JsonPath, schema: unknown): string | null {
  let s = schema;
  for (const seg of path) {
    if (s === null || typeof s !== "object") return null;
    const o = s as Record<string, unknown>;
    const types = typeof o.type === "string" ? [o.type] : Array.isArray(o.type) ? o.type : null;
    if (typeof seg === "number") {
      if (types && !types.includes("array")) return `the schema says ${o.type}, not array`;
      s = Array.isArray(o.prefixItems) && seg >= 0 && seg < o.prefixItems.length
        ? o.prefixItems[seg]
        : o.items;
    } else {
      if (types && !types.includes("object")) return `the schema says ${o.type}, not object`;
      const props = (o.properties ?? {}) as Record<string, unknown>;
      if (Object.hasOwn(props, seg)) s = props[seg];
      else if (o.additionalProperties === false) {
        return `the schema allows no "${seg}" (additionalProperties is false)`;
      } else s = typeof o.additionalProperties === "object" ? o.additionalProperties : null;
    }
  }
  return null;
}
