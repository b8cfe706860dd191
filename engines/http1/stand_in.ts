/**
 * A stand-in HTTP/1.1 server on the load thread itself, for rehearsing the hot path before the
 * clock starts (ADR 23): V8 compiles the code that sends, parses and records only after it
 * ran thousands of times, and at 5,000–20,000 arrivals/s those first thousands used to be the
 * measured run's first seconds (scheduler lag p99 11–27 ms in the first second at 20,000/s).
 * Rehearsing against the real target would be load the user did not ask for; this server
 * answers every request with a small 200 on 127.0.0.1 and nothing leaves the machine.
 *
 * It reads requests by their head's end and `Content-Length` (the engine only sends
 * pre-encoded requests with a known length here) and never parses more than that.
 *
 * @module
 */

/** A running stand-in (see the module doc). */
export interface StandIn {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** Requests it answered. */
  readonly answered: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

const BODY = "ok";
const HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length +
  "\r\n\r\n";
const RESPONSE = new TextEncoder().encode(HEAD + BODY);
const HEAD_ONLY = new TextEncoder().encode(HEAD);
/** A head longer than this is not a request the engine sent: the connection is closed. */
const MAX_HEAD = 64 * 1024;
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

/** Starts a stand-in on an ephemeral port of 127.0.0.1. */
export function startStandIn(): StandIn {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const state = { answered: 0 };
  const accepting = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      serve(conn, state).finally(() => conns.delete(conn));
    }
  })().catch(() => {/* the listener was closed */});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    get answered() {
      return state.answered;
    },
    async close() {
      try {
        listener.close();
      } catch { /* already closed */ }
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed by its peer */ }
      }
      conns.clear();
      await accepting;
    },
  };
}

/** Answers the requests of one connection until either side closes it. */
async function serve(conn: Deno.Conn, state: { answered: number }): Promise<void> {
  // windows-1252 maps each byte to one code unit, so string offsets are byte offsets.
  const decoder = new TextDecoder("windows-1252");
  const buf = new Uint8Array(16 * 1024);
  let text = "";
  try {
    while (true) {
      const n = await conn.read(buf);
      if (n === null) return;
      text += decoder.decode(buf.subarray(0, n));
      const answers: Uint8Array[] = [];
      while (true) {
        const end = text.indexOf("\r\n\r\n");
        if (end < 0) {
          if (text.length > MAX_HEAD) return;
          break;
        }
        const m = CONTENT_LENGTH.exec(text.slice(0, end));
        const size = end + 4 + (m ? Number(m[1]) : 0);
        if (text.length < size) break;
        answers.push(text.startsWith("HEAD ") ? HEAD_ONLY : RESPONSE);
        text = text.slice(size);
      }
      for (const a of answers) await writeAll(conn, a);
      state.answered += answers.length;
    }
  } catch {
    // The client closed or reset the connection: nothing to answer.
  } finally {
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}
