/**
 * The gRPC client scenarios hold: unary `invoke`, server `stream`, `clientStream` and `bidi`,
 * each recorded into the `grpc_*` family. Every call ends in a {@link GrpcResponse} or
 * {@link GrpcStatus} value: a non-OK status, a deadline, a refused port are data, never a throw
 * (only a method the proto does not define throws, a mistake in the scenario).
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { ErrorKind } from "../../core/types.ts";
import { grpc } from "./channel.ts";
import { findMethod, type MethodInfo, type MethodTable, unknownMethod } from "./loader.ts";
import { statusName } from "./metrics.ts";
import { GrpcBidiStream, GrpcClientStream, GrpcStream } from "./streams.ts";
import type { GrpcCallOptions, GrpcMetadata, GrpcResponse, GrpcStatus } from "./types.ts";
import {
  addCounter,
  type GrpcCallEnd,
  type GrpcCallType,
  type GrpcRecorder,
  type GrpcSeries,
} from "./recorder.ts";

/** Per-client defaults and bookkeeping, from `connect`. */
export interface ClientContext {
  readonly recorder: GrpcRecorder;
  /** The VU's group at call time. */
  readonly group: () => string;
  /** Metadata sent with every call of this client. */
  readonly metadata?: GrpcMetadata;
  /** Cancels in-flight calls (graceful stop ran out): they end as `aborted`. */
  readonly interrupt?: () => AbortSignal | undefined;
  /** Streams are tracked so an iteration's leftovers can be cancelled. */
  readonly open?: Set<{ cancel(): void }>;
}

const DEFAULT_TIMEOUT_MS = 60_000;

function toMetadata(...parts: (GrpcMetadata | undefined)[]): grpc.Metadata {
  const md = new grpc.Metadata();
  for (const p of parts) {
    if (!p) continue;
    for (const [k, v] of Object.entries(p)) {
      for (const x of Array.isArray(v) ? v : [v]) md.add(k, x as string);
    }
  }
  return md;
}

function plain(md: grpc.Metadata | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!md) return out;
  for (const [k, v] of Object.entries(md.getMap())) out[k] = typeof v === "string" ? v : String(v);
  // Repeated keys keep every value.
  for (const k of Object.keys(out)) {
    const all = md.get(k);
    if (all.length > 1) out[k] = all.map(String);
  }
  return out;
}

/**
 * The transport error behind a status, and the `status` tag: a call that never reached a
 * server (refused, DNS, TLS) is tagged `0`, core's "no response".
 */
export function classify(
  code: number,
  details: string,
  aborted: boolean,
): { error: ErrorKind | null; statusTag: string } {
  const name = statusName(code);
  if (aborted && code === grpc.status.CANCELLED) return { error: "aborted", statusTag: name };
  if (code === grpc.status.DEADLINE_EXCEEDED) return { error: "timeout", statusTag: name };
  if (code !== grpc.status.UNAVAILABLE) return { error: null, statusTag: name };
  if (/ECONNREFUSED|connection refused/i.test(details)) return { error: "refused", statusTag: "0" };
  if (/ENOTFOUND|EAI_AGAIN|name resolution|DNS/i.test(details)) {
    return { error: "dns", statusTag: "0" };
  }
  if (/certificate|SSL|TLS|handshake|self.signed|ERR_TLS/i.test(details)) {
    return { error: "tls", statusTag: "0" };
  }
  if (/ECONNRESET|reset|EPIPE|dropped|closed/i.test(details)) {
    return { error: "reset", statusTag: name };
  }
  if (/No connection established/i.test(details)) return { error: "other", statusTag: "0" };
  return { error: null, statusTag: name };
}

/** Counts serialized bytes into `data_sent`/`data_received` and stream messages. */
function codec(m: MethodInfo, s: GrpcSeries, streamOut: boolean, streamIn: boolean) {
  return {
    serialize: (v: unknown): Buffer => {
      const b = m.serialize(v);
      addCounter(s.bytesSent, b.length);
      if (streamOut) addCounter(s.sent, 1);
      return b;
    },
    deserialize: (b: Buffer): unknown => {
      addCounter(s.bytesReceived, b.length);
      if (streamIn) addCounter(s.received, 1);
      return m.deserialize(b);
    },
  };
}

/** Everything one call needs, resolved at its start. */
interface CallSetup {
  readonly method: MethodInfo;
  readonly series: GrpcSeries;
  readonly metadata: grpc.Metadata;
  readonly options: grpc.CallOptions;
  readonly started: number;
}

/** A call's end, observed from grpc-js events; resolves once with the status. */
function watch(
  call: {
    on(e: "metadata", f: (m: grpc.Metadata) => void): unknown;
    on(e: "status", f: (s: grpc.StatusObject) => void): unknown;
    on(e: "error", f: (e: Error) => void): unknown;
  },
  interrupted: () => boolean,
): Promise<GrpcStatus> {
  let headers: grpc.Metadata | undefined;
  call.on("metadata", (m) => headers = m);
  // grpc-js emits `error` for every non-OK status; without a listener it would throw.
  call.on("error", () => {});
  return new Promise((resolve) => {
    call.on("status", (st) => {
      const { error } = classify(st.code, st.details, interrupted());
      resolve({
        status: statusName(st.code),
        code: st.code,
        message: st.code === grpc.status.OK ? "" : st.details,
        headers: plain(headers),
        trailers: plain(st.metadata),
        error,
      });
    });
  });
}

function endOf(st: GrpcStatus): GrpcCallEnd {
  const { statusTag } = classify(st.code, st.message, st.error === "aborted");
  return { statusTag, error: st.error, message: st.message };
}

/** A connected gRPC client (from `ctx.grpc.connect`). Calls on a closed client throw. */
export class GrpcClient {
  readonly #channel: grpc.Client;
  readonly #methods: MethodTable;
  readonly #ctx: ClientContext;
  readonly #release: () => void;
  readonly #mine = new Set<{ cancel(): void }>();
  #closed = false;
  /** True when the first connection succeeded within `connect`'s wait. */
  readonly connected: boolean;

  /** Use `ctx.grpc.connect`. `release` runs on {@link close} (the channel may outlive it). */
  constructor(
    channel: grpc.Client,
    methods: MethodTable,
    ctx: ClientContext,
    connected: boolean,
    release: () => void = () => channel.close(),
  ) {
    this.#channel = channel;
    this.#methods = methods;
    this.#ctx = ctx;
    this.connected = connected;
    this.#release = release;
  }

  #setup(name: string, o: GrpcCallOptions, kind: "unary" | "stream"): CallSetup {
    if (this.#closed) throw new Error(`Cannot call ${name}: the gRPC client is closed`);
    const method = findMethod(this.#methods, name);
    if (!method) throw new Error(unknownMethod(this.#methods, name));
    const unary = !method.requestStream && !method.responseStream;
    if ((kind === "unary") !== unary) {
      throw new Error(
        `${method.name} is a ${unary ? "unary" : "streaming"} method: call it with ${
          unary ? "invoke()" : "stream(), clientStream() or bidi()"
        }`,
      );
    }
    const series = this.#ctx.recorder.series(o.name ?? method.name, this.#ctx.group(), o.tags);
    const started = performance.now();
    return {
      method,
      series,
      metadata: toMetadata(this.#ctx.metadata, o.metadata),
      options: { deadline: Date.now() + (o.timeout ?? DEFAULT_TIMEOUT_MS) },
      started,
    };
  }

  #track(call: { cancel(): void }, done: Promise<unknown>): () => boolean {
    let interrupted = false;
    const sig = this.#ctx.interrupt?.();
    const onAbort = () => {
      interrupted = true;
      call.cancel();
    };
    if (sig?.aborted) queueMicrotask(onAbort);
    else sig?.addEventListener("abort", onAbort, { once: true });
    this.#mine.add(call);
    this.#ctx.open?.add(call);
    done.finally(() => {
      // The signal lives as long as the run: drop the listener with the call.
      sig?.removeEventListener("abort", onAbort);
      this.#mine.delete(call);
      this.#ctx.open?.delete(call);
    });
    return () => interrupted;
  }

  /**
   * A unary call. `scheduled` (open loop: the arrival's due time, `performance.now()` clock)
   * is where `grpc_req_duration` starts; by default the call's own start.
   */
  invoke<T = unknown>(
    method: string,
    request: unknown,
    opts: GrpcCallOptions = {},
    scheduled?: number,
  ): Promise<GrpcResponse<T>> {
    const c = this.#setup(method, opts, "unary");
    const { serialize, deserialize } = codec(c.method, c.series, false, false);
    let body: unknown = null;
    const call = this.#channel.makeUnaryRequest(
      c.method.path,
      serialize,
      deserialize,
      request,
      c.metadata,
      c.options,
      (_err: grpc.ServiceError | null, value?: unknown) => {
        if (value !== undefined) body = value;
      },
    );
    let interrupted = () => false;
    const done = watch(call, () => interrupted());
    interrupted = this.#track(call, done);
    return done.then((st) => {
      const now = performance.now();
      this.#ctx.recorder.unary(
        c.series,
        endOf(st),
        now - (scheduled ?? c.started),
        now - c.started,
      );
      return { ...st, body: st.code === 0 ? body as T : null };
    });
  }

  /** A server-streaming call: iterate it for the messages, then read `done` for the status. */
  stream<T = unknown>(method: string, request: unknown, opts: GrpcCallOptions = {}): GrpcStream<T> {
    const c = this.#setup(method, opts, "stream");
    const { serialize, deserialize } = codec(c.method, c.series, true, true);
    if (!c.method.responseStream || c.method.requestStream) {
      throw new Error(`${c.method.name} is not server-streaming: use clientStream() or bidi()`);
    }
    // The single request counts as a message sent, as on a bidi stream.
    const call = this.#channel.makeServerStreamRequest(
      c.method.path,
      serialize,
      deserialize,
      request,
      c.metadata,
      c.options,
    );
    return new GrpcStream<T>(call, this.#finish(c, "server_stream", call));
  }

  /** A client-streaming call: `send` messages, then `end()` resolves with the response. */
  clientStream<T = unknown>(method: string, opts: GrpcCallOptions = {}): GrpcClientStream<T> {
    const c = this.#setup(method, opts, "stream");
    if (!c.method.requestStream || c.method.responseStream) {
      throw new Error(`${c.method.name} is not client-streaming: use stream() or bidi()`);
    }
    const { serialize, deserialize } = codec(c.method, c.series, true, false);
    let body: unknown = null;
    const call = this.#channel.makeClientStreamRequest(
      c.method.path,
      serialize,
      deserialize,
      c.metadata,
      c.options,
      (_e: grpc.ServiceError | null, v?: unknown) => {
        if (v !== undefined) body = v;
      },
    );
    const done = this.#finish(c, "client_stream", call);
    return new GrpcClientStream<T>(
      call,
      done.then((st) => ({ ...st, body: st.code === 0 ? body as T : null })),
    );
  }

  /** A bidirectional stream: `send`, iterate for replies, `end()` when done sending. */
  bidi<T = unknown>(method: string, opts: GrpcCallOptions = {}): GrpcBidiStream<T> {
    const c = this.#setup(method, opts, "stream");
    if (!c.method.requestStream || !c.method.responseStream) {
      throw new Error(`${c.method.name} is not bidirectional: use stream() or clientStream()`);
    }
    const { serialize, deserialize } = codec(c.method, c.series, true, true);
    const call = this.#channel.makeBidiStreamRequest(
      c.method.path,
      serialize,
      deserialize,
      c.metadata,
      c.options,
    );
    return new GrpcBidiStream<T>(call, this.#finish(c, "bidi", call));
  }

  #finish(
    c: CallSetup,
    type: GrpcCallType,
    call: Parameters<typeof watch>[0] & { cancel(): void },
  ): Promise<GrpcStatus> {
    let interrupted = () => false;
    const done = watch(call, () => interrupted()).then((st) => {
      this.#ctx.recorder.stream(c.series, type, endOf(st), performance.now() - c.started);
      return st;
    });
    interrupted = this.#track(call, done);
    return done;
  }

  /** Cancels this client's open streams and releases its channel. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of [...this.#mine]) s.cancel();
    this.#release();
  }
}

export { GrpcBidiStream, GrpcClientStream, GrpcStream };
export type { GrpcCallOptions, GrpcMetadata, GrpcResponse, GrpcStatus };
