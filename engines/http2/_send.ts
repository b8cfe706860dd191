/**
 * What one send of the http2 client carries through its life, and the pieces that act on it
 * without the client's state: the stream listeners (shared by every stream, no closure per
 * request: each finds its send on the stream), deadline checks, and small helpers. Kept apart
 * from client.ts, which routes sends over sessions.
 *
 * @module
 */

import type http2 from "node:http2";
import type { ErrorKind } from "../../core/types.ts";
import type { Outcome } from "../http/types.ts";
import type { Http2State } from "./request.ts";
import type { Http2Session } from "./session.ts";

/** The client side of a stream's events. */
export interface StreamSink {
  /** The response head arrived. */
  headers(p: Pending, h: http2.IncomingHttpHeaders): void;
  /** END_STREAM arrived. */
  ended(p: Pending, stream: http2.ClientHttp2Stream): void;
  /** The stream failed or closed before its response was complete. */
  closed(p: Pending, stream: http2.ClientHttp2Stream, err: unknown): void;
}

/** One send in progress. */
export interface Pending {
  /** Who handles its stream's events. */
  readonly client: StreamSink;
  readonly st: Http2State;
  readonly out: Outcome;
  readonly keep: boolean;
  readonly signal: AbortSignal | undefined;
  readonly deadline: number;
  readonly resolve: () => void;
  session: Http2Session | null;
  stream: http2.ClientHttp2Stream | null;
  /** This send caused its session's dial and reports that dial's phases. */
  dialer: boolean;
  dispatchedAt: number;
  /** First response byte seen: a DATA chunk or the head, whichever node:http2 emits first. */
  firstByteAt: number;
  /** The response head (status) arrived. */
  gotHead: boolean;
  /** END_STREAM seen before the head (never observed, but the order is not promised). */
  endedAt: number;
  bodyBytes: number;
  /** The response's Content-Length, or -1 (none, HEAD, 204, 304). */
  expectedBytes: number;
  chunks: Uint8Array[] | null;
  retries: number;
  done: boolean;
}

const PENDING = Symbol("rampa.http2.pending");
/** A node:http2 stream with its send attached. */
export type TaggedStream = http2.ClientHttp2Stream & { [PENDING]?: Pending };

/** Attaches `p` to `stream` and listens to it with the shared listeners. */
export function attach(stream: TaggedStream, p: Pending): void {
  stream[PENDING] = p;
  stream.on("response", onResponse);
  stream.on("data", onData);
  stream.on("end", onEnd);
  stream.on("error", onError);
  stream.on("close", onClose);
}

/** Whether `p` is past its deadline ("timeout") or aborted by its caller, else null. */
export function expired(p: Pending, now: number): "timeout" | "aborted" | null {
  if (now >= p.deadline) return "timeout";
  if (p.signal?.aborted) return "aborted";
  return null;
}

/** The message of a timed-out send. */
export function timeoutMessage(p: Pending): string {
  return `no complete response within ${(p.deadline - p.out.started).toFixed(0)} ms`;
}

/** A stream dropped past a GOAWAY's last stream id (never processed). */
export function isGoawayRefusal(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "ERR_HTTP2_GOAWAY_SESSION";
}

function onResponse(this: TaggedStream, h: http2.IncomingHttpHeaders): void {
  const p = this[PENDING];
  if (p !== undefined && !p.done && p.stream === this) p.client.headers(p, h);
}
function onData(this: TaggedStream, chunk: Uint8Array): void {
  const p = this[PENDING];
  if (p === undefined || p.done || p.stream !== this) return;
  if (p.bodyBytes === 0 && Number.isNaN(p.firstByteAt)) p.firstByteAt = performance.now();
  p.bodyBytes += chunk.byteLength;
  p.chunks?.push(chunk);
}
function onEnd(this: TaggedStream): void {
  const p = this[PENDING];
  if (p !== undefined && !p.done && p.stream === this) p.client.ended(p, this);
}
function onError(this: TaggedStream, err: unknown): void {
  const p = this[PENDING];
  if (p !== undefined && !p.done && p.stream === this) p.client.closed(p, this, err);
}
function onClose(this: TaggedStream): void {
  const p = this[PENDING];
  if (p !== undefined && !p.done && p.stream === this) p.client.closed(p, this, null);
}

const DONE: Promise<void> = Promise.resolve();

/** Fails a send before it reached any session. */
export function fail(out: Outcome, kind: ErrorKind, message: string): Promise<void> {
  out.error = kind;
  out.errorMessage = message;
  out.status = 0;
  out.ended = performance.now();
  return DONE;
}

/** The body chunks as one buffer. */
export function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}
