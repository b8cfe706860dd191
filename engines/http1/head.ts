/**
 * Parsing of one HTTP/1.x response head (status line and header fields) straight from bytes.
 * Only the three framing headers (Content-Length, Transfer-Encoding, Connection) are looked at
 * on the hot path, by length and a case-insensitive byte compare; names and values are decoded
 * to strings only when the caller keeps the response, because string building per request
 * costs more than the rest of the parse.
 *
 * @module
 */

const LF = 10;
const CR = 13;
const SP = 32;
const HT = 9;
const COLON = 58;
const COMMA = 44;

/** The framing facts of a response head, filled in by {@link parseHead}. */
export interface HeadInfo {
  /** Status code, 100–999. */
  status: number;
  /** HTTP minor version: 0 or 1. */
  minor: number;
  /** Content-Length, or -1 when absent. */
  contentLength: number;
  /** A Transfer-Encoding header was present. */
  hasTransferEncoding: boolean;
  /** The final transfer coding is `chunked`. */
  chunked: boolean;
  /** `Connection: close` was present. */
  connClose: boolean;
  /** `Connection: keep-alive` was present (matters for HTTP/1.0). */
  connKeepAlive: boolean;
  /** Decoded header names and values, alternating; only filled when keeping the response. */
  fields: string[] | null;
  /** Why the head is malformed, or "" when it is fine. */
  error: string;
}

/** Creates a blank {@link HeadInfo}, reused by a parser for every response. */
export function createHeadInfo(): HeadInfo {
  return {
    status: 0,
    minor: 1,
    contentLength: -1,
    hasTransferEncoding: false,
    chunked: false,
    connClose: false,
    connKeepAlive: false,
    fields: null,
    error: "",
  };
}

/** Lower-cased ASCII bytes of the header names that decide framing. */
const CONTENT_LENGTH = ascii("content-length");
const TRANSFER_ENCODING = ascii("transfer-encoding");
const CONNECTION = ascii("connection");
const CHUNKED = ascii("chunked");
const CLOSE = ascii("close");
const KEEP_ALIVE = ascii("keep-alive");

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Case-insensitive compare of `b[at..at+word.length)` against a lower-case ASCII word. */
function eqLower(b: Uint8Array, at: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) {
    if ((b[at + i] | 0x20) !== word[i]) return false;
  }
  return true;
}

/** Latin-1 decode of a short byte range; header bytes are octets, not UTF-8 (RFC 9110 5.5). */
function latin1(b: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

/**
 * Finds the end of a head (the index just past its blank line) in `b[from..end)`, or -1 if the
 * blank line has not arrived yet. Accepts CRLF and bare LF line ends, as browsers and llhttp's
 * lenient mode do. To resume a search over a growing buffer, restart two bytes before the old
 * end: an undecided LF can sit at most there.
 */
export function findHeadEnd(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    if (b[i] !== LF) continue;
    if (i + 1 >= end) return -1;
    const c = b[i + 1];
    if (c === LF) return i + 2;
    if (c === CR) {
      if (i + 2 >= end) return -1;
      if (b[i + 2] === LF) return i + 3;
    }
  }
  return -1;
}

/**
 * Parses the head in `b[start..end)` (which ends with its blank line) into `info`. Returns
 * false and sets `info.error` for a malformed head. `keep` decodes every field into
 * `info.fields`; a 3xx head's fields are decoded regardless (redirects are followed).
 */
export function parseHead(
  b: Uint8Array,
  start: number,
  end: number,
  keep: boolean,
  info: HeadInfo,
): boolean {
  info.contentLength = -1;
  info.hasTransferEncoding = false;
  info.chunked = false;
  info.connClose = false;
  info.connKeepAlive = false;
  info.fields = null;
  info.error = "";
  // Status line: "HTTP/1.x SSS[ reason]".
  if (
    end - start < 13 || b[start] !== 72 || b[start + 1] !== 84 || b[start + 2] !== 84 ||
    b[start + 3] !== 80 || b[start + 4] !== 47 || b[start + 5] !== 49 || b[start + 6] !== 46
  ) return fail(info, "bad status line");
  const minor = b[start + 7] - 48;
  const d0 = b[start + 9] - 48, d1 = b[start + 10] - 48, d2 = b[start + 11] - 48;
  const after = b[start + 12];
  if (
    (minor !== 0 && minor !== 1) || b[start + 8] !== SP || d0 < 1 || d0 > 9 || d1 < 0 ||
    d1 > 9 || d2 < 0 || d2 > 9 || (after !== SP && after !== CR && after !== LF)
  ) return fail(info, "bad status line");
  info.minor = minor;
  info.status = d0 * 100 + d1 * 10 + d2;
  // A redirect's fields are kept even when the response is not: following it needs Location.
  const fields: string[] | null = info.fields = keep || d0 === 3 ? [] : null;
  let p = start + 12;
  while (b[p] !== LF) p++;
  p++;
  let lastFraming = false;
  while (p < end) {
    let lf = p;
    while (b[lf] !== LF) lf++;
    const lineEnd = lf > p && b[lf - 1] === CR ? lf - 1 : lf;
    if (lineEnd === p) break; // the blank line
    const first = b[p];
    if (first === SP || first === HT) {
      // obs-fold (RFC 9112 5.2): a continuation; folding a framing header is too ambiguous.
      if (lastFraming) return fail(info, "folded framing header");
      if (fields !== null && fields.length > 0) {
        const f = fields;
        f[f.length - 1] += " " + latin1(b, trimStart(b, p, lineEnd), trimEnd(b, p, lineEnd));
      }
      p = lf + 1;
      continue;
    }
    let colon = p;
    while (colon < lineEnd) {
      const c = b[colon];
      if (c === COLON) break;
      if (c <= SP || c === 127) return fail(info, "bad header name");
      colon++;
    }
    if (colon === lineEnd || colon === p) return fail(info, "bad header line");
    const vs = trimStart(b, colon + 1, lineEnd);
    const ve = trimEnd(b, vs, lineEnd);
    const nameLen = colon - p;
    lastFraming = false;
    if (nameLen === 14 && eqLower(b, p, CONTENT_LENGTH)) {
      lastFraming = true;
      if (!contentLength(b, vs, ve, info)) return false;
    } else if (nameLen === 17 && eqLower(b, p, TRANSFER_ENCODING)) {
      lastFraming = true;
      info.hasTransferEncoding = true;
      info.chunked = lastTokenIs(b, vs, ve, CHUNKED);
    } else if (nameLen === 10 && eqLower(b, p, CONNECTION)) {
      connectionTokens(b, vs, ve, info);
    }
    if (fields !== null) fields.push(latin1(b, p, colon), latin1(b, vs, ve));
    p = lf + 1;
  }
  return true;
}

function fail(info: HeadInfo, why: string): false {
  info.error = why;
  return false;
}

function trimStart(b: Uint8Array, s: number, e: number): number {
  while (s < e && (b[s] === SP || b[s] === HT)) s++;
  return s;
}

function trimEnd(b: Uint8Array, s: number, e: number): number {
  while (e > s && (b[e - 1] === SP || b[e - 1] === HT)) e--;
  return e;
}

/**
 * Content-Length may be a list of identical values ("5, 5") or repeat across fields with the
 * same value (RFC 9110 8.6); anything else (signs, differing values, > 2^53) is a framing
 * attack or a bug, so it is malformed rather than guessed at.
 */
function contentLength(b: Uint8Array, s: number, e: number, info: HeadInfo): boolean {
  let value = -1;
  let i = s;
  while (true) {
    i = trimStart(b, i, e);
    let n = 0, digits = 0;
    while (i < e && b[i] >= 48 && b[i] <= 57) {
      n = n * 10 + b[i] - 48;
      digits++;
      i++;
    }
    i = trimStart(b, i, e);
    if (digits === 0 || digits > 15 || (i < e && b[i] !== COMMA)) {
      return fail(info, "bad Content-Length");
    }
    if (value !== -1 && n !== value) return fail(info, "conflicting Content-Length");
    value = n;
    if (i >= e) break;
    i++;
  }
  if (info.contentLength !== -1 && info.contentLength !== value) {
    return fail(info, "conflicting Content-Length");
  }
  info.contentLength = value;
  return true;
}

/** Whether the last comma-separated token of `b[s..e)` is `word` (case-insensitive). */
function lastTokenIs(b: Uint8Array, s: number, e: number, word: Uint8Array): boolean {
  let ts = e;
  while (ts > s && b[ts - 1] !== COMMA) ts--;
  ts = trimStart(b, ts, e);
  return e - ts === word.length && eqLower(b, ts, word);
}

function connectionTokens(b: Uint8Array, s: number, e: number, info: HeadInfo): void {
  let i = s;
  while (i < e) {
    let te = i;
    while (te < e && b[te] !== COMMA) te++;
    const ts = trimStart(b, i, te), tEnd = trimEnd(b, ts, te);
    const len = tEnd - ts;
    if (len === 5 && eqLower(b, ts, CLOSE)) info.connClose = true;
    else if (len === 10 && eqLower(b, ts, KEEP_ALIVE)) info.connKeepAlive = true;
    i = te + 1;
  }
}
