/**
 * A gRPC server rampa did not write for the tests: grpc-js's own server with the test protos
 * of `tests/testdata/grpc/` (two files, one importing the other), plaintext or TLS with the
 * test CA, an optional stall (held calls during [2 s, 3 s) of every 5 s after the first call),
 * and a loopback port nobody listens on.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { TEST_CA_CERT, TEST_SERVER_TLS } from "../http1/_tls_fixtures.ts";
import { listenGrpc } from "../../../target/grpc/listen.ts";
import { addReflection } from "../../../target/grpc/reflection_service.ts";

/** Folder of the test protos (the import path). */
export const PROTO_DIR: string = fileURLToPath(new URL("../../testdata/grpc/", import.meta.url));
/** The test service's proto, which imports `common/types.proto`. */
export const GREETER_PROTO: string = PROTO_DIR + "greeter.proto";

/** A running test server. */
export interface TestGrpcServer {
  /** `host:port`. */
  readonly addr: string;
  /** Calls received, by method name. */
  readonly calls: Record<string, number>;
  /** Request metadata of every `Hello` call. */
  readonly metadata: Record<string, string>[];
  /** The `name` of every `Hello` request, in arrival order. */
  readonly names: string[];
  /** Client connections accepted so far (plaintext servers only). */
  readonly connections: () => number;
  close(): Promise<void>;
}

/** Options of {@link greeterServer}. */
export interface GreeterOptions {
  tls?: boolean;
  /** Hold `Hello` calls that arrive in [2 s, 3 s) of every 5 s after the first one. */
  stall?: boolean;
  /** Offer server reflection (rampa's own reflection service). */
  reflection?: boolean;
}

type Req = { name: string; shape?: { count: number; delay_ms: number } | null };

/**
 * The Greeter service: `Hello` echoes `name` with the `x-token` metadata and sends header
 * `x-served-by` and trailer `x-trailer`; `Fail` answers NOT_FOUND; `Slow` waits
 * `shape.delay_ms`; `Big` answers a 64 KiB message; `Watch` streams `shape.count` replies;
 * `Collect` joins the names sent; `Chat` echoes each message.
 */
export async function greeterServer(o: GreeterOptions = {}): Promise<TestGrpcServer> {
  const def = protoLoader.loadSync(GREETER_PROTO, {
    keepCase: true,
    defaults: true,
    includeDirs: [PROTO_DIR],
  });
  const service = def["test.v1.Greeter"] as grpc.ServiceDefinition;
  const calls: Record<string, number> = {};
  const metadata: Record<string, string>[] = [];
  const names: string[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(() => {
        timers.delete(t);
        r();
      }, ms);
      timers.add(t);
    });
  const seen = (name: string, _call: unknown) => {
    calls[name] = (calls[name] ?? 0) + 1;
  };
  let first = NaN;
  const server = new grpc.Server();
  server.addService(service, {
    async Hello(call: grpc.ServerUnaryCall<Req, unknown>, cb: grpc.sendUnaryData<unknown>) {
      seen("Hello", call);
      names.push(call.request.name);
      metadata.push(
        Object.fromEntries(Object.entries(call.metadata.getMap()).map(([k, v]) => [k, String(v)])),
      );
      if (o.stall) {
        const now = performance.now();
        if (first !== first) first = now;
        const phase = (now - first) % 5000;
        if (phase >= 2000 && phase < 3000) await sleep(3000 - phase);
      }
      const header = new grpc.Metadata();
      header.set("x-served-by", "greeter");
      call.sendMetadata(header);
      const trailer = new grpc.Metadata();
      trailer.set("x-trailer", "bye");
      cb(null, {
        message: `hello ${call.request.name}`,
        token: String(call.metadata.get("x-token")[0] ?? ""),
      }, trailer);
    },
    Fail(call: grpc.ServerUnaryCall<Req, unknown>, cb: grpc.sendUnaryData<unknown>) {
      seen("Fail", call);
      cb({ code: grpc.status.NOT_FOUND, details: "no such greeting" });
    },
    async Slow(call: grpc.ServerUnaryCall<Req, unknown>, cb: grpc.sendUnaryData<unknown>) {
      seen("Slow", call);
      await sleep(call.request.shape?.delay_ms ?? 0);
      if (!call.cancelled) cb(null, { message: "slow" });
    },
    Big(call: grpc.ServerUnaryCall<Req, unknown>, cb: grpc.sendUnaryData<unknown>) {
      seen("Big", call);
      cb(null, { message: "x".repeat(64 * 1024) });
    },
    Watch(call: grpc.ServerWritableStream<Req, unknown>) {
      seen("Watch", call);
      const n = call.request.shape?.count ?? 0;
      for (let i = 0; i < n; i++) call.write({ message: call.request.name, count: i });
      call.end();
    },
    Collect(call: grpc.ServerReadableStream<Req, unknown>, cb: grpc.sendUnaryData<unknown>) {
      seen("Collect", call);
      const names: string[] = [];
      call.on("data", (m: Req) => names.push(m.name));
      call.on("end", () => cb(null, { message: names.join(","), count: names.length }));
    },
    Chat(call: grpc.ServerDuplexStream<Req, unknown>) {
      seen("Chat", call);
      call.on("data", (m: Req) => call.write({ message: m.name }));
      call.on("end", () => call.end());
    },
  });
  if (o.reflection) addReflection(server, def);
  // Under Deno the TLS server needs a small CA bundle of its own (the system one breaks it).
  const creds = o.tls
    ? grpc.ServerCredentials.createSsl(Buffer.from(TEST_CA_CERT), [{
      private_key: Buffer.from(TEST_SERVER_TLS.key),
      cert_chain: Buffer.from(TEST_SERVER_TLS.cert),
    }], false)
    : grpc.ServerCredentials.createInsecure();
  // Plaintext connections pass the GOAWAY filter of the embedded target (a Deno bug would
  // otherwise crash this test process when the CLI closes its channel); TLS cannot.
  let closeListener = () => {};
  let connections = () => NaN;
  const port = o.tls
    ? await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", creds, (e, p) => e ? reject(e) : resolve(p))
    )
    : await listenGrpc(server, creds, "127.0.0.1", 0).then((l) => {
      closeListener = () => l.close();
      connections = () => l.connections;
      return l.port;
    });
  return {
    addr: `127.0.0.1:${port}`,
    calls,
    metadata,
    names,
    connections: () => connections(),
    close() {
      for (const t of timers) clearTimeout(t);
      closeListener();
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}

/** A loopback `host:port` nobody listens on (bound, then released). */
export function refusedAddr(): string {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return `127.0.0.1:${port}`;
}
