/**
 * Raw TCP servers for the http1 client tests: they write exact bytes, so a test can produce
 * what no well-behaved server library would (a keep-alive connection closed between
 * requests, a response dribbled byte by byte, an interim 1xx, an HTTP/1.0 close-delimited
 * body). Each counts the connections it accepted, which is how tests observe reuse.
 *
 * @module
 */

const encoder = new TextEncoder();

/** A running raw server. */
export interface RawServer {
  readonly port: number;
  readonly url: string;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  /** Request heads received so far, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** The connection-side API a handler gets. */
export interface RawConn {
  /** Reads one request head (through the blank line); null at EOF. */
  readHead(): Promise<string | null>;
  /** Writes every byte of `data`. */
  write(data: string | Uint8Array): Promise<void>;
  /** Which accepted connection this is (0-based). */
  readonly index: number;
  readonly conn: Deno.TcpConn;
}

/** Starts a server running `handle` for each connection, closing it when `handle` returns. */
export function startRawServer(handle: (c: RawConn) => Promise<void>): RawServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const conns = new Set<Deno.TcpConn>();
  const handlers: Promise<void>[] = [];
  const requests: string[] = [];
  let accepted = 0;
  const loop = (async (): Promise<void> => {
    try {
      for await (const conn of listener) {
        conns.add(conn);
        const raw = rawConn(conn, accepted++, requests);
        handlers.push(
          handle(raw).catch(() => {}).finally(() => {
            conns.delete(conn);
            try {
              conn.close();
            } catch { /* closed already */ }
          }),
        );
      }
    } catch { /* listener closed */ }
  })();
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    accepted: () => accepted,
    requests,
    async close(): Promise<void> {
      try {
        listener.close();
      } catch { /* closed already */ }
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed already */ }
      }
      await loop;
      await Promise.allSettled(handlers);
    },
  };
}

function rawConn(conn: Deno.TcpConn, index: number, requests: string[]): RawConn {
  let pending = "";
  const buf = new Uint8Array(16384);
  const decoder = new TextDecoder();
  return {
    index,
    conn,
    async readHead(): Promise<string | null> {
      while (!pending.includes("\r\n\r\n")) {
        const n = await conn.read(buf);
        if (n === null) return null;
        pending += decoder.decode(buf.subarray(0, n));
      }
      const end = pending.indexOf("\r\n\r\n") + 4;
      const head = pending.slice(0, end);
      pending = pending.slice(end);
      requests.push(head);
      return head;
    },
    async write(data: string | Uint8Array): Promise<void> {
      const bytes = typeof data === "string" ? encoder.encode(data) : data;
      let off = 0;
      while (off < bytes.length) off += await conn.write(bytes.subarray(off));
    },
  };
}

/** A complete keep-alive response with a Content-Length body. */
export function ok(body: string, extra = ""): string {
  return `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
}
