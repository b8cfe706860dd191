/**
 * The embedded target's WebSocket and server-sent-events routes: `/ws/echo`,
 * `/ws/broadcast?hz=N` (server push), `/ws/close?after=N` (the server ends the session), and
 * `/sse?hz=N&n=M`. They go through the same fault injection as every other route (latency,
 * jitter, stalls delay the handshake or the first byte). Pushing loops wait on the server's
 * cancellable timers, so a closing server ends them instead of being kept alive.
 *
 * @module
 */
import type { RouteContext, RouteMatch } from "./route_types.ts";

/** Highest push rate a route accepts, per second. */
export const MAX_HZ = 1000;

function bad(message: string): Response {
  return new Response(message + "\n", { status: 400 });
}

function num(url: URL, key: string, dflt: number, max: number): number | null {
  const raw = url.searchParams.get(key);
  if (raw === null) return dflt;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 && n <= max ? n : null;
}

function upgrade(req: Request): { socket: WebSocket; response: Response } | Response {
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return new Response("Expected a WebSocket upgrade\n", { status: 426 });
  }
  return Deno.upgradeWebSocket(req);
}

function echoSocket(req: Request, after: number): Response {
  const u = upgrade(req);
  if (u instanceof Response) return u;
  let n = 0;
  u.socket.onmessage = (e) => {
    u.socket.send(e.data);
    if (++n === after) u.socket.close(1000, `closed after ${after} messages`);
  };
  return u.response;
}

function broadcast(req: Request, url: URL, ctx: RouteContext): Response {
  const hz = num(url, "hz", 10, MAX_HZ);
  if (hz === null || hz === 0) return bad(`Invalid hz: use 1..${MAX_HZ}`);
  const u = upgrade(req);
  if (u instanceof Response) return u;
  const socket = u.socket;
  socket.onopen = async () => {
    const t0 = performance.now();
    // Paced against absolute time (timers overshoot; chained sleeps would drift).
    for (let i = 1; socket.readyState === WebSocket.OPEN; i++) {
      socket.send(JSON.stringify({ n: i, at: Date.now() }));
      const wait = t0 + (i * 1000) / hz - performance.now();
      if (!(await ctx.sleep(Math.max(0, wait)))) {
        socket.close(1001, "server closing");
        return;
      }
    }
  };
  return u.response;
}

function sse(url: URL, ctx: RouteContext): Response {
  const hz = num(url, "hz", 10, MAX_HZ);
  const n = num(url, "n", 10, 1_000_000);
  if (hz === null || hz === 0) return bad(`Invalid hz: use 1..${MAX_HZ}`);
  if (n === null) return bad("Invalid n: use a whole number of events");
  const enc = new TextEncoder();
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    async start(c) {
      const t0 = performance.now();
      for (let i = 1; i <= n && !cancelled; i++) {
        c.enqueue(enc.encode(`id: ${i}\nevent: tick\ndata: {"n":${i}}\n\n`));
        if (i === n) break;
        if (!(await ctx.sleep(Math.max(0, t0 + (i * 1000) / hz - performance.now())))) break;
      }
      if (!cancelled) c.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

/** The route for `path`, or null when it is not one of these. */
export function matchStreamRoute(path: string): RouteMatch | null {
  switch (path) {
    case "/ws/echo":
      return { template: path, faulty: true, handle: (req) => Promise.resolve(echoSocket(req, 0)) };
    case "/ws/close":
      return {
        template: path,
        faulty: true,
        handle: (req, url) => {
          const after = num(url, "after", 1, 1_000_000);
          if (after === null || after === 0) return Promise.resolve(bad("Invalid after: use ≥ 1"));
          return Promise.resolve(echoSocket(req, after));
        },
      };
    case "/ws/broadcast":
      return {
        template: path,
        faulty: true,
        handle: (req, url, ctx) => Promise.resolve(broadcast(req, url, ctx)),
      };
    case "/sse":
      return {
        template: path,
        faulty: true,
        handle: (_req, url, ctx) => Promise.resolve(sse(url, ctx)),
      };
    default:
      return null;
  }
}
