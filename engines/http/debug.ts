/**
 * `--http-debug[=full]`: each request and its response printed to stderr as they happen, in
 * curl's `>`/`<` style, with secrets redacted: values of credential headers (Authorization,
 * Cookie, Set-Cookie, API keys…), URL userinfo and secret query values (`core/redact.ts`),
 * and with `full` secret-named fields of form and JSON bodies. Bodies are cut at 2 KiB.
 *
 * Printing happens on the load thread: it is bounded ({@link MAX_DEBUG_EXCHANGES} per thread,
 * then one line saying the rest are not shown) and written synchronously in one piece, so
 * exchanges from concurrent requests never interleave. Without the flag nothing here runs.
 *
 * @module
 */
import { escapeControl, isSecretName, REDACTED, redactUrl } from "../../core/redact.ts";
import type { Outcome, PreparedRequest } from "./types.ts";

/** Exchanges one load thread prints before it stops printing. */
export const MAX_DEBUG_EXCHANGES = 1000;
/** Most body bytes printed per request or response (`full`). */
export const MAX_DEBUG_BODY = 2048;

/** Headers whose values are credentials whatever their name says. */
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-auth-token",
  "x-csrf-token",
  "x-xsrf-token",
]);

/** True when a header's value must not be printed. */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || isSecretName(lower);
}

const decoder = new TextDecoder();

/**
 * A body as printable text: the first 2 KiB, secret-named form and JSON fields replaced,
 * control characters escaped; binary bodies are described, not dumped.
 */
export function debugBody(bytes: Uint8Array | null, contentType: string | null): string {
  if (bytes === null || bytes.byteLength === 0) return "";
  const type = (contentType ?? "").toLowerCase();
  const textual = type === "" || /text|json|xml|form-urlencoded|javascript|html|csv/.test(type);
  if (!textual) return `[${bytes.byteLength} bytes of ${type}]`;
  const cut = bytes.byteLength > MAX_DEBUG_BODY;
  let text = decoder.decode(cut ? bytes.subarray(0, MAX_DEBUG_BODY) : bytes);
  // JSON string fields named like secrets ("password": "…", "access_token": "…").
  text = text.replace(
    /"((?:[^"\\]|\\.){1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g,
    (all, key: string, colon: string) => isSecretName(key) ? `"${key}"${colon}"${REDACTED}"` : all,
  );
  if (type.includes("form-urlencoded") || (type === "" && /^[^\s{<]+=/.test(text))) {
    text = text.replace(/(^|&)([^=&]+)=([^&]*)/g, (all, sep: string, key: string) => {
      let name = key;
      try {
        name = decodeURIComponent(key.replaceAll("+", " "));
      } catch { /* keep as is */ }
      return isSecretName(name) ? `${sep}${key}=${REDACTED}` : all;
    });
  }
  return escapeControl(text) +
    (cut ? `\n… (${bytes.byteLength - MAX_DEBUG_BODY} more bytes)` : "");
}

function headerLines(prefix: string, headers: Iterable<readonly [string, string]>): string[] {
  const out: string[] = [];
  for (const [k, v] of headers) {
    out.push(`${prefix} ${escapeControl(k)}: ${isSecretHeader(k) ? REDACTED : escapeControl(v)}`);
  }
  return out;
}

/** One exchange as text: the request, then the response or the error. */
export function formatExchange(req: PreparedRequest, out: Outcome, full: boolean): string {
  const lines = [`> ${req.method} ${escapeControl(redactUrl(req.url.href))}`];
  lines.push(...headerLines(">", req.headers));
  const reqType = req.headers.find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? null;
  if (full && req.body !== null && req.body.byteLength > 0) {
    lines.push(">", debugBody(req.body, reqType));
  } else if (req.body !== null && req.body.byteLength > 0) {
    lines.push(`> [body: ${req.body.byteLength} bytes]`);
  }
  const took = (out.ended - out.started).toFixed(1);
  if (out.error !== null) {
    lines.push(
      `< ${out.status || "no response"}: ${out.error}: ${escapeControl(out.errorMessage)}`,
    );
  } else {
    lines.push(`< ${out.status} (${took} ms)`);
    // Set-Cookie is hidden by Headers' iteration order only in part: list each one.
    const h = out.headers;
    if (h !== null) {
      lines.push(...headerLines("<", [...h].filter(([k]) => k !== "set-cookie")));
      for (const _ of h.getSetCookie()) lines.push(`< set-cookie: ${REDACTED}`);
      if (full) {
        const body = debugBody(out.body, h.get("content-type"));
        if (body) lines.push("<", body);
      }
    }
  }
  return lines.join("\n") + "\n\n";
}

const encoder = new TextEncoder();

/** What one thread printed so far. */
export interface DebugState {
  shown: number;
}

/** Writes to stderr synchronously, in one piece. */
function writeStderr(text: string): void {
  const bytes = encoder.encode(text);
  let done = 0;
  while (done < bytes.byteLength) done += Deno.stderr.writeSync(bytes.subarray(done));
}

/** Prints one exchange (to stderr unless `write` says otherwise), within the thread's budget. */
export function printExchange(
  state: DebugState,
  req: PreparedRequest,
  out: Outcome,
  full: boolean,
  write: (text: string) => void = writeStderr,
): void {
  if (state.shown > MAX_DEBUG_EXCHANGES) return;
  const text = state.shown++ < MAX_DEBUG_EXCHANGES
    ? formatExchange(req, out, full)
    : `… further exchanges not shown (--http-debug prints the first ${MAX_DEBUG_EXCHANGES} ` +
      "of each load thread)\n";
  try {
    write(text);
  } catch {
    state.shown = MAX_DEBUG_EXCHANGES + 1; // stderr is gone: stop trying
  }
}
