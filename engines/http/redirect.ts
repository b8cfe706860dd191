/**
 * Following redirects, one hop at a time: whether a response is a redirect to follow, and the
 * request of the next hop (method, body and headers as browsers and Go's net/http change
 * them). The caller sends and records each hop as its own request.
 *
 * @module
 */

/** Redirects followed when neither the request nor the run says otherwise (k6's default). */
export const DEFAULT_MAX_REDIRECTS = 10;

/** The request of one hop. */
export interface Hop {
  readonly method: string;
  readonly url: string;
  readonly headers: [string, string][];
  readonly payload: string | Uint8Array | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that describe a body: dropped with the body when a hop turns into a GET. */
const BODY_HEADERS = new Set(["content-type", "content-length", "content-encoding"]);
/**
 * Headers that must not follow a request to another origin: credentials (Go's net/http drops
 * them too) and the user's Host, which named the old origin.
 */
const ORIGIN_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "host"]);

/** The absolute URL a redirect response points to, or null when it is no followable redirect. */
export function redirectTarget(status: number, location: string | null, from: string): URL | null {
  if (!REDIRECTS.has(status) || location === null || location === "") return null;
  const u = URL.parse(location, from);
  return u !== null && (u.protocol === "http:" || u.protocol === "https:") ? u : null;
}

/**
 * The next hop after a `status` redirect to `to`: 301/302/303 become a GET without body
 * (HEAD stays HEAD), 307/308 repeat method and body (RFC 9110 §15.4). Cookie headers are
 * always dropped (the caller adds the jar's cookies for the new URL).
 */
export function nextHop(prev: Hop, status: number, to: URL): Hop {
  const keep = status === 307 || status === 308;
  const method = keep || prev.method === "HEAD" ? prev.method : "GET";
  const crossOrigin = new URL(prev.url).origin !== to.origin;
  const headers = prev.headers.filter(([k]) => {
    const name = k.toLowerCase();
    if (name === "cookie") return false;
    if (!keep && BODY_HEADERS.has(name)) return false;
    return !(crossOrigin && ORIGIN_HEADERS.has(name));
  });
  return { method, url: to.href, headers, payload: keep ? prev.payload : null };
}
