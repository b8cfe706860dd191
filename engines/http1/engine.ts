/**
 * The lean HTTP/1.1 engine: requests pre-encoded once by {@link prepareHttp1}, sent by pooled
 * keep-alive clients over `Deno.connect`/`Deno.startTls` that time every phase. It exists
 * because global fetch costs 3–5 times more CPU per request on loopback and observes no
 * phases (see bench/http1_vs_fetch.ts), which a load generator cannot afford while measuring.
 *
 * @module
 */

import type {
  ClientOptions,
  Engine,
  EngineClient,
  Phase,
  PreparedRequest,
  Rehearsal,
} from "../http/types.ts";
import { Http1Client, type Http1ClientOptions } from "./client.ts";
import { type Http1State, prepareHttp1 } from "./request.ts";
import { startStandIn } from "./stand_in.ts";

/** Every phase: this engine dials and reads the socket itself, so it sees them all. */
const OBSERVES: ReadonlySet<Phase> = new Set<Phase>([
  "blocked",
  "dns",
  "connecting",
  "tls",
  "sending",
  "waiting",
  "receiving",
]);

/**
 * Creates the http1 engine. `defaults` apply to every client it creates (per-client options
 * win), so that a run can set `caCerts` once.
 *
 * @example
 * ```ts
 * const engine = createHttp1Engine();
 * const req = engine.prepare({ method: "GET", url: "http://127.0.0.1:8080/" });
 * const client = engine.createClient({ maxConnections: 1 });
 * const out = createOutcome();
 * await client.send(req, out);
 * client.close();
 * ```
 */
export function createHttp1Engine(defaults: Http1ClientOptions = {}): Engine {
  return {
    name: "http1",
    proto: "HTTP/1.1",
    observes: OBSERVES,
    prepare: prepareHttp1,
    createClient(options: ClientOptions): EngineClient {
      return new Http1Client({ ...defaults, ...options });
    },
    rehearsal(requests: readonly PreparedRequest[], options: ClientOptions): Rehearsal | null {
      // The stand-in speaks plain HTTP and reads requests of a known length only.
      const plain = requests.every((r) => {
        const st = r.state as Http1State | undefined;
        return st !== undefined && !st.tls && st.bytes instanceof Uint8Array;
      });
      if (!plain || requests.length === 0) return null;
      const standIn = startStandIn();
      const client = new Http1Client({ ...defaults, ...options, standInPort: standIn.port });
      return {
        client,
        answered: () => standIn.answered,
        async end() {
          client.close();
          await standIn.close();
        },
      };
    },
  };
}
