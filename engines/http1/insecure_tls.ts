/**
 * TLS without certificate verification, for `insecure: true`.
 *
 * Deno's public `Deno.connectTls`/`Deno.startTls` cannot skip chain verification: their only
 * knob, `unsafelyDisableHostnameVerification`, still rejects a self-signed or unknown-CA
 * certificate, and the process-wide `--unsafely-ignore-certificate-errors` flag cannot be set
 * per client. Deno's node:tls does honour `rejectUnauthorized: false`, so insecure clients go
 * through it, wrapped in the same small read/write/close {@link Transport} the engine uses for
 * a `Deno.Conn`. This path copies each chunk once more than the native one; it is meant for
 * staging servers with self-signed certificates, not for peak throughput.
 *
 * @module
 */

import net from "node:net";
import tls from "node:tls";

/** What a connection needs from a socket: `Deno.Conn` has exactly this shape. */
export interface Transport {
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
  close(): void;
}

/** Raised by a read on a transport that this process closed (as Deno raises Interrupted). */
function interrupted(): Error {
  const e = new Error("operation canceled");
  e.name = "Interrupted";
  return e;
}

/** A {@link Transport} over a node:net/node:tls socket: data events are queued for `read`. */
export class NodeSocketTransport implements Transport {
  #sock: net.Socket;
  #chunks: Uint8Array[] = [];
  #offset = 0;
  #ended = false;
  #error: unknown = null;
  #wake: (() => void) | null = null;

  /** Wraps a connected socket. */
  constructor(sock: net.Socket) {
    this.#sock = sock;
    sock.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(chunk);
      this.#notify();
    });
    sock.on("end", () => {
      this.#ended = true;
      this.#notify();
    });
    sock.on("error", (e: unknown) => {
      this.#error ??= e;
      this.#notify();
    });
    sock.on("close", () => {
      this.#ended = true;
      this.#notify();
    });
  }

  /** Copies queued bytes into `p`; resolves null at end of stream. */
  async read(p: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#error !== null) throw this.#error;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    const chunk = this.#chunks[0];
    const n = Math.min(p.length, chunk.length - this.#offset);
    p.set(chunk.subarray(this.#offset, this.#offset + n));
    this.#offset += n;
    if (this.#offset === chunk.length) {
      this.#chunks.shift();
      this.#offset = 0;
    }
    return n;
  }

  /** Writes all of `p`; resolves with its length once the socket took it. */
  write(p: Uint8Array): Promise<number> {
    if (this.#error !== null) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#sock.write(p, (err?: Error | null) => err ? reject(err) : resolve(p.length));
    });
  }

  /** Destroys the socket; a pending read rejects as Interrupted. */
  close(): void {
    this.#error ??= interrupted();
    this.#sock.destroy();
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/** Resolves when `sock` emits `event`, rejects on its first error or on `signal`. */
function once(sock: net.Socket, event: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      sock.destroy();
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    sock.once(event, () => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
    sock.once("error", (e: unknown) => {
      signal.removeEventListener("abort", onAbort);
      reject(e);
    });
  });
}

/** Opens TCP then TLS without verification; reports the time each step took. */
export async function dialInsecureTls(
  address: string,
  port: number,
  serverName: string,
  signal: AbortSignal,
  timings: { connecting: number; tls: number },
): Promise<Transport> {
  const t0 = performance.now();
  const sock = net.connect({ host: address, port });
  sock.setNoDelay(true);
  await once(sock, "connect", signal);
  const t1 = performance.now();
  timings.connecting = t1 - t0;
  const isIp = net.isIP(serverName) !== 0;
  const secure = tls.connect({
    socket: sock,
    rejectUnauthorized: false,
    ...(isIp ? {} : { servername: serverName }),
  });
  try {
    await once(secure, "secureConnect", signal);
  } catch (e) {
    secure.destroy();
    throw e;
  }
  timings.tls = performance.now() - t1;
  return new NodeSocketTransport(secure);
}
