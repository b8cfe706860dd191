/**
 * Maps what Deno's `fetch` throws to an {@link ErrorKind}.
 *
 * fetch reports almost every network failure as `TypeError("fetch failed")` whose `cause` is a
 * plain `Error` carrying hyper's/rustls's text, with no `code`. So apart from aborts (a
 * `DOMException` named `AbortError`/`TimeoutError`) the kind can only be told from message
 * text. What Deno 2.9.6 throws, measured (cause message shown after the arrow):
 *
 * - refused: `fetch failed` → `error sending request for url (U): client error (Connect): tcp
 *   connect error: Connection refused (os error 111)`
 * - dns: `fetch failed` → `… client error (Connect): dns error: failed to lookup address
 *   information: Name or service not known`
 * - reset (RST): `fetch failed` → `Connection reset by peer (os error 104)`
 * - closed without answer (FIN): `fetch failed` → `error sending request from L for U (R):
 *   client error (SendRequest): connection closed before message completed`
 * - short body (`Content-Length` not reached): the body read rejects with
 *   `TypeError("error reading a body from connection")`, no cause
 * - garbage response: `fetch failed` → `… client error (SendRequest): invalid HTTP version parsed`
 * - TLS: `fetch failed` → `… client error (Connect): invalid peer certificate: UnknownIssuer`,
 *   or `received corrupt message of type InvalidContentType` when the server does not speak TLS
 * - timeout via `AbortSignal.timeout`: `DOMException` named `TimeoutError`
 * - abort: the signal's reason, by default a `DOMException` named `AbortError`
 *
 * Patterns also cover the Node-style `code`s (`ECONNREFUSED`, …) in case an error comes from
 * `node:` modules or a future Deno attaches codes.
 *
 * @module
 */

import type { ErrorKind } from "../../core/types.ts";

/** The kind of a failed request and a short, one-line description of it. */
export interface ClassifiedError {
  /** The error kind counted in metrics. */
  kind: ErrorKind;
  /** One line, without the URL (the metric's `name` tag already says which request). */
  message: string;
}

/** Longest message kept: the first error of each kind reaches the summary, one line each. */
const MAX_MESSAGE = 200;

/** Checked in order: the first matching rule wins, so more specific texts come first. */
const RULES: readonly (readonly [ErrorKind, RegExp])[] = [
  [
    "dns",
    /dns error|failed to lookup address|name or service not known|nodename nor servname|no address associated|temporary failure in name resolution|enotfound|eai_again/,
  ],
  ["refused", /connection refused|econnrefused|os error 111\b/],
  [
    "tls",
    /invalid peer certificate|certificate|\btls\b|handshake|received corrupt message|invalidcontenttype|peer is incompatible|peer misbehaved|alertreceived|err_ssl|ssl routines/,
  ],
  ["timeout", /timed out|etimedout|os error 110\b|deadline has elapsed/],
  [
    "reset",
    /connection reset|econnreset|os error 104\b|broken pipe|epipe|os error 32\b|connection closed before message completed|error reading a body from connection|connection aborted|econnaborted|unexpected eof|end of file before message length reached|incompletemessage|socket hang up/,
  ],
  [
    "malformed",
    /invalid http version|invalid status|invalid header|invalid response|invalid chunk|invalid content-length|message head is too large|header too large|parse error|error parsing|unsupported http version|hpe_/,
  ],
];

/**
 * Classifies an error thrown (or a rejection reason) by fetch or by reading a response body.
 * Never throws; anything unrecognised is "other" with its message kept for the summary.
 */
export function classifyFetchError(err: unknown): ClassifiedError {
  const name = errorName(err);
  if (name === "TimeoutError") return { kind: "timeout", message: shortMessage(err) };
  if (name === "AbortError") return { kind: "aborted", message: shortMessage(err) };

  const text = describeChain(err).toLowerCase();
  for (const [kind, pattern] of RULES) {
    if (pattern.test(text)) return { kind, message: shortMessage(err) };
  }
  return { kind: "other", message: shortMessage(err) };
}

/**
 * The most specific message of an error chain, made short: fetch's outer "fetch failed" says
 * nothing, so the innermost cause wins, minus hyper's "error sending request … (U): client error
 * (Connect): " preamble, which repeats the URL.
 */
export function shortMessage(err: unknown): string {
  let msg = "";
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    const m = messageOf(current);
    if (m !== "" && m !== "fetch failed") msg = m;
    current = (current as { cause?: unknown }).cause;
  }
  if (msg === "") msg = messageOf(err) || errorName(err) || "unknown error";
  msg = msg.replace(/\s+/g, " ").trim();
  if (msg.startsWith("error sending request")) {
    const cut = msg.indexOf("): ");
    if (cut !== -1) msg = msg.slice(cut + 3);
  }
  msg = msg.replace(/^client error \([^)]*\): /, "");
  return msg.length > MAX_MESSAGE ? msg.slice(0, MAX_MESSAGE - 1) + "…" : msg;
}

/** Every name, code and message along the `cause` chain, for pattern matching. */
function describeChain(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    parts.push(errorName(current), messageOf(current));
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") parts.push(code);
    current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
  }
  return parts.join(" | ");
}

/** `err.name` when there is one (DOMException, Error), else "". */
function errorName(err: unknown): string {
  if (typeof err !== "object" || err === null) return "";
  const name = (err as { name?: unknown }).name;
  return typeof name === "string" ? name : "";
}

/** `err.message` for error-like values, the value itself for strings, else "". */
function messageOf(err: unknown): string {
  if (typeof err === "string") return err;
  if (typeof err !== "object" || err === null) return "";
  const message = (err as { message?: unknown }).message;
  return typeof message === "string" ? message : "";
}
