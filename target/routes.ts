/**
 * The routes of rampa's embedded target. Each route names a low-cardinality template (such as
 * `/api/items/:id`) so the server can count requests per route without one counter per id.
 * Fault injection (latency, errors, stalls) lives in `server.ts`; routes only answer.
 *
 * @module
 */

import { matchStreamRoute } from "./stream_routes.ts";
import type { RouteContext, RouteHandler, RouteMatch } from "./route_types.ts";

export type { RouteContext, RouteHandler, RouteMatch };

/** Longest `/delay/:ms` wait, so a typo cannot park a connection for hours. */
export const MAX_DELAY_MS = 60_000;
/** Largest `/bytes/:n` body (16 MiB), so one request cannot exhaust the server's memory. */
export const MAX_BYTES = 16 * 1024 * 1024;
/** Highest item id `/api/items/:id` knows; ids beyond it are 404, like a real catalogue. */
export const MAX_ITEM_ID = 1000;

const HELLO = "Hello, rampa!";
const NULL_BODY = new Set([204, 205, 304]);
const DIGITS = /^\d+$/;
const ITEMS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
let pattern: Uint8Array<ArrayBuffer> = new Uint8Array(0);

function text(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

function json(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function item(id: number): { id: number; name: string; price: number } {
  return { id, name: `item-${id}`, price: ((id * 37) % 100) + 0.99 };
}

/** A shared, lazily grown body buffer: `/bytes/:n` must not allocate per request. */
function bytes(n: number): Uint8Array<ArrayBuffer> {
  if (pattern.length < n) {
    pattern = new Uint8Array(Math.max(n, 64 * 1024));
    for (let i = 0; i < pattern.length; i++) pattern[i] = i & 0xff;
  }
  return pattern.subarray(0, n);
}

function methodNotAllowed(allow: string): Response {
  return new Response(`Method not allowed; use ${allow}\n`, { status: 405, headers: { allow } });
}

function isRead(req: Request): boolean {
  return req.method === "GET" || req.method === "HEAD";
}

function userFromRequest(req: Request): string | null {
  const auth = req.headers.get("authorization") ?? "";
  const bearer = /^Bearer tok-(.+)$/.exec(auth);
  if (bearer) return bearer[1];
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === "session" && rest.length > 0) {
      const value = rest.join("=");
      if (value.startsWith("s.") && value.length > 2) {
        try {
          return decodeURIComponent(value.slice(2));
        } catch {
          return null;
        }
      }
    }
  }
  return null;
}

async function login(req: Request): Promise<Response> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return json({ error: 'Body must be JSON: {"username", "password"}' }, 400);
  }
  const { username, password } = (body ?? {}) as Record<string, unknown>;
  if (typeof username !== "string" || username === "" || typeof password !== "string") {
    return json({ error: "Body needs a non-empty string username and a string password" }, 400);
  }
  const session = `s.${encodeURIComponent(username)}`;
  return json({ token: `tok-${username}` }, 200, { "set-cookie": `session=${session}; Path=/` });
}

async function echo(req: Request, url: URL): Promise<Response> {
  const body = req.body ? await req.text() : "";
  return json({
    method: req.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(req.headers),
    body,
  });
}

/** Wraps a GET route so other methods get a 405 rather than a silent answer. */
function get(template: string, fn: RouteHandler): RouteMatch {
  return {
    template,
    faulty: true,
    handle: (req, url, ctx) =>
      isRead(req) ? fn(req, url, ctx) : Promise.resolve(methodNotAllowed("GET")),
  };
}

function param(
  template: string,
  prefix: string,
  path: string,
  fn: (p: string, ctx: RouteContext, req: Request) => Promise<Response> | Response,
): RouteMatch | null {
  if (!path.startsWith(prefix) || path.length === prefix.length) return null;
  const p = path.slice(prefix.length);
  if (p.includes("/")) return null;
  return get(template, (req, _url, ctx) => Promise.resolve(fn(p, ctx, req)));
}

function status(p: string): Response {
  const code = DIGITS.test(p) ? Number(p) : NaN;
  if (!(code >= 100 && code <= 599)) return text(`Invalid status "${p}": use 100..599\n`, 400);
  // The Fetch API cannot send an informational status as a final response.
  if (code < 200) {
    return text(`Status ${code} is informational and cannot be a final answer\n`, 400);
  }
  if (NULL_BODY.has(code)) return new Response(null, { status: code });
  return text(`${code}\n`, code);
}

async function delay(p: string, ctx: RouteContext): Promise<Response> {
  if (!DIGITS.test(p)) return text(`Invalid delay "${p}": use whole milliseconds\n`, 400);
  const ms = Math.min(Number(p), MAX_DELAY_MS);
  if (!(await ctx.sleep(ms))) return text("Server closing\n", 503);
  return text(`Delayed ${ms}ms\n`);
}

const STATIC_ROUTES: ReadonlyMap<string, RouteMatch> = new Map([
  ["/", get("/", () => Promise.resolve(text(HELLO)))],
  ["/health", { ...get("/health", () => Promise.resolve(text("ok"))), faulty: false }],
  ["/api/items", get("/api/items", () => Promise.resolve(json(ITEMS.map(item))))],
  ["/echo", { template: "/echo", faulty: true, handle: echo }],
  ["/login", {
    template: "/login",
    faulty: true,
    handle: (req) => req.method === "POST" ? login(req) : Promise.resolve(methodNotAllowed("POST")),
  }],
  [
    "/me",
    get("/me", (req) => {
      const user = userFromRequest(req);
      return Promise.resolve(user ? json({ user }) : json({ error: "Not logged in" }, 401));
    }),
  ],
]);

const UNMATCHED: RouteMatch = {
  template: "(unmatched)",
  faulty: true,
  handle: () => Promise.resolve(text("Not found\n", 404)),
};

/** Finds the route for `path`; unknown paths match a catch-all 404 counted as `(unmatched)`. */
export function matchRoute(path: string): RouteMatch {
  return STATIC_ROUTES.get(path) ??
    matchStreamRoute(path) ??
    param("/api/items/:id", "/api/items/", path, (p) => {
      const id = DIGITS.test(p) ? Number(p) : NaN;
      return id >= 1 && id <= MAX_ITEM_ID ? json(item(id)) : json({ error: `No item "${p}"` }, 404);
    }) ??
    param("/status/:code", "/status/", path, status) ??
    param("/delay/:ms", "/delay/", path, delay) ??
    param("/bytes/:n", "/bytes/", path, (p) => {
      if (!DIGITS.test(p)) return text(`Invalid byte count "${p}": use a whole number\n`, 400);
      return new Response(bytes(Math.min(Number(p), MAX_BYTES)), {
        headers: { "content-type": "application/octet-stream" },
      });
    }) ??
    UNMATCHED;
}
