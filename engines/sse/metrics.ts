/**
 * The server-sent-events metric family (k6 has none; named after `ws_*`).
 *
 * @module
 */
import type { MetricDef } from "../../core/types.ts";

/** Metrics the SSE protocol records. */
export const SSE_METRICS: readonly MetricDef[] = [
  {
    name: "sse_streams",
    kind: "counter",
    description: "Event streams (tags: name, status, error)",
  },
  {
    name: "sse_stream_failed",
    kind: "rate",
    description: "Share of streams that failed (no 200 text/event-stream, reset, timeout)",
  },
  {
    name: "sse_connecting",
    kind: "trend",
    unit: "ms",
    description: "From connect() to the response headers",
  },
  {
    name: "sse_time_to_first_event",
    kind: "trend",
    unit: "ms",
    description: "From connect() to the first event",
  },
  { name: "sse_events_received", kind: "counter", description: "Events received" },
];
