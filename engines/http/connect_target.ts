/**
 * Where a request's connection goes, as every HTTP engine pools it: the origin key, the host
 * to dial (an IPv6 literal without its brackets), the port with the scheme's default, TLS or
 * not, and the name for SNI. Also the header syntax both wire engines check before sending.
 *
 * @module
 */

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
