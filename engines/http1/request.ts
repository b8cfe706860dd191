/**
 * Turning a {@link RequestSpec} into the bytes the lean HTTP/1.1 client writes. Everything that
 * can be decided once (validation, the request line, every header, the body) is done here, so
 * that sending is a single write of a pre-built Uint8Array.
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

/** The User-Agent sent unless the request sets its own. */
export const USER_AGENT = "rampa/0.1";

/** Per-request timeout when the spec sets none; the same as k6's. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** The http1 engine's pre-computed form of a request (the `state` of a PreparedRequest). */
export interface Http1State extends ConnectTarget {
  /** The whole request: head and body, written as one buffer. */
  readonly bytes: Uint8Array;
  /** A HEAD request: its response has no body whatever its headers say. */
  readonly isHead: boolean;
}

const TOKEN = HTTP_TOKEN;
const BAD_VALUE = BAD_HEADER_VALUE;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
const encoder = new TextEncoder();

/** Validates and pre-encodes a request for the http1 engine; throws a ConfigError if invalid. */
export function prepareHttp1(spec: RequestSpec): PreparedRequest {
  const { url, method, timeoutMs, issues } = checkRequestBasics(spec, DEFAULT_TIMEOUT_MS);
  const headers = spec.headers ?? [];
  let hasHost = false, hasAgent = false;
  let head = "";
  for (const [name, value] of headers) {
    if (!TOKEN.test(name)) {
      issues.push(`Invalid header name "${name}": expected an HTTP token`);
      continue;
    }
    if (BAD_VALUE.test(value)) {
      issues.push(`Invalid value for header "${name}": CR, LF and NUL are not allowed`);
      continue;
    }
    const lower = name.toLowerCase();
    // rampa frames the body itself; a user framing header would contradict the bytes sent.
    if (lower === "content-length") continue;
    if (lower === "transfer-encoding") {
      issues.push(`Header "${name}" cannot be set: rampa sends bodies with Content-Length`);
      continue;
    }
    if (lower === "host") hasHost = true;
    if (lower === "user-agent") hasAgent = true;
    head += `${name}: ${value.trim()}\r\n`;
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const body = spec.body == null
    ? null
    : typeof spec.body === "string"
    ? encoder.encode(spec.body)
    : spec.body;
  let start = `${method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  if (!hasHost) start += `Host: ${url.host}\r\n`;
  if (!hasAgent) head += `User-Agent: ${USER_AGENT}\r\n`;
  if (body !== null) head += `Content-Length: ${body.length}\r\n`;
  else if (BODY_METHODS.has(method)) head += "Content-Length: 0\r\n";
  const headBytes = encoder.encode(start + head + "\r\n");
  let bytes = headBytes;
  if (body !== null && body.length > 0) {
    bytes = new Uint8Array(headBytes.length + body.length);
    bytes.set(headBytes);
    bytes.set(body, headBytes.length);
  }
  const state: Http1State = { bytes, isHead: method === "HEAD", ...connectTarget(url) };
  return {
    method,
    url,
    headers: headers.map(([n, v]) => [n, v] as [string, string]),
    body,
    timeoutMs,
    name: spec.name ?? url.origin + url.pathname,
    keepResponse: spec.keepResponse ?? false,
    state,
  };
}
