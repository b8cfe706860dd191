/**
 * Where a request's connection goes, as every HTTP engine pools it: the origin key, the host
 * to dial (an IPv6 literal without its brackets), the port with the scheme's default, TLS or
 * not, and the name for SNI. Also the request-line and header syntax both wire engines check
 * before sending.
 *
 * @module
 */
import { ConfigError } from "../../core/errors.ts";
import type { RequestSpec } from "./types.ts";

/** The connection of a URL. */
export interface ConnectTarget {
  /** Pool key: scheme, host and port. */
  readonly origin: string;
  /** Host to connect to (brackets of an IPv6 literal removed). */
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** Host name for SNI and certificate checks. */
  readonly serverName: string;
}

/** The connection target of an `http:`/`https:` URL. */
export function connectTarget(url: URL): ConnectTarget {
  const tls = url.protocol === "https:";
  const port = url.port === "" ? (tls ? 443 : 80) : Number(url.port);
  const hostname = url.hostname;
  const bare = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  return {
    origin: `${url.protocol}//${hostname}:${port}`,
    host: bare,
    port,
    tls,
    serverName: bare,
  };
}

/** An HTTP token (method or header name, RFC 9110 §5.6.2). */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** What a header value must not hold (it would end the header or the head). */
export const BAD_HEADER_VALUE = /[\0\r\n]/;

/** A request's URL, method and timeout, checked the same way by every wire engine. */
export interface RequestBasics {
  readonly url: URL;
  readonly method: string;
  readonly timeoutMs: number;
  /** Problems found so far (method, timeout); the engine adds its own and throws them all. */
  readonly issues: string[];
}

/**
 * Checks the parts of a request every wire engine checks alike. An unusable URL throws at
 * once (nothing else can be judged without it); other problems are collected in `issues`.
 */
export function checkRequestBasics(spec: RequestSpec, defaultTimeoutMs: number): RequestBasics {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw invalidUrl(spec.url);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    throw invalidUrl(spec.url);
  }
  const issues: string[] = [];
  const method = spec.method;
  if (!HTTP_TOKEN.test(method)) {
    issues.push(`Invalid method "${method}": expected an HTTP token`);
  }
  const timeoutMs = spec.timeoutMs ?? defaultTimeoutMs;
  if (!(timeoutMs > 0)) {
    issues.push(`Invalid timeout ${timeoutMs} ms: expected a positive number of milliseconds`);
  }
  return { url, method, timeoutMs, issues };
}

function invalidUrl(url: string): ConfigError {
  return new ConfigError(`Invalid URL "${url}": expected an absolute http:// or https:// URL`);
}
