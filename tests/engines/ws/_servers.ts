/**
 * WebSocket servers rampa did not write, on 127.0.0.1: the `ws` package's server, one on
 * `Deno.upgradeWebSocket`, a TCP listener that never answers, and a port nobody listens on.
 *
 * @module
 */
import { WebSocketServer } from "ws";

/** A running server. */
export interface TestServer {
  readonly url: string;
  /** Handshake request headers, in arrival order. */
  readonly handshakes: Headers[];
  close(): Promise<void>;
}

/**
 * The `ws` package's server. Echoes every message; `bye` makes it drop the TCP connection
 * (no close frame), `fail` makes it close with 1011; a path starting `/forbidden` is refused
 * with 403.
 */
export async function wsPackageServer(): Promise<TestServer> {
  const handshakes: Headers[] = [];
  const wss = new WebSocketServer({
    host: "127.0.0.1",
    port: 0,
    verifyClient: (
      info: { req: { url?: string; headers: Record<string, string> } },
      done: (ok: boolean, code?: number) => void,
    ) => {
      handshakes.push(new Headers(info.req.headers));
      if (info.req.url?.startsWith("/forbidden")) done(false, 403);
      else done(true);
    },
  });
  wss.on("connection", (ws: import("ws").WebSocket) => {
    ws.on("message", (data: unknown, isBinary: boolean) => {
      const text = String(data);
      if (!isBinary && text === "bye") ws.terminate();
      else if (!isBinary && text === "fail") ws.close(1011, "server failed");
      else ws.send(data as string, { binary: isBinary });
    });
  });
  await new Promise((r) => wss.once("listening", r));
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    handshakes,
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

/** An echo server on `Deno.upgradeWebSocket`; picks the first offered subprotocol. */
export function denoServer(): TestServer {
  const handshakes: Headers[] = [];
  const socks = new Set<WebSocket>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    handshakes.push(new Headers(req.headers));
    const offered = req.headers.get("sec-websocket-protocol")?.split(",")[0]?.trim();
    const { socket, response } = Deno.upgradeWebSocket(req, offered ? { protocol: offered } : {});
    socks.add(socket);
    socket.onmessage = (e) => socket.send(e.data);
    socket.onclose = () => socks.delete(socket);
    return response;
  });
  return {
    url: `ws://127.0.0.1:${server.addr.port}`,
    handshakes,
    close: async () => {
      for (const s of socks) s.close();
      await server.shutdown();
    },
  };
}

/** A TCP listener that accepts connections and never answers. */
export function silentServer(): TestServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const c of listener) conns.push(c);
  })().catch(() => {});
  return {
    url: `ws://127.0.0.1:${listener.addr.port}`,
    handshakes: [],
    close: () => {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
      return Promise.resolve();
    },
  };
}

/** A loopback port nobody listens on (bound, then released). */
export function refusedUrl(): string {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return `ws://127.0.0.1:${port}`;
}
