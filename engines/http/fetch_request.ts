/**
 * Turning a {@link RequestSpec} into a {@link PreparedRequest} for the fetch engine: every
 * check that fetch would otherwise fail at send time (bad URL, blocked port, invalid method or
 * header, body on GET) happens here once and becomes a ConfigError, so a run never starts with
 * a request that can only fail.
 *
 * @module
 */

import { ConfigError } from "../../core/errors.ts";
import type { PreparedRequest, RequestSpec } from "./types.ts";

/** Per-request timeout when the spec gives none (k6's default, too). */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The fetch engine's pre-computed form of a request, kept in {@link PreparedRequest.state}:
 * what `fetch()` needs without per-send work, and the size estimate of what goes on the wire.
 */
export class FetchRequestState {
  /** Creates the state; use {@link fetchStateOf} rather than calling this directly. */
  constructor(
    /** The URL as a string, so each send skips serialising the URL object again. */
    readonly href: string,
    readonly method: string,
    /** Validated once; fetch copies it into each Request, so one instance can be shared. */
    readonly headers: Headers,
    /**
     * fetch copies a typed-array body when it builds the Request, so sharing it is safe.
     * Backed by an ArrayBuffer: fetch's types (rightly) refuse a SharedArrayBuffer view.
     */
    readonly body: Uint8Array<ArrayBuffer> | null,
    /** Estimated request bytes, see {@link estimateRequestBytes}. */
    readonly bytesSent: number,
  ) {}
}

// The fetch standard's "bad ports": fetch refuses them with a TypeError at send time.
const BAD_PORTS = new Set([
  0,
  1,
  7,
  9,
  11,
  13,
  15,
  17,
  19,
  20,
  21,
  22,
  23,
  25,
  37,
  42,
  43,
  53,
  69,
  77,
  79,
  87,
  95,
  101,
  102,
  103,
  104,
  109,
  110,
  111,
  113,
  115,
  117,
  119,
  123,
  135,
  137,
  139,
  143,
  161,
  179,
  389,
  427,
  465,
  512,
  513,
  514,
  515,
  526,
  530,
  531,
  532,
  540,
  548,
  554,
  556,
  563,
  587,
  601,
  636,
  989,
  990,
  993,
  995,
  1719,
  1720,
  1723,
  2049,
  3659,
  4045,
  4190,
  5060,
  5061,
  6000,
  6566,
  6665,
  6666,
  6667,
  6668,
  6669,
  6679,
  6697,
  10080,
]);

// RFC 9110 token characters; fetch rejects anything else as a method.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const encoder = new TextEncoder();
const stateCache = new WeakMap<PreparedRequest, FetchRequestState>();

/** Validates and pre-encodes a request; throws a ConfigError listing every problem found. */
export function prepareFetchRequest(spec: RequestSpec): PreparedRequest {
  const issues: string[] = [];
  const url = parseHttpUrl(spec.url, issues);
  const method = String(spec.method ?? "GET").toUpperCase();
  if (!TOKEN.test(method) || FORBIDDEN_METHODS.has(method)) {
    issues.push(`Invalid method "${spec.method}": fetch cannot send it`);
  }
  const headers = spec.headers ?? [];
  try {
    new Headers(headers);
  } catch (err) {
    issues.push(`Invalid header: ${(err as Error).message}`);
  }
  let body = typeof spec.body === "string" ? encoder.encode(spec.body) : spec.body ?? null;
  if (body !== null && body.byteLength === 0 && (method === "GET" || method === "HEAD")) {
    body = null; // an empty body is no body; fetch would refuse it on GET/HEAD
  }
  if (body !== null && (method === "GET" || method === "HEAD")) {
    issues.push(`A ${method} request cannot have a body with the fetch engine`);
  }
  const timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    issues.push(`Invalid timeout ${timeoutMs} ms: expected a positive number`);
  }
  if (issues.length > 0 || url === null) throw new ConfigError(issues);

  const prepared: PreparedRequest = {
    method,
    url,
    headers: headers.map(([k, v]) => [k, v] as [string, string]),
    body,
    timeoutMs,
    name: spec.name ?? url.origin + url.pathname,
    keepResponse: spec.keepResponse ?? false,
    state: buildState(method, url, headers, body),
  };
  return prepared;
}

/**
 * The fetch state of a prepared request. Requests prepared by another engine (no or foreign
 * `state`) get one built on first use and cached, so any PreparedRequest can be sent.
 */
export function fetchStateOf(req: PreparedRequest): FetchRequestState {
  if (req.state instanceof FetchRequestState) return req.state;
  let state = stateCache.get(req);
  if (state === undefined) {
    state = buildState(req.method, req.url, req.headers, req.body);
    stateCache.set(req, state);
  }
  return state;
}

/**
 * Estimated size of the request as HTTP/1.1 puts it on the wire: request line, the user's
 * headers plus the ones Deno's fetch adds when absent (host, accept, accept-language,
 * user-agent, accept-encoding, content-length; measured on 2.9.6), blank line, body. fetch does
 * not report what it wrote, so this is an estimate; over HTTP/2 (HPACK) the real size is smaller.
 */
export function estimateRequestBytes(
  method: string,
  url: URL,
  headers: readonly (readonly [string, string])[],
  body: Uint8Array | null,
): number {
  let n = method.length + 1 + url.pathname.length + url.search.length + " HTTP/1.1\r\n".length;
  const present = new Set<string>();
  for (const [k, v] of headers) {
    present.add(k.toLowerCase());
    n += k.length + 2 + v.trim().length + 2;
  }
  const defaults: [string, string][] = [
    ["host", url.host],
    ["accept", "*/*"],
    ["accept-language", "*"],
    ["user-agent", `Deno/${Deno.version.deno}`],
    ["accept-encoding", "gzip,br"],
  ];
  if (body !== null) defaults.push(["content-length", String(body.byteLength)]);
  for (const [k, v] of defaults) {
    if (!present.has(k)) n += k.length + 2 + v.length + 2;
  }
  return n + 2 + (body?.byteLength ?? 0);
}

/** Parses an absolute http(s) URL with a host, or records why not and returns null. */
function parseHttpUrl(raw: string, issues: string[]): URL | null {
  const invalid = `Invalid URL "${raw}": expected an absolute http:// or https:// URL`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    issues.push(invalid);
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    issues.push(invalid);
    return null;
  }
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  if (BAD_PORTS.has(port)) {
    issues.push(
      `Invalid URL "${raw}": fetch refuses port ${port} (a browser "bad port"); ` +
        "use another port or engine",
    );
    return null;
  }
  return url;
}

/** Builds the state fetch needs, validating headers once. */
function buildState(
  method: string,
  url: URL,
  headers: readonly (readonly [string, string])[],
  body: Uint8Array | null,
): FetchRequestState {
  return new FetchRequestState(
    url.href,
    method,
    new Headers(headers as [string, string][]),
    body === null || body.buffer instanceof ArrayBuffer
      ? body as Uint8Array<ArrayBuffer> | null
      : new Uint8Array(body),
    estimateRequestBytes(method, url, headers, body),
  );
}
