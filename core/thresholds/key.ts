/**
 * Threshold keys (`metric` or `metric{tag:value,…}`) and the `--threshold` flag form, which
 * puts a key and an expression in one string. Tag values may be quoted so that they can hold
 * `,`, `}` or spaces (`{name:"/a, b"}`); whitespace around names and values is ignored.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";

/** A key split into its metric name and tag filter, or why it could not be. */
export type ParsedKey =
  | { ok: true; metric: string; tags: Record<string, string> }
  | { ok: false; error: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_.\-]*/;

/**
 * Splits a threshold key. Returns the problem instead of throwing, so the caller can report
 * it next to every other issue of the config.
 */
export function parseThresholdKey(key: string): ParsedKey {
  const t = key.trim();
  const name = NAME.exec(t)?.[0];
  if (!name) {
    return {
      ok: false,
      error: "expected a metric name, optionally with tags such as http_req_duration{name:/api}",
    };
  }
  const rest = t.slice(name.length).trim();
  if (rest === "") return { ok: true, metric: name, tags: {} };
  if (rest[0] === "{" && rest[rest.length - 1] !== "}") {
    return { ok: false, error: `unclosed "{" in "${rest}"` };
  }
  if (rest[0] !== "{" || rest[rest.length - 1] !== "}") {
    return { ok: false, error: `unexpected "${rest}" after the metric name ${name}` };
  }
  const tags = parseTags(rest.slice(1, -1));
  return typeof tags === "string" ? { ok: false, error: tags } : { ok: true, metric: name, tags };
}

/** Parses `tag:value,tag2:"value 2"` (the inside of the braces); a string is an error. */
function parseTags(body: string): Record<string, string> | string {
  const tags: Record<string, string> = {};
  const expected = "expected tag:value pairs such as {name:/api,status:200}";
  let pos = 0;
  const skipSpace = () => {
    while (pos < body.length && /\s/.test(body[pos])) pos++;
  };
  const token = (stops: string): string | null => {
    skipSpace();
    const q = body[pos];
    if (q === '"' || q === "'") {
      const end = body.indexOf(q, pos + 1);
      if (end < 0) return null;
      const v = body.slice(pos + 1, end);
      pos = end + 1;
      skipSpace();
      return v;
    }
    const start = pos;
    while (pos < body.length && !stops.includes(body[pos])) pos++;
    return body.slice(start, pos).trim();
  };
  skipSpace();
  if (pos === body.length) return `empty tag filter "{}": ${expected}`;
  while (pos < body.length) {
    const tag = token(":,{}");
    if (tag === null) return `unclosed quote in tags "{${body}}"`;
    if (tag === "" || body[pos] !== ":") return `cannot parse tags "{${body}}": ${expected}`;
    pos++;
    const value = token(",{}");
    if (value === null) return `unclosed quote in tags "{${body}}"`;
    if (pos < body.length && body[pos] !== ",") {
      return `cannot parse tags "{${body}}": ${expected}`;
    }
    if (Object.hasOwn(tags, tag)) return `tag "${tag}" is given twice`;
    tags[tag] = value;
    pos++;
  }
  return tags;
}

/** Index just past the key at the start of `text`: a name, then a `{…}` block if present. */
function keyEnd(text: string): number {
  const pos = NAME.exec(text)?.[0].length ?? 0;
  if (pos === 0) return 0;
  let i = pos;
  while (i < text.length && /\s/.test(text[i])) i++;
  if (text[i] !== "{") return pos;
  let quote = "";
  for (i++; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "}") return i + 1;
  }
  return text.length; // unclosed: let parseThresholdKey report it
}

/**
 * Splits one `--threshold` flag into its key and expression. Both forms are accepted:
 * `http_req_duration p(99)<500ms` and `http_req_duration{name:/api}: p(99)<500ms`. Only the
 * split is checked here; {@link parseThresholds} checks the parts with everything else.
 */
export function parseThresholdFlag(text: string): { key: string; expression: string } {
  const t = text.trim();
  const end = keyEnd(t);
  const key = t.slice(0, end).trim();
  let rest = t.slice(end).trim();
  if (rest.startsWith(":")) rest = rest.slice(1).trim();
  if (key === "" || rest === "") {
    throw new ConfigError(
      `Invalid threshold flag "${text}": expected a metric and an expression such as ` +
        `'http_req_duration p(99)<500ms' or 'http_req_duration{name:/api}: p(99)<500ms'`,
    );
  }
  return { key, expression: rest };
}
