/**
 * The gRPC metric family, under k6's names where k6 has one, so dashboards and thresholds carry
 * over. As with HTTP, `grpc_req_duration` counts from the *scheduled* start in open-loop runs (a
 * stalled server delays every arrival behind it, and that wait is what callers see) and
 * `grpc_req_service_time` from the actual call; in scenarios and closed loop they coincide.
 *
 * This file imports nothing from grpc-js: registering the protocol must stay cheap for runs
 * that never speak gRPC.
 *
 * @module
 */
import type { MetricDef } from "../../core/types.ts";

const ms = "ms" as const;

/** Metrics the gRPC protocol records. */
export const GRPC_METRICS: readonly MetricDef[] = [
  {
    name: "grpc_reqs",
    kind: "counter",
    description: "Unary gRPC calls (tags: name, method, status, error)",
  },
  {
    name: "grpc_req_failed",
    kind: "rate",
    description: "Share of unary calls that did not end with status OK",
  },
  {
    name: "grpc_req_duration",
    kind: "trend",
    unit: ms,
    description: "Unary call from the scheduled start to its status (no coordinated omission)",
  },
  {
    name: "grpc_req_service_time",
    kind: "trend",
    unit: ms,
    description: "Unary call from the actual start to its status",
  },
  {
    name: "grpc_streams",
    kind: "counter",
    description: "Streaming calls ended (server, client and bidi; tags: status, error)",
  },
  {
    name: "grpc_stream_duration",
    kind: "trend",
    unit: ms,
    description: "Streaming call from its start to its status",
  },
  { name: "grpc_streams_msgs_sent", kind: "counter", description: "Stream messages sent" },
  {
    name: "grpc_streams_msgs_received",
    kind: "counter",
    description: "Stream messages received",
  },
];

/** gRPC status names by code (the `status` tag and `response.status`). */
export const GRPC_STATUS_NAMES: readonly string[] = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
];

/** A gRPC status name, such as `OK` or `NOT_FOUND`. */
export type GrpcStatusName = string;

/** The name of status `code` (`UNKNOWN` for a code outside the table). */
export function statusName(code: number): GrpcStatusName {
  return GRPC_STATUS_NAMES[code] ?? "UNKNOWN";
}
