/**
 * The embedded gRPC test service (`rampa serve --grpc-port P`): unary `Echo`, server-streaming
 * `Count`, client-streaming `Sum` and bidirectional `Chat` of `rampa.target.v1.Target`, on a
 * grpc-js server, plaintext. Every call gets the same faults as the HTTP target: latency with
 * jitter, an error rate (status UNAVAILABLE) and periodic stalls (the last `forMs` of every
 * `everyMs` from the server's start), with reproducible draws from a seed. Server reflection is
 * on, so clients need no `.proto`.
 *
 * @module
 */
import * as grpc from "@grpc/grpc-js";
import { packageFromText } from "../../engines/grpc/loader.ts";
import { mulberry32, type TargetOptions } from "../server.ts";
import { listenGrpc } from "./listen.ts";
import { addReflection } from "./reflection_service.ts";
import { TARGET_PROTO, TARGET_SERVICE } from "./proto.ts";

/** A running gRPC target. */
export interface GrpcTargetServer {
  /** `host:port` to dial. */
  readonly addr: string;
  readonly port: number;
  /** Calls served, by method name (`Echo`, `Count`, `Sum`, `Chat`). */
  readonly calls: Record<string, number>;
  /** Stops at once (open calls are cancelled). */
  close(): Promise<void>;
}

/** Options: the HTTP target's faults, plus where to listen. */
export type GrpcTargetOptions = Pick<
  TargetOptions,
  "hostname" | "port" | "latencyMs" | "jitterMs" | "errorRate" | "stall" | "seed"
>;

const MAX_DELAY_MS = 60_000;
const MAX_COUNT = 100_000;

type Call = grpc.ServerUnaryCall<Record<string, unknown>, unknown>;
type Cb = grpc.sendUnaryData<unknown>;

/** Starts the gRPC target; resolves once it listens. */
export async function startGrpcTarget(options: GrpcTargetOptions = {}): Promise<GrpcTargetServer> {
  const latency = options.latencyMs ?? 0;
  const jitter = options.jitterMs ?? 0;
  const errorRate = options.errorRate ?? 0;
  const stall = options.stall;
  const random = options.seed === undefined ? Math.random : mulberry32(options.seed);
  const calls: Record<string, number> = { Echo: 0, Count: 0, Sum: 0, Chat: 0 };
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const sleep = (ms: number) =>
    ms <= 0 ? Promise.resolve() : new Promise<void>((r) => {
      const t = setTimeout(() => {
        timers.delete(t);
        r();
      }, ms);
      timers.add(t);
    });
  let startedAt = performance.now();
  /** Applies the faults; resolves with an error status to answer instead, or null. */
  const faults = async (): Promise<grpc.ServiceError | null> => {
    const fail = errorRate > 0 && random() < errorRate;
    const delay = jitter > 0 ? Math.max(0, latency + (random() * 2 - 1) * jitter) : latency;
    if (stall) {
      const phase = (performance.now() - startedAt) % stall.everyMs;
      if (phase >= stall.everyMs - stall.forMs) await sleep(stall.everyMs - phase);
    }
    await sleep(delay);
    if (!fail) return null;
    return Object.assign(new Error("injected error"), {
      code: grpc.status.UNAVAILABLE,
      details: "injected error",
      metadata: new grpc.Metadata(),
    }) as grpc.ServiceError;
  };
  const statusError = (code: number): grpc.ServiceError =>
    Object.assign(new Error(`status ${code} as asked`), {
      code,
      details: `status ${code} as asked`,
      metadata: new grpc.Metadata(),
    }) as grpc.ServiceError;

  const handlers: grpc.UntypedServiceImplementation = {
    async Echo(call: Call, cb: Cb) {
      calls.Echo++;
      const req = call.request;
      const err = await faults();
      if (err) return cb(err);
      const d = Math.min(MAX_DELAY_MS, Number(req.delay_ms) || 0);
      await sleep(d);
      const st = Number(req.status) || 0;
      if (st > 0 && st <= 16) return cb(statusError(st));
      cb(null, { message: req.message, payload: req.payload });
    },
    async Count(call: grpc.ServerWritableStream<Record<string, unknown>, unknown>) {
      calls.Count++;
      const err = await faults();
      if (err) return void call.emit("error", err);
      const n = Math.min(MAX_COUNT, Number(call.request.n) || 0);
      const every = Math.min(MAX_DELAY_MS, Number(call.request.interval_ms) || 0);
      for (let i = 0; i < n && !call.cancelled; i++) {
        if (i > 0) await sleep(every);
        call.write({ i });
      }
      call.end();
    },
    Sum(call: grpc.ServerReadableStream<Record<string, unknown>, unknown>, cb: Cb) {
      calls.Sum++;
      let sum = 0n;
      let count = 0;
      call.on("data", (m: Record<string, unknown>) => {
        sum += BigInt(String(m.value ?? 0));
        count++;
      });
      call.on("end", async () => {
        const err = await faults();
        if (err) return cb(err);
        cb(null, { sum: String(sum), count });
      });
    },
    async Chat(call: grpc.ServerDuplexStream<Record<string, unknown>, unknown>) {
      calls.Chat++;
      const err = await faults();
      if (err) return void call.emit("error", err);
      call.on("data", (m: Record<string, unknown>) => call.write(m));
      call.on("end", () => call.end());
    },
  };

  const pkg = packageFromText(TARGET_PROTO);
  const server = new grpc.Server();
  server.addService(pkg[TARGET_SERVICE] as grpc.ServiceDefinition, handlers);
  addReflection(server, pkg);
  const host = options.hostname ?? "127.0.0.1";
  const bindHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  // Not bindAsync: connections go through the GOAWAY filter (see listen.ts).
  const listener = await listenGrpc(
    server,
    grpc.ServerCredentials.createInsecure(),
    host.replace(/^\[|\]$/g, ""),
    options.port ?? 0,
  );
  const port = listener.port;
  startedAt = performance.now();
  return {
    addr: `${bindHost}:${port}`,
    port,
    calls,
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      listener.close();
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}
