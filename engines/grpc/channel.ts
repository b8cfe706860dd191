/**
 * gRPC channels over grpc-js: credentials (plaintext, TLS with a custom CA, TLS without
 * verification), message size limits, and the wait for a first connection that never rejects.
 *
 * grpc-js pools subchannels (TCP connections) process-wide by default, so two "separate"
 * channels to one address would share one connection: a channel that is meant to be a VU's own
 * asks for a local subchannel pool.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as grpc from "@grpc/grpc-js";

/** How to open a channel. */
export interface ChannelOptions {
  /** TLS on. @default false */
  readonly tls?: boolean;
  /** With TLS: skip certificate verification. @default false */
  readonly insecure?: boolean;
  /** With TLS: PEM of the CA(s) to trust instead of the system's. */
  readonly caCert?: string | Uint8Array;
  /** With TLS: client certificate and key (PEM), for mutual TLS. */
  readonly clientCert?: string | Uint8Array;
  readonly clientKey?: string | Uint8Array;
  /** Overrides `:authority` and the TLS server name. */
  readonly authority?: string;
  /** Largest message accepted, bytes. @default 4 MiB (grpc-js) */
  readonly maxReceiveMessageLength?: number;
  /** Largest message sent, bytes. @default unlimited (grpc-js) */
  readonly maxSendMessageLength?: number;
  /** Share connections with other channels to the same address (the pool is process-wide). */
  readonly sharedPool?: boolean;
}

function buf(x: string | Uint8Array | undefined): Buffer | null {
  if (x === undefined) return null;
  return typeof x === "string" ? Buffer.from(x) : Buffer.from(x.buffer, x.byteOffset, x.length);
}

/** A key telling channels apart (same key: the same channel may be reused). */
export function channelKey(addr: string, o: ChannelOptions): string {
  const s = (x: string | Uint8Array | undefined) =>
    x === undefined ? "" : typeof x === "string" ? x : `${x.length}:${x[0]}:${x[x.length - 1]}`;
  return JSON.stringify([
    addr,
    !!o.tls,
    !!o.insecure,
    s(o.caCert),
    s(o.clientCert),
    o.authority ?? "",
    o.maxReceiveMessageLength ?? -1,
    o.maxSendMessageLength ?? -1,
  ]);
}

/** Opens a channel (lazily: grpc-js connects on the first call or {@link waitConnected}). */
export function openChannel(addr: string, o: ChannelOptions): grpc.Client {
  let creds: grpc.ChannelCredentials;
  if (o.tls) {
    creds = grpc.credentials.createSsl(
      buf(o.caCert),
      buf(o.clientKey),
      buf(o.clientCert),
      // Without verification the chain is not checked, nor is the name.
      o.insecure ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {},
    );
  } else creds = grpc.credentials.createInsecure();
  const options: grpc.ChannelOptions = {};
  if (!o.sharedPool) options["grpc.use_local_subchannel_pool"] = 1;
  if (o.authority) {
    options["grpc.default_authority"] = o.authority;
    options["grpc.ssl_target_name_override"] = o.authority;
  }
  if (o.maxReceiveMessageLength !== undefined) {
    options["grpc.max_receive_message_length"] = o.maxReceiveMessageLength;
  }
  if (o.maxSendMessageLength !== undefined) {
    options["grpc.max_send_message_length"] = o.maxSendMessageLength;
  }
  return new grpc.Client(addr, creds, options);
}

/**
 * Waits until the channel is connected or has failed once (refused, TLS, DNS) or `timeoutMs`
 * passed; true when connected. grpc-js's own `waitForReady` would wait through failures until
 * its deadline, so a refused port would cost the whole timeout.
 */
export function waitConnected(client: grpc.Client, timeoutMs: number): Promise<boolean> {
  const ch = client.getChannel();
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const step = () => {
      let state: grpc.connectivityState;
      try {
        state = ch.getConnectivityState(true);
      } catch {
        return resolve(false);
      }
      if (state === grpc.connectivityState.READY) return resolve(true);
      if (
        state === grpc.connectivityState.TRANSIENT_FAILURE ||
        state === grpc.connectivityState.SHUTDOWN || Date.now() >= deadline
      ) return resolve(false);
      ch.watchConnectivityState(state, deadline, (err?: Error) => {
        if (err) resolve(false);
        else step();
      });
    };
    step();
  });
}

export { grpc };
