/**
 * Target lists, as vegeta reads them (`rampa run --targets FILE|-`): the `http` format is
 * blocks separated by blank lines, each `METHOD URL`, then `Name: value` header lines and an
 * optional `@body-file` line (relative to the list's folder); the `json` format is one
 * object per line, `{"method", "url", "header": {"Name": ["v"]}, "body": "<base64>"}`. Every
 * problem is one line with the list's name and line number, before any load.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { readFileBounded } from "./read_file.ts";

/** One target of a list. */
export interface Target {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array | null;
}

/** The formats `--targets-format` takes. */
export const TARGET_FORMATS = ["http", "json"] as const;

/** Most targets one list may hold (each is prepared and named once per load thread). */
export const MAX_TARGETS = 10_000;

const METHOD = /^[A-Z][A-Z0-9-]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_BODY = 64 * 1024 * 1024;

function checkUrl(url: string, where: string, issues: string[]): boolean {
  const u = URL.parse(url);
  if (!u || (u.protocol !== "http:" && u.protocol !== "https:")) {
    issues.push(`${where}: "${url}" is not an http:// or https:// URL`);
    return false;
  }
  return true;
}

/** Parses the `http` format; `name` is the list's path (or `stdin`), `base` its folder. */
export async function parseHttpTargets(
  text: string,
  name: string,
  base: string,
): Promise<Target[]> {
  const issues: string[] = [];
  const out: Target[] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    // Skip blank lines and comments between blocks.
    if (lines[i].trim() === "" || lines[i].trimStart().startsWith("#")) {
      i++;
      continue;
    }
    const where = `${name}:${i + 1}`;
    const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(lines[i]);
    i++;
    if (!m || !METHOD.test(m[1])) {
      issues.push(`${where}: expected "METHOD URL" such as "GET http://host/path"`);
      while (i < lines.length && lines[i].trim() !== "") i++;
      continue;
    }
    const [, method, url] = m;
    const ok = checkUrl(url, where, issues);
    const headers: [string, string][] = [];
    let body: Uint8Array | null = null;
    for (; i < lines.length && lines[i].trim() !== ""; i++) {
      const line = lines[i].trim();
      const at = `${name}:${i + 1}`;
      if (line.startsWith("#")) continue;
      if (line.startsWith("@")) {
        const file = resolve(base, line.slice(1).trim());
        try {
          body = await readFileBounded(file, MAX_BODY, `body file "${line.slice(1).trim()}"`);
        } catch (e) {
          issues.push(`${at}: ${(e as Error).message}`);
        }
        continue;
      }
      const c = line.indexOf(":");
      const key = c > 0 ? line.slice(0, c).trim() : "";
      if (!HEADER_NAME.test(key)) {
        issues.push(`${at}: expected a header "Name: value" or "@body-file", got "${line}"`);
        continue;
      }
      headers.push([key, line.slice(c + 1).trim()]);
    }
    if (ok) out.push({ method, url, headers, body });
  }
  return finish(out, issues, name);
}

/** Parses the `json` format (one object per line). */
export function parseJsonTargets(text: string, name: string): Target[] {
  const issues: string[] = [];
  const out: Target[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    if (line.trim() === "") return;
    const where = `${name}:${n + 1}`;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line);
      if (typeof o !== "object" || o === null || Array.isArray(o)) throw new Error("not an object");
    } catch (e) {
      issues.push(`${where}: not a JSON object (${(e as Error).message})`);
      return;
    }
    const method = typeof o.method === "string" ? o.method.toUpperCase() : "GET";
    if (!METHOD.test(method)) return void issues.push(`${where}: invalid method "${o.method}"`);
    if (typeof o.url !== "string") return void issues.push(`${where}: missing "url"`);
    if (!checkUrl(o.url, where, issues)) return;
    const headers: [string, string][] = [];
    const h = o.header ?? {};
    if (typeof h !== "object" || h === null || Array.isArray(h)) {
      return void issues.push(`${where}: "header" must be an object of name → [values]`);
    }
    for (const [k, v] of Object.entries(h)) {
      if (!HEADER_NAME.test(k)) return void issues.push(`${where}: invalid header name "${k}"`);
      for (const one of Array.isArray(v) ? v : [v]) headers.push([k, String(one)]);
    }
    let body: Uint8Array | null = null;
    if (o.body !== undefined && o.body !== null) {
      if (typeof o.body !== "string") {
        return void issues.push(`${where}: "body" must be base64 text`);
      }
      try {
        body = Uint8Array.from(atob(o.body), (c) => c.charCodeAt(0));
      } catch {
        return void issues.push(`${where}: "body" is not valid base64`);
      }
    }
    out.push({ method, url: o.url, headers, body });
  });
  return finish(out, issues, name);
}

function finish(out: Target[], issues: string[], name: string): Target[] {
  if (issues.length) throw new ConfigError(issues.slice(0, 20));
  if (out.length === 0) throw new ConfigError(`${name}: no targets in the list`);
  if (out.length > MAX_TARGETS) {
    throw new ConfigError(`${name}: ${out.length} targets, more than the ${MAX_TARGETS} allowed`);
  }
  return out;
}

/** Reads a list from `path` (`-` for stdin) in `format`. */
export async function readTargets(path: string, format: string): Promise<Target[]> {
  const stdin = path === "-";
  let text: string;
  if (stdin) {
    text = await new Response(Deno.stdin.readable).text();
  } else {
    text = new TextDecoder().decode(
      await readFileBounded(path, 256 * 1024 * 1024, `--targets "${path}"`),
    );
  }
  const name = stdin ? "stdin" : path;
  return format === "json"
    ? parseJsonTargets(text, name)
    : await parseHttpTargets(text, name, stdin ? Deno.cwd() : dirname(resolve(path)));
}
