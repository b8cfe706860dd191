/**
 * Fault servers for the reliability suite: one raw-TCP listener per way a target can fail a load
 * generator (refused, silent, reset, garbage, truncated, slow-drip, oversized headers or body,
 * dying after N answers), plus a healthy one. Every server counts the connections it accepted
 * and the request heads it read, so a test can assert that invalid input sent no load at all, or
 * that a summary counted exactly what the target answered.
 *
 * All listen on 127.0.0.1 on an ephemeral port and close every accepted connection on
 * `close()`. It lives in tools/testing/ beside nginx.ts so tests and benchmarks can share it.
 *
 * @example
 * ```ts
 * const target = await startFaultServer("silent");
 * // … run the CLI against target.url …
 * console.log(target.connections, target.requests);
 * await target.close();
 * ```
 *
 * @module
 */

import net from "node:net";

/** Every way a fault server can (mis)behave. */
export const FAULT_KINDS = [
  "healthy",
  "refused",
  "silent",
  "reset",
  "garbage",
  "truncated",
  "slow-drip",
  "oversized-headers",
  "oversized-body",
  "dying",
] as const;

/** One of {@link FAULT_KINDS}. */
export type FaultKind = typeof FAULT_KINDS[number];

/** Options of {@link startFaultServer}. */
export interface FaultOptions {
  /** `dying`: requests answered before the server closes everything and stops listening. @default 5 */
  dieAfter?: number;
  /** `oversized-body`: body bytes announced and sent. @default 100 MiB */
  bodyBytes?: number;
  /** `oversized-headers`: header bytes sent before the body. @default 1 MiB */
  headerBytes?: number;
  /** `slow-drip`: milliseconds between bytes. @default 100 */
  dripMs?: number;
}

/** A running fault server. */
export interface FaultServer {
  /** What it does. */
  readonly kind: FaultKind;
  /** Base URL, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** The port (for `refused`, a port nothing listens on). */
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Request heads read so far (the load it received). */
  readonly requests: number;
  /** Responses completed so far (`healthy`, `dying`). */
  readonly answered: number;
  /** Stops listening, closes every connection and waits for the handlers. Idempotent. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();
const OK_RESPONSE = encoder.encode(
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok",
);
const BAD_REQUEST = encoder.encode(
  "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
);
/** What `garbage` answers: bytes no HTTP client can parse as a status line. */
export const GARBAGE_RESPONSE: Uint8Array = encoder.encode(
  "\x00\xffNOT-HTTP \x1b[2J garbage\r\n\r\n",
);
/** `truncated`: the announced body length; only {@link TRUNCATED_SENT} bytes follow. */
export const TRUNCATED_DECLARED = 1000;
/** `truncated`: body bytes actually sent before the close. */
export const TRUNCATED_SENT = 10;

/** Returns a 127.0.0.1 port nothing listens on (bound and released just now). */
export function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

/** Starts a fault server of `kind`. */
export function startFaultServer(
  kind: FaultKind,
  options: FaultOptions = {},
): Promise<FaultServer> {
  if (kind === "refused") {
    const port = closedPort();
    return Promise.resolve({
      kind,
      url: `http://127.0.0.1:${port}/`,
      port,
      connections: 0,
      requests: 0,
      answered: 0,
      close: () => Promise.resolve(),
    });
  }
  if (kind === "reset") return startRstServer();
  return Promise.resolve(startRawServer(kind, options));
}

interface Counters {
  connections: number;
  requests: number;
  answered: number;
}

/** The Deno.listen servers: every kind but refused and reset. */
function startRawServer(kind: FaultKind, options: FaultOptions): FaultServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const conns = new Set<Deno.TcpConn>();
  const handlers = new Set<Promise<void>>();
  const counters: Counters = { connections: 0, requests: 0, answered: 0 };
  let closed = false;
  let closing: Promise<void> | null = null;

  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      closed = true;
      closeQuietly(listener);
      for (const c of conns) closeQuietly(c);
      conns.clear();
      await acceptLoop;
      await Promise.allSettled([...handlers]);
    })();
    return closing;
  };

  const handle = handlerFor(kind, options, counters, () => void shutdown());

  const acceptLoop = (async () => {
    try {
      for await (const conn of listener) {
        if (closed) {
          closeQuietly(conn);
          continue;
        }
        counters.connections++;
        conns.add(conn);
        const p = (async () => {
          try {
            await handle(conn);
          } catch {
            // The peer went away or close() pulled the connection: expected here.
          } finally {
            if (conns.delete(conn)) closeQuietly(conn);
          }
        })();
        handlers.add(p);
        p.finally(() => handlers.delete(p));
      }
    } catch {
      // listener.close() ends the loop, sometimes with an error.
    }
  })();

  return {
    kind,
    url: `http://127.0.0.1:${port}/`,
    port,
    get connections() {
      return counters.connections;
    },
    get requests() {
      return counters.requests;
    },
    get answered() {
      return counters.answered;
    },
    close: shutdown,
  };
}

type Handler = (conn: Deno.TcpConn) => Promise<void>;

function handlerFor(
  kind: FaultKind,
  o: FaultOptions,
  n: Counters,
  die: () => void,
): Handler {
  switch (kind) {
    case "healthy":
    case "dying": {
      const limit = kind === "dying" ? (o.dieAfter ?? 5) : Infinity;
      // Die a moment after the last answer, so that answer reaches the client before the close.
      let dying = false;
      const dieSoon = () => {
        if (!dying) setTimeout(die, 200);
        dying = true;
      };
      return async (conn) => {
        const reader = new HeadReader(conn);
        for (;;) {
          const head = await reader.next();
          if (head === null) return;
          if (head === "bad") {
            await writeAll(conn, BAD_REQUEST);
            return;
          }
          n.requests++;
          if (n.answered >= limit) return dieSoon(); // closes this connection unanswered
          await writeAll(conn, OK_RESPONSE);
          n.answered++;
          if (n.answered >= limit) dieSoon();
        }
      };
    }
    case "silent":
      return async (conn) => {
        const reader = new HeadReader(conn);
        // Count each request, answer none; keep draining so the client's writes never block.
        for (;;) {
          const head = await reader.next();
          if (head === null) return;
          if (head === "bad") return await drain(conn); // e.g. a TLS ClientHello: stay silent
          n.requests++;
        }
      };
    case "garbage":
      return async (conn) => {
        if ((await new HeadReader(conn).next()) === null) return;
        n.requests++;
        await writeAll(conn, GARBAGE_RESPONSE);
      };
    case "truncated":
      return async (conn) => {
        if ((await new HeadReader(conn).next()) === null) return;
        n.requests++;
        const head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" +
          `Content-Length: ${TRUNCATED_DECLARED}\r\n\r\n`;
        await writeAll(conn, encoder.encode(head + "x".repeat(TRUNCATED_SENT)));
      };
    case "slow-drip":
      return async (conn) => {
        if ((await new HeadReader(conn).next()) === null) return;
        n.requests++;
        const bytes = encoder.encode(
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n" +
            "d".repeat(100),
        );
        for (const b of bytes) {
          await writeAll(conn, new Uint8Array([b]));
          await new Promise((r) => setTimeout(r, o.dripMs ?? 100));
        }
      };
    case "oversized-headers":
      return async (conn) => {
        if ((await new HeadReader(conn).next()) === null) return;
        n.requests++;
        await writeAll(conn, encoder.encode("HTTP/1.1 200 OK\r\n"));
        const line = encoder.encode(`X-Filler: ${"h".repeat(1000)}\r\n`);
        for (let sent = 0; sent < (o.headerBytes ?? 1 << 20); sent += line.length) {
          await writeAll(conn, line);
        }
        await writeAll(conn, encoder.encode("Content-Length: 2\r\n\r\nok"));
      };
    case "oversized-body":
      return async (conn) => {
        if ((await new HeadReader(conn).next()) === null) return;
        n.requests++;
        const total = o.bodyBytes ?? 100 << 20;
        await writeAll(
          conn,
          encoder.encode(
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n" +
              `Content-Length: ${total}\r\nConnection: close\r\n\r\n`,
          ),
        );
        const chunk = new Uint8Array(256 * 1024).fill(0x61);
        for (let sent = 0; sent < total; sent += chunk.length) {
          await writeAll(conn, chunk.subarray(0, Math.min(chunk.length, total - sent)));
        }
        n.answered++;
      };
    default:
      throw new Error(`no raw handler for ${kind}`);
  }
}

/**
 * Reads request heads off a connection one by one, skipping a `Content-Length` body after each.
 * Returns "bad" when the first bytes are not an HTTP request line (e.g. a TLS ClientHello), as
 * a real server would answer 400.
 */
class HeadReader {
  #buf = new Uint8Array(0);
  #chunk = new Uint8Array(64 * 1024);
  constructor(private conn: Deno.Conn) {}

  async next(): Promise<string | "bad" | null> {
    for (;;) {
      const end = indexOfHeadEnd(this.#buf);
      if (end >= 0) {
        const head = new TextDecoder().decode(this.#buf.subarray(0, end));
        this.#buf = this.#buf.subarray(end + 4);
        if (!/^[A-Z]+ \S+ HTTP\/1\.[01]/.test(head)) return "bad";
        const len = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        await this.#skip(len);
        return head;
      }
      if (this.#buf.length >= 4 && !/^[A-Z]{1,10}( |$)/.test(ascii(this.#buf.subarray(0, 11)))) {
        return "bad";
      }
      if (this.#buf.length > 1 << 20) return "bad";
      if (!(await this.#fill())) return null;
    }
  }

  async #fill(): Promise<boolean> {
    const n = await this.conn.read(this.#chunk);
    if (n === null) return false;
    const next = new Uint8Array(this.#buf.length + n);
    next.set(this.#buf);
    next.set(this.#chunk.subarray(0, n), this.#buf.length);
    this.#buf = next;
    return true;
  }

  async #skip(len: number): Promise<void> {
    while (this.#buf.length < len) {
      if (!(await this.#fill())) return;
    }
    this.#buf = this.#buf.subarray(len);
  }
}

function ascii(b: Uint8Array): string {
  return String.fromCharCode(...b);
}

function indexOfHeadEnd(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  }
  return -1;
}

/**
 * `reset`: a real RST as soon as the request arrives. Deno's TCP API has no SO_LINGER and a
 * plain close sends a FIN, so this one uses node:net's `resetAndDestroy()`.
 */
function startRstServer(): Promise<FaultServer> {
  const sockets = new Set<net.Socket>();
  const n: Counters = { connections: 0, requests: 0, answered: 0 };
  const server = net.createServer((socket) => {
    n.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.once("data", () => {
      n.requests++;
      socket.resetAndDestroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      let closing: Promise<void> | null = null;
      resolve({
        kind: "reset",
        url: `http://127.0.0.1:${port}/`,
        port,
        get connections() {
          return n.connections;
        },
        get requests() {
          return n.requests;
        },
        get answered() {
          return 0;
        },
        close(): Promise<void> {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          });
          return closing;
        },
      });
    });
  });
}

/** Reads and discards until the peer closes. */
async function drain(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(16 * 1024);
  while ((await conn.read(buf)) !== null) {
    // discard
  }
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // already closed
  }
}
