/**
 * A workaround for a Deno bug: Deno 2.9's `node:http2` server can abort the whole process
 * inside nghttp2 when a client sends GOAWAY after many calls on a connection (denoland/deno
 * issue 36788; measured here: 2 crashes in 4 runs of 2,000 calls, none in 5 runs without the
 * GOAWAY). A client's GOAWAY only announces that it is closing, so a test server loses nothing
 * by not seeing it: every client connection passes through this filter, which forwards the
 * HTTP/2 byte stream frame by frame and drops GOAWAY frames; the close itself still arrives.
 * Plaintext only (TLS bytes cannot be parsed): {@link listenGrpc} accepts connections itself
 * and hands them to grpc-js through its connection injector.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import net from "node:net";
import { Duplex } from "node:stream";
import type * as grpc from "@grpc/grpc-js";

/** Length of the HTTP/2 client connection preface (`PRI * HTTP/2.0…`). */
const PREFACE = 24;
const FRAME_HEADER = 9;
const GOAWAY = 0x7;

/** What the filter needs of a socket (a `node:net` socket or anything alike). */
export interface SocketLike {
  on(event: "data", fn: (chunk: Buffer) => void): unknown;
  on(event: "end" | "close", fn: () => void): unknown;
  on(event: "error", fn: (e: Error) => void): unknown;
  write(chunk: Uint8Array, cb?: (e?: Error | null) => void): boolean;
  end(): unknown;
  destroy(): unknown;
  pause(): unknown;
  resume(): unknown;
}

/**
 * Splits client-to-server HTTP/2 bytes into what to forward, dropping GOAWAY frames; keeps a
 * partial frame for the next chunk. Pure, so it is tested without sockets.
 */
export class GoawayStripper {
  #preface = PREFACE;
  #rest: Buffer = Buffer.alloc(0);
  /** GOAWAY frames dropped so far. */
  dropped = 0;

  /** The parts of `chunk` (plus what was kept before) to forward, in order. */
  feed(chunk: Buffer): Buffer[] {
    const data = this.#rest.length ? Buffer.concat([this.#rest, chunk]) : chunk;
    let i = 0;
    if (this.#preface > 0) {
      i = Math.min(this.#preface, data.length);
      this.#preface -= i;
    }
    let from = 0;
    const out: Buffer[] = [];
    while (data.length - i >= FRAME_HEADER) {
      const len = data.readUIntBE(i, 3);
      if (data.length - i < FRAME_HEADER + len) break;
      if (data[i + 3] === GOAWAY) {
        if (i > from) out.push(data.subarray(from, i));
        from = i + FRAME_HEADER + len;
        this.dropped++;
      }
      i += FRAME_HEADER + len;
    }
    if (i > from) out.push(data.subarray(from, i));
    // Copied: a view would keep the whole chunk alive.
    this.#rest = i < data.length ? Buffer.from(data.subarray(i)) : Buffer.alloc(0);
    return out;
  }
}

/** Wraps a client socket: reads come through {@link GoawayStripper}, writes go straight out. */
export function filterGoaway(socket: SocketLike): Duplex {
  const strip = new GoawayStripper();
  const d: Duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      socket.write(chunk, (e) => cb(e ?? null));
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  socket.on("data", (c) => {
    for (const part of strip.feed(c)) if (!d.push(part)) socket.pause();
  });
  socket.on("end", () => d.push(null));
  socket.on("error", (e) => d.destroy(e));
  socket.on("close", () => d.destroy());
  return d;
}

/** A plaintext gRPC listener in front of a grpc-js server. */
export interface GrpcListener {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Stops listening and drops every connection. */
  close(): void;
}

/**
 * Serves `server` (plaintext) on `host:port` (0: any free port), every connection through
 * {@link filterGoaway}.
 */
export async function listenGrpc(
  server: grpc.Server,
  credentials: grpc.ServerCredentials,
  host: string,
  port: number,
): Promise<GrpcListener> {
  const injector = server.createConnectionInjector(credentials);
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const tcp = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.setNoDelay(true);
    injector.injectConnection(filterGoaway(s));
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, host, () => resolve());
  });
  return {
    port: (tcp.address() as net.AddressInfo).port,
    get connections() {
      return accepted;
    },
    close() {
      tcp.close();
      for (const s of sockets) s.destroy();
      injector.destroy();
    },
  };
}
