/**
 * The WebSocket metric family, under k6's names so dashboards and thresholds carry over. As
 * with HTTP, `ws_connecting` counts from the *scheduled* start in open-loop runs (a stalled
 * handshake delays every arrival behind it, and that wait is part of what users see) and
 * `ws_connecting_service` from the actual connect.
 *
 * @module
 */
import type { MetricDef } from "../../core/types.ts";

const ms = "ms" as const;

/** Metrics the WebSocket protocol records. */
export const WS_METRICS: readonly MetricDef[] = [
  {
    name: "ws_sessions",
    kind: "counter",
    description: "WebSocket sessions (tags: name, status, error)",
  },
  {
    name: "ws_session_failed",
    kind: "rate",
    description: "Share of sessions that failed (no 101, reset, timeout, protocol error)",
  },
  {
    name: "ws_connecting",
    kind: "trend",
    unit: ms,
    description: "Scheduled start to the end of the opening handshake (no coordinated omission)",
  },
  {
    name: "ws_connecting_service",
    kind: "trend",
    unit: ms,
    description: "Actual connect to the end of the opening handshake",
  },
  { name: "ws_session_duration", kind: "trend", unit: ms, description: "Open to closed" },
  { name: "ws_msgs_sent", kind: "counter", description: "Messages sent" },
  { name: "ws_msgs_received", kind: "counter", description: "Messages received" },
  { name: "ws_ping", kind: "trend", unit: ms, description: "Ping to pong" },
  {
    name: "ws_msg_rtt",
    kind: "trend",
    unit: ms,
    description: "From a send to the reply paired with it (first unanswered send, FIFO)",
  },
  {
    name: "ws_sessions_left_open",
    kind: "counter",
    description: "Sessions an iteration ended without closing (rampa closed them)",
  },
];

/** Error kinds of a session, a closed set (the `error` tag). */
export const WS_ERROR_KINDS = [
  "refused",
  "dns",
  "reset",
  "timeout",
  "tls",
  "handshake",
  "protocol",
  "mismatch",
  "aborted",
  "other",
] as const;

/** One of {@link WS_ERROR_KINDS}. */
export type WsErrorKind = typeof WS_ERROR_KINDS[number];
