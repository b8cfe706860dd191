/**
 * Reading a HAR file (HTTP Archive 1.2, as browsers export it): the entries in recorded order,
 * request bodies as JSON, form fields or text, response bodies decoded, and the recording's own
 * host.
 *
 * @module
 */
import { ConfigError } from "../../../core/errors.ts";

/** A header as HAR writes it. */
export interface HarHeader {
  name: string;
  value: string;
}
/** The parts of a HAR entry the conversion reads. */
export interface HarEntry {
  startedDateTime?: string;
  time?: number;
  request: {
    method: string;
    url: string;
    headers?: HarHeader[];
    postData?: { mimeType?: string; text?: string; params?: { name: string; value?: string }[] };
  };
  response?: {
    status?: number;
    headers?: HarHeader[];
    content?: { mimeType?: string; text?: string; encoding?: string };
  };
}

/** A request body, as the step will send it. */
export type Body =
  | { kind: "json"; value: unknown }
  | { kind: "form"; fields: [string, string][] }
  | { kind: "body"; text: string }
  | null;

/** The entries of a HAR text, in recorded order; a ConfigError when it is not a HAR. */
export function parseHar(text: string): HarEntry[] {
  let har: unknown;
  try {
    har = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`Cannot parse HAR: ${(e as Error).message.split("\n")[0]}`);
  }
  const entries = (har as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) {
    throw new ConfigError("Cannot read HAR: expected a JSON object with log.entries (a list)");
  }
  const ok = entries.filter((e): e is HarEntry =>
    typeof e?.request?.url === "string" && typeof e?.request?.method === "string"
  );
  const at = (e: HarEntry) => Date.parse(e.startedDateTime ?? "") || 0;
  return ok.map((e, i) => ({ e, i })).sort((a, b) => at(a.e) - at(b.e) || a.i - b.i).map((x) =>
    x.e
  );
}

/** A response body as text (base64 bodies decoded), or "" when the HAR kept none. */
export function responseText(e: HarEntry): string {
  const c = e.response?.content;
  if (!c?.text) return "";
  if (c.encoding === "base64") {
    try {
      return new TextDecoder().decode(Uint8Array.from(atob(c.text), (ch) => ch.charCodeAt(0)));
    } catch {
      return "";
    }
  }
  return c.text;
}

/** A request body as JSON, form fields or text. */
export function bodyOf(e: HarEntry): Body {
  const p = e.request.postData;
  if (!p) return null;
  const mime = (p.mimeType ?? "").toLowerCase();
  if (mime.includes("json") && p.text) {
    try {
      return { kind: "json", value: JSON.parse(p.text) };
    } catch {
      return { kind: "body", text: p.text };
    }
  }
  if (mime.includes("x-www-form-urlencoded")) {
    const fields: [string, string][] = p.params?.length
      ? p.params.map((x) => [decodeForm(x.name), decodeForm(x.value ?? "")])
      : [...new URLSearchParams(p.text ?? "")];
    return { kind: "form", fields };
  }
  return p.text ? { kind: "body", text: p.text } : null;
}

function decodeForm(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** The recording's own host: the first HTML page's, else the first HTTP request's. */
export function mainHost(entries: HarEntry[]): string | null {
  const page = entries.find((e) => /html/i.test(e.response?.content?.mimeType ?? ""));
  const first = page ?? entries.find((e) => /^https?:/.test(e.request.url));
  return first ? URL.parse(first.request.url)?.host ?? null : null;
}
