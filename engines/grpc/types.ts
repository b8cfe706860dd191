/**
 * The plain-data types of gRPC calls: metadata, call options, and how a call ended.
 *
 * @module
 */
import type { ErrorKind, Tags } from "../../core/types.ts";

/** Metadata as plain data: `-bin` keys take bytes, a list sends the key several times. */
export type GrpcMetadata = Record<
  string,
  string | Uint8Array | readonly (string | Uint8Array)[]
>;

/** Options of one call. */
export interface GrpcCallOptions {
  /** Request metadata (added to the connection's). */
  metadata?: GrpcMetadata;
  /** Deadline in ms from the call's start. @default 60000 */
  timeout?: number;
  /** Extra low-cardinality tags for this call's metrics. */
  tags?: Tags;
  /** Metric `name` tag. @default the method, `pkg.Service/Method` */
  name?: string;
}

/** How a call ended. */
export interface GrpcStatus {
  /** Status name: `OK`, `NOT_FOUND`, `DEADLINE_EXCEEDED`, … */
  readonly status: string;
  /** Numeric status code (0 for OK). */
  readonly code: number;
  /** The status details ("" when OK). */
  readonly message: string;
  /** Response headers (initial metadata); empty when none came. */
  readonly headers: Record<string, string | string[]>;
  /** Trailers. */
  readonly trailers: Record<string, string | string[]>;
  /** Transport error kind when the call failed below gRPC (refused, timeout, …), else null. */
  readonly error: ErrorKind | null;
}

/** A unary (or client-streaming) call's result. */
export interface GrpcResponse<T = unknown> extends GrpcStatus {
  /** The response message; null unless the status is OK. */
  readonly body: T | null;
}
