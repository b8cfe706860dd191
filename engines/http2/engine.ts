/**
 * The http2 engine: requests prepared once by {@link prepareHttp2}, sent as streams multiplexed
 * over a few HTTP/2 connections per origin (node:http2 over sockets this engine dials itself,
 * so every phase is timed). `https:` URLs negotiate `h2` by ALPN; `http:` URLs speak h2c with
 * prior knowledge (no Upgrade dance), as h2load and `curl --http2-prior-knowledge` do.
 *
 * @module
 */

import type {
  ClientOptions,
  Engine,
  EngineClient,
  Outcome,
  Phase,
  PreparedRequest,
} from "../http/types.ts";
import type { Http2Client, Http2ClientOptions } from "./client.ts";
import { prepareHttp2 } from "./request.ts";

/** The `proto` tag value of requests sent by this engine (k6's spelling). */
export const HTTP2_PROTO = "HTTP/2.0";

/**
 * Every phase is observable: the engine dials (dns, connecting, tls), waits for a stream slot
 * (blocked), and sees the response head and end (waiting, receiving). `sending` is the time to
 * hand the HEADERS (and DATA) frames to the session; a body held back by flow control shows in
 * `waiting`.
 */
const OBSERVES: ReadonlySet<Phase> = new Set<Phase>([
  "blocked",
  "dns",
  "connecting",
  "tls",
  "sending",
  "waiting",
  "receiving",
]);

/** The http2 engine: an {@link Engine} that also names its protocol version. */
export interface Http2Engine extends Engine {
  /** The `proto` tag for its requests: {@link HTTP2_PROTO}. */
  readonly proto: string;
}

/**
 * Creates the http2 engine (`--engine http2`). `defaults` apply to every client it creates
 * (per-client options win): `connections` sets the HTTP/2 connections per origin of each
 * client (one client per load thread in an ad-hoc run, one per VU in a scenario).
 *
 * @example
 * ```ts
 * import { createHttp2Engine } from "./engine.ts";
 * import { createOutcome } from "../http/types.ts";
 *
 * const engine = createHttp2Engine({ connections: 2 });
 * const req = engine.prepare({ method: "GET", url: "https://127.0.0.1:8443/" });
 * const client = engine.createClient({ insecure: true });
 * const out = createOutcome();
 * await client.send(req, out);
 * console.log(out.status, out.waiting);
 * client.close();
 * ```
 */
export function createHttp2Engine(defaults: Http2ClientOptions = {}): Http2Engine {
  return {
    name: "http2",
    proto: HTTP2_PROTO,
    observes: OBSERVES,
    prepare: prepareHttp2,
    createClient(options: ClientOptions): EngineClient {
      // An option left undefined (no --connections) must not hide the engine's default.
      const given = Object.fromEntries(
        Object.entries(options).filter(([, v]) => v !== undefined),
      ) as ClientOptions;
      return new LazyHttp2Client({ ...defaults, ...given });
    },
  };
}

/**
 * node:http2, node:net and node:tls take ~40 ms to load (measured on Deno 2.9.6), and the HTTP
 * protocol module, which lists this engine, is loaded by every run and every load thread. So
 * the real client loads when a client is created, not when rampa starts: creating one starts
 * the import, and sends (or warm()) wait for it only if it has not finished yet.
 */
class LazyHttp2Client implements EngineClient {
  #client: Http2Client | null = null;
  #loading: Promise<Http2Client | null>;
  #closed = false;

  constructor(options: Http2ClientOptions) {
    this.#loading = import("./client.ts").then(({ Http2Client }) => {
      if (this.#closed) return null;
      return this.#client = new Http2Client(options);
    });
  }

  send(request: PreparedRequest, out: Outcome, signal?: AbortSignal): Promise<void> {
    const c = this.#client;
    if (c !== null) return c.send(request, out, signal);
    return this.#loading.then((c) => {
      if (c !== null) return c.send(request, out, signal);
      out.started = out.ended = performance.now();
      out.error = "other";
      out.errorMessage = "client is closed";
    });
  }

  async warm(request: PreparedRequest, connections: number): Promise<number> {
    const c = this.#client ?? await this.#loading;
    return c === null ? 0 : c.warm(request, connections);
  }

  close(): void {
    this.#closed = true;
    this.#client?.close();
  }
}
