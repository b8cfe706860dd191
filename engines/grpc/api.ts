/**
 * `ctx.grpc`, the gRPC client scenarios use. A VU's channel to an address is reused across
 * its iterations (connect every iteration, as k6 scripts do, without a new TCP connection each
 * time); `share: true` shares one channel among all VUs of a load thread. `client.close()`
 * releases the client; the VU's channel closes when the VU retires. Streams an iteration left
 * open are cancelled when it ends.
 *
 * grpc-js is loaded on the first `connect`, so runs that never speak gRPC do not pay for it.
 *
 * @module
 */
import type { VuState } from "../../core/protocol/types.ts";
import type { GrpcMetadata } from "./client.ts";
import type { GrpcClient } from "./client.ts";
import { GrpcRecorder } from "./recorder.ts";
import { resolveProtoPath } from "./_proto_path.ts";

/** The protocol's key on the VU context, in VU slots and in per-thread state. */
export const GRPC = "grpc";

/** Options of {@link GrpcApi.connect}. */
export interface GrpcConnectOptions {
  /**
   * `.proto` file(s) defining the services: relative paths resolve against the scenario file's
   * folder (a `URL` is used as is). Without it, the services are discovered by server
   * reflection (once per address and thread).
   */
  proto?: string | URL | readonly (string | URL)[];
  /** Where `import` statements in the protos are looked up (relative: as `proto`). */
  importPaths?: readonly (string | URL)[];
  /** TLS. @default false */
  tls?: boolean;
  /** With TLS, skip certificate verification. @default the run's `--insecure` */
  insecure?: boolean;
  /** With TLS, PEM text of the CA(s) to trust (instead of the system's). */
  caCert?: string;
  /** With TLS, client certificate and key (PEM) for mutual TLS. */
  clientCert?: string;
  clientKey?: string;
  /** Overrides `:authority` and the TLS server name. */
  authority?: string;
  /** Metadata sent with every call. */
  metadata?: GrpcMetadata;
  /** Largest message accepted, bytes. @default 4194304 */
  maxReceiveMessageLength?: number;
  /** Largest message sent, bytes. @default unlimited */
  maxSendMessageLength?: number;
  /** Share one channel among the thread's VUs instead of one per VU. @default false */
  share?: boolean;
  /** How long `connect` waits for the first connection, ms. @default 10000 */
  timeout?: number;
}

/** What `ctx.grpc` offers. */
export interface GrpcApi {
  /**
   * Connects to `addr` (`host:port`). Resolves once connected or failed, never rejects for a
   * network failure: calls on an unconnected client end with status UNAVAILABLE (`connected`
   * tells). A proto that cannot be loaded, or reflection that fails, throws (the iteration
   * fails; a scenario mistake, not a measurement).
   */
  connect(addr: string, opts: GrpcConnectOptions): Promise<GrpcClient>;
}

interface Channel {
  readonly client: import("@grpc/grpc-js").Client;
  connected: boolean;
  /** VUs using a shared channel; it closes when the last one retires. */
  users: number;
}

interface Slot {
  readonly channels: Map<string, Channel>;
  /** Shared channels this VU used (released when it retires). */
  readonly shared: Map<string, Channel>;
  readonly open: Set<{ cancel(): void }>;
}

function slot(vu: VuState): Slot {
  let s = vu.slots.get(GRPC) as Slot | undefined;
  if (!s) vu.slots.set(GRPC, s = { channels: new Map(), shared: new Map(), open: new Set() });
  return s;
}

/** The thread's recorder for a VU's base tags (one per scenario). */
export function grpcRecorder(vu: VuState): GrpcRecorder {
  const state = vu.runtime.state;
  let byTags = state.get(GRPC) as Map<string, GrpcRecorder> | undefined;
  if (!byTags) state.set(GRPC, byTags = new Map());
  const key = JSON.stringify(vu.tags);
  let r = byTags.get(key);
  if (!r) byTags.set(key, r = new GrpcRecorder(vu.runtime.registry, vu.runtime.evidence, vu.tags));
  return r;
}

const SHARED = GRPC + ":shared";
const REFLECTED = GRPC + ":reflected";

/** The methods a server offers by reflection, asked once per address and thread. */
async function reflected(
  v: VuState,
  addr: string,
  copts: import("./channel.ts").ChannelOptions,
  timeoutMs: number,
): Promise<import("./loader.ts").MethodTable> {
  const { channelKey } = await import("./channel.ts");
  const key = channelKey(addr, copts);
  let cache = v.runtime.state.get(REFLECTED) as
    | Map<string, Promise<import("./loader.ts").MethodTable>>
    | undefined;
  if (!cache) v.runtime.state.set(REFLECTED, cache = new Map());
  let p = cache.get(key);
  if (!p) {
    p = import("./reflection.ts").then(async ({ reflect }) => {
      const r = await reflect(addr, copts, timeoutMs);
      if (r.methods) return r.methods;
      throw new Error(`Cannot discover the services of ${addr} by reflection: ${r.error}`);
    });
    cache.set(key, p);
    // A failure is not kept: the next connect asks again.
    p.catch(() => cache!.delete(key));
  }
  return await p;
}

/** Creates the API for a VU lookup (the context's own VU, or whichever is running). */
export function createGrpcApi(vu: () => VuState): GrpcApi {
  return {
    async connect(addr, opts) {
      // Resolved before the first await: the caller's frame is still on the stack.
      const protos = (Array.isArray(opts.proto) ? opts.proto : opts.proto ? [opts.proto] : []) as (
        | string
        | URL
      )[];
      const files = protos.map((p) => resolveProtoPath(p));
      const dirs = (opts.importPaths ?? []).map((p) => resolveProtoPath(p));
      const v = vu();
      const { loadProtoFiles } = await import("./loader.ts");
      const { GrpcClient } = await import("./client.ts");
      const ch = await import("./channel.ts");
      const copts = {
        tls: opts.tls ?? false,
        insecure: opts.insecure ?? v.runtime.options.insecure,
        caCert: opts.caCert,
        clientCert: opts.clientCert,
        clientKey: opts.clientKey,
        authority: opts.authority,
        maxReceiveMessageLength: opts.maxReceiveMessageLength,
        maxSendMessageLength: opts.maxSendMessageLength,
        sharedPool: opts.share ?? false,
      };
      const methods = files.length
        ? loadProtoFiles(files, dirs)
        : await reflected(v, addr, copts, opts.timeout ?? 10_000);
      const key = ch.channelKey(addr, copts);
      const pool = opts.share
        ? (v.runtime.state.get(SHARED) as Map<string, Channel> | undefined) ??
          (v.runtime.state.set(SHARED, new Map()).get(SHARED) as Map<string, Channel>)
        : slot(v).channels;
      let c = pool.get(key);
      if (!c) {
        pool.set(key, c = { client: ch.openChannel(addr, copts), connected: false, users: 0 });
      }
      if (opts.share && !slot(v).shared.has(key)) {
        slot(v).shared.set(key, c);
        c.users++;
      }
      if (!c.connected) c.connected = await ch.waitConnected(c.client, opts.timeout ?? 10_000);
      const channel = c;
      return new GrpcClient(
        channel.client,
        methods,
        {
          recorder: grpcRecorder(v),
          group: () => v.group,
          metadata: opts.metadata,
          interrupt: () => v.interrupt,
          open: slot(v).open,
        },
        channel.connected,
        () => {
          // The channel stays for the VU's next connect; it closes when the VU retires.
        },
      );
    },
  };
}

/** Cancels the streams a VU's iteration left open. */
export function cancelLeftovers(vu: VuState): void {
  const s = vu.slots.get(GRPC) as Slot | undefined;
  if (!s || s.open.size === 0) return;
  for (const x of [...s.open]) x.cancel();
  s.open.clear();
}

/** Closes a retired VU's own channels. */
export function closeChannels(vu: VuState): void {
  const s = vu.slots.get(GRPC) as Slot | undefined;
  if (!s) return;
  cancelLeftovers(vu);
  for (const c of s.channels.values()) c.client.close();
  s.channels.clear();
  const shared = vu.runtime.state.get(SHARED) as Map<string, Channel> | undefined;
  for (const [k, c] of s.shared) {
    if (--c.users > 0) continue;
    c.client.close();
    shared?.delete(k);
  }
  s.shared.clear();
}
