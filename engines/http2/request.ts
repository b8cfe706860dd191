/**
 * Turning a {@link RequestSpec} into what the http2 engine hands node:http2 on every send: the
 * header block as an object with the pseudo-headers (`:method`, `:path`, `:scheme`,
 * `:authority`) filled in once, the body as one buffer, and the pool key. HTTP/2 forbids the
 * connection-specific headers of HTTP/1.1 (RFC 9113 §8.2.2), so they are refused here, once,
 * instead of failing every stream at send time.
 *
 * @module
 */

import { ConfigError } from "../../core/errors.ts";
import type { PreparedRequest, RequestSpec } from "../http/types.ts";
import {
  BAD_HEADER_VALUE,
  checkRequestBasics,
  type ConnectTarget,
  connectTarget,
  HTTP_TOKEN,
} from "../http/connect_target.ts";
import { DEFAULT_TIMEOUT_MS, USER_AGENT } from "../http1/request.ts";

export { DEFAULT_TIMEOUT_MS };

/** The http2 engine's pre-computed form of a request (the `state` of a PreparedRequest). */
export interface Http2State extends ConnectTarget {
  /** Header block for `ClientHttp2Session.request`, pseudo-headers included, names lower-case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body bytes, or null for none (the HEADERS frame then ends the stream). */
  readonly body: Uint8Array | null;
  /** A HEAD request (its response has no body). */
  readonly isHead: boolean;
  /**
   * Approximate request bytes on the wire: the header block uncompressed plus frame headers
   * and the body. Used only when a request fails before its session could count real bytes.
   */
  readonly approxBytes: number;
}

const TOKEN = HTTP_TOKEN;
const BAD_VALUE = BAD_HEADER_VALUE;
/** Headers that only mean something on one HTTP/1.1 connection (RFC 9113 §8.2.2). */
const CONNECTION_SPECIFIC = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);
const encoder = new TextEncoder();

/** Validates and pre-encodes a request for the http2 engine; throws a ConfigError if invalid. */
export function prepareHttp2(spec: RequestSpec): PreparedRequest {
  const { url, method, timeoutMs, issues } = checkRequestBasics(spec, DEFAULT_TIMEOUT_MS);
  if (method === "CONNECT") issues.push(`Method "CONNECT" cannot be sent by the http2 engine`);
  const target = connectTarget(url);
  const headerBlock: Record<string, string> = {
    ":method": method,
    ":path": `${url.pathname}${url.search}`,
    ":scheme": target.tls ? "https" : "http",
    ":authority": url.host,
  };
  const userHeaders = spec.headers ?? [];
  for (const [name, value] of userHeaders) {
    if (!TOKEN.test(name)) {
      issues.push(`Invalid header name "${name}": expected an HTTP token`);
      continue;
    }
    if (BAD_VALUE.test(value)) {
      issues.push(`Invalid value for header "${name}": CR, LF and NUL are not allowed`);
      continue;
    }
    const lower = name.toLowerCase();
    // The body is framed by DATA frames; a user length could only contradict it.
    if (lower === "content-length") continue;
    if (CONNECTION_SPECIFIC.has(lower)) {
      issues.push(`Header "${name}" cannot be sent over HTTP/2: it is connection-specific`);
      continue;
    }
    if (lower === "te" && value.trim().toLowerCase() !== "trailers") {
      issues.push(`Header "TE" over HTTP/2 may only be "trailers", not "${value}"`);
      continue;
    }
    // A Host header becomes the :authority, as RFC 9113 §8.3.1 asks of intermediaries.
    if (lower === "host") {
      headerBlock[":authority"] = value.trim();
      continue;
    }
    const v = value.trim();
    headerBlock[lower] = lower in headerBlock && !lower.startsWith(":")
      ? `${headerBlock[lower]}, ${v}`
      : v;
  }
  if (issues.length > 0) throw new ConfigError(issues);
  headerBlock["user-agent"] ??= USER_AGENT;

  const body = spec.body == null
    ? null
    : typeof spec.body === "string"
    ? encoder.encode(spec.body)
    : spec.body;
  if (body !== null) headerBlock["content-length"] = String(body.byteLength);
  let approx = 9; // the HEADERS frame header
  for (const k in headerBlock) approx += k.length + headerBlock[k].length + 2;
  if (body !== null && body.byteLength > 0) approx += 9 + body.byteLength;
  const state: Http2State = {
    headers: headerBlock,
    body: body !== null && body.byteLength > 0 ? body : null,
    isHead: method === "HEAD",
    ...target,
    approxBytes: approx,
  };
  return {
    method,
    url,
    headers: userHeaders.map(([n, v]) => [n, v] as [string, string]),
    body,
    timeoutMs,
    name: spec.name ?? url.origin + url.pathname,
    keepResponse: spec.keepResponse ?? false,
    state,
  };
}

/** The http2 state of a prepared request, or null when another engine prepared it. */
export function http2StateOf(req: PreparedRequest): Http2State | null {
  const st = req.state as Http2State | undefined;
  return st !== undefined && typeof st === "object" && "approxBytes" in st ? st : null;
}
