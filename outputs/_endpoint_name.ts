/**
 * Endpoint names shortened to a width the way a reader wants them: the scheme and host go
 * first (`POST http://127.0.0.1:8032/auth/login` → `POST …/auth/login`), then whole leading
 * path segments (`GET …/login`). The path is never cut in its middle, where two endpoints
 * that differ only there would read the same. Private to outputs/.
 *
 * @example
 * ```ts
 * import { shortEndpointName } from "./_endpoint_name.ts";
 * shortEndpointName("POST http://127.0.0.1:8032/auth/login", 20); // "POST …/auth/login"
 * ```
 *
 * @module
 */

const ELLIPSIS = "…";
const METHOD = /^([A-Z][A-Z0-9_-]*) (.*)$/s;
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** Cuts `s` at its end to `width` characters, the last one an ellipsis. */
function cutEnd(s: string, width: number): string {
  if (s.length <= width) return s;
  return width <= 1 ? ELLIPSIS.slice(0, width) : s.slice(0, width - 1) + ELLIPSIS;
}

/**
 * `name` (often `METHOD url`) in at most `width` characters: unchanged when it fits; else
 * without its scheme and host, then without leading path segments; only a last segment that
 * alone is too long is cut, at its end.
 */
export function shortEndpointName(name: string, width: number): string {
  if (name.length <= width) return name;
  const m = METHOD.exec(name);
  const method = m ? m[1] + " " : "";
  let rest = m ? m[2] : name;
  const origin = ORIGIN.exec(rest);
  if (origin) rest = rest.slice(origin[0].length) || "/";
  else if (!rest.startsWith("/")) return cutEnd(name, width);
  const room = width - method.length;
  if (room < 2) return cutEnd(name, width);
  // Without the origin, a leading ellipsis says something was left out.
  const withDots = (path: string) => (origin ? ELLIPSIS + path : path);
  if (withDots(rest).length <= room) return method + withDots(rest);
  const segments = rest.split("/");
  for (let i = 2; i < segments.length; i++) {
    const tail = ELLIPSIS + "/" + segments.slice(i).join("/");
    if (tail.length <= room) return method + tail;
  }
  return method + cutEnd(ELLIPSIS + "/" + segments[segments.length - 1], room);
}
