/**
 * The server-sent-events protocol: `ctx.sse`, the `sse_*` family and an "SSE" summary section
 * whose request family counts streams. It has no ad-hoc scheme (`http:` belongs to HTTP).
 *
 * @module
 */
import type { Protocol } from "../../core/protocol/types.ts";
import { closeStreams, createSseApi, SSE } from "./api.ts";
import { SSE_METRICS } from "./metrics.ts";

/** The SSE protocol. */
export const sseProtocol: Protocol = {
  name: SSE,
  schemes: [],
  metrics: SSE_METRICS,
  section: {
    title: "Server-sent events",
    metrics: SSE_METRICS.map((m) => m.name),
    requests: { count: "sse_streams", failed: "sse_stream_failed", duration: "sse_connecting" },
  },
  vu: {
    key: SSE,
    api: (vu) => createSseApi(vu),
    endIteration: (vu) => closeStreams(vu),
    close: (vu) => closeStreams(vu),
  },
};
