/**
 * Misbehaving TCP servers for tests: each one fails a client in one specific way (refused,
 * silent, reset, garbage, short body), so engines can be checked against every error kind
 * without touching the network. All of them listen on 127.0.0.1 on an ephemeral port, track
 * the connections they accepted and close every one of them on `close()`, so a test that
 * awaits `close()` leaks no resources.
 *
 * The servers read the request only up to the end of its headers: they are meant for GET
 * requests. A request body left unread when a connection is closed makes Linux answer with a
 * RST instead of a FIN, which would change the failure a client sees.
 *
 * @module
 */

import net from "node:net";

/** A running fault server. */
export interface FaultServer {
  /** Base URL, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** The ephemeral port it listens on. */
  readonly port: number;
  /** Stops accepting, closes every accepted connection and waits for the handlers to end. */
  close(): Promise<void>;
}

/** Options of {@link startResetServer}. */
export interface ResetServerOptions {
  /**
   * Reset the connection (RST; fetch reports "Connection reset by peer"). With `false` the
   * close is an orderly FIN (fetch reports "connection closed before message completed").
   * Default `true`.
   */
  abortive?: boolean;
}

const encoder = new TextEncoder();
const HEAD_END = encoder.encode("\r\n\r\n");

/** The garbage {@link startMalformedServer} answers with: no status line a client can parse. */
export const MALFORMED_RESPONSE = "NOT-HTTP garbage\r\n\r\n";

/** Declared body length of {@link startPartialServer}; it sends only {@link PARTIAL_SENT}. */
export const PARTIAL_DECLARED = 100;
/** Body bytes {@link startPartialServer} actually sends before closing. */
export const PARTIAL_SENT = 10;

/**
 * Returns a port on 127.0.0.1 that nothing listens on, so connecting to it is refused. The port
 * was bound and released just now; another socket could take it in between, but ephemeral ports
 * come from a range of thousands, so a test using it at once is very unlikely to hit that.
 */
export function refusedPort(): Promise<number> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return Promise.resolve(port);
}

/** Accepts connections and reads them forever without answering: every request times out. */
export function startSilentServer(): Promise<FaultServer> {
  return startFaultServer(async (conn) => {
    const buf = new Uint8Array(16 * 1024);
    // Keep draining so the client's writes never block; only close() ends this.
    while ((await conn.read(buf)) !== null) {
      // discard
    }
  });
}

/**
 * Accepts, reads the request and closes without answering. By default the close is abortive:
 * a real RST (see {@link ResetServerOptions.abortive}).
 */
export function startResetServer(options: ResetServerOptions = {}): Promise<FaultServer> {
  if (!(options.abortive ?? true)) return startFaultServer((conn) => readHead(conn));
  return startRstServer();
}

/** Answers every request with {@link MALFORMED_RESPONSE} (not HTTP) and closes. */
export function startMalformedServer(): Promise<FaultServer> {
  return startFaultServer(async (conn) => {
    await readHead(conn);
    await writeAll(conn, encoder.encode(MALFORMED_RESPONSE));
  });
}

/**
 * Answers with a valid status line and `Content-Length: 100`, sends only 10 body bytes and
 * closes: the client gets a status but never a complete body.
 */
export function startPartialServer(): Promise<FaultServer> {
  return startFaultServer(async (conn) => {
    await readHead(conn);
    const head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" +
      `Content-Length: ${PARTIAL_DECLARED}\r\n\r\n`;
    await writeAll(conn, encoder.encode(head + "x".repeat(PARTIAL_SENT)));
  });
}

/**
 * Runs `handle` for each accepted connection and closes the connection when it returns or
 * throws. Errors are swallowed: a fault server's handlers fail by design when close() pulls
 * the connection from under them.
 */
function startFaultServer(
  handle: (conn: Deno.TcpConn) => Promise<void>,
): Promise<FaultServer> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const conns = new Set<Deno.TcpConn>();
  const handlers = new Set<Promise<void>>();
  let closed = false;

  const serve = async (conn: Deno.TcpConn): Promise<void> => {
    try {
      await handle(conn);
    } catch {
      // The peer went away or close() closed the connection: both are expected here.
    } finally {
      if (conns.delete(conn)) closeQuietly(conn);
    }
  };

  const acceptLoop = (async (): Promise<void> => {
    try {
      for await (const conn of listener) {
        if (closed) {
          closeQuietly(conn);
          continue;
        }
        conns.add(conn);
        const p = serve(conn);
        handlers.add(p);
        p.finally(() => handlers.delete(p));
      }
    } catch {
      // listener.close() ends the loop, sometimes with an error.
    }
  })();

  return Promise.resolve({
    url: `http://127.0.0.1:${port}/`,
    port,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      closeQuietly(listener);
      for (const conn of conns) closeQuietly(conn);
      conns.clear();
      await acceptLoop;
      await Promise.allSettled([...handlers]);
    },
  });
}

/**
 * The abortive reset server. Deno's own TCP API has no SO_LINGER, and closing a `Deno.Conn`
 * with unread input still sent a FIN first here (measured on 2.9.6), so this one uses
 * `node:net`, whose `resetAndDestroy()` sends a real RST.
 */
function startRstServer(): Promise<FaultServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {}); // a peer that went away first is fine
    socket.once("data", () => socket.resetAndDestroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      let closing: Promise<void> | null = null;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        port,
        close(): Promise<void> {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          });
          return closing;
        },
      });
    });
  });
}

/** Reads until the end of the request head (`\r\n\r\n`) or EOF, whichever comes first. */
async function readHead(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(16 * 1024);
  let tail: number[] = [];
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) return;
    // Keep the last 3 bytes across reads so a terminator split over two reads is still seen.
    const bytes = [...tail, ...buf.subarray(0, n)];
    for (let i = 0; i + HEAD_END.length <= bytes.length; i++) {
      if (HEAD_END.every((b, j) => bytes[i + j] === b)) return;
    }
    tail = bytes.slice(-3);
  }
}

/** Writes every byte (Deno's `write` may write fewer than asked). */
async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

/** Closes a resource that may already be closed. */
function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // already closed
  }
}
