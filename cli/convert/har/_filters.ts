/**
 * What a browser recording holds that a load test must not replay: static assets (the CDN's
 * job, not the application's), requests to other hosts (analytics, fonts, ads), CORS
 * preflights and upgrades the browser made on its own, and headers that are the browser's
 * business (cookies, which rampa's per-VU jar handles, compression, caching, fingerprints).
 *
 * @module
 */

const STATIC_EXT =
  /\.(?:js|mjs|css|map|png|jpe?g|gif|webp|avif|svg|ico|bmp|woff2?|ttf|otf|eot|mp4|webm|mp3|ogg|wav|wasm|pdf)$/i;
const STATIC_MIME = /^(?:image|font|audio|video)\/|css|javascript|ecmascript|wasm/i;

/** True when an entry fetched a static asset, by path extension or response type. */
export function isStatic(url: URL, responseMime: string | undefined): boolean {
  return STATIC_EXT.test(url.pathname) || (!!responseMime && STATIC_MIME.test(responseMime));
}

/** True when `host` matches one of `patterns` (`example.com`, or `*.example.com` for subdomains). */
export function hostMatches(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase();
  return patterns.some((p) => {
    const q = p.toLowerCase().trim();
    if (q.startsWith("*.")) return h.endsWith(q.slice(1)) || h === q.slice(2);
    return h === q;
  });
}

/** Request headers the browser sets for itself; replaying them adds nothing or misleads. */
const DROPPED_HEADERS = new Set([
  "host",
  "connection",
  "keep-alive",
  "content-length",
  "accept-encoding",
  "accept-language",
  "cookie",
  "user-agent",
  "referer",
  "origin",
  "cache-control",
  "pragma",
  "if-none-match",
  "if-modified-since",
  "upgrade-insecure-requests",
  "dnt",
  "te",
  "priority",
  "purpose",
  "x-client-data",
]);

/** True when a recorded request header is worth replaying (auth, content type, app headers). */
export function keepsHeader(name: string): boolean {
  const n = name.toLowerCase();
  return !n.startsWith(":") && !n.startsWith("sec-") && !n.startsWith("proxy-") &&
    !DROPPED_HEADERS.has(n);
}

/** Response headers never worth correlating: standard metadata, not application values. */
const PLAIN_RESPONSE_HEADERS = new Set([
  "date",
  "server",
  "content-type",
  "content-length",
  "content-encoding",
  "connection",
  "keep-alive",
  "vary",
  "cache-control",
  "expires",
  "last-modified",
  "set-cookie",
  "transfer-encoding",
  "age",
  "via",
  "alt-svc",
  "strict-transport-security",
  "access-control-allow-origin",
  "access-control-allow-headers",
  "access-control-allow-methods",
  "access-control-expose-headers",
  "content-security-policy",
  "x-content-type-options",
  "x-frame-options",
  "referrer-policy",
]);

/** True when a response header's value may be something the client sends back later. */
export function correlatesHeader(name: string): boolean {
  return !PLAIN_RESPONSE_HEADERS.has(name.toLowerCase());
}
