/**
 * The HTTP metric family. Names follow k6 where the meaning is the same, with one deliberate
 * difference: `http_req_duration` is measured from the *scheduled* start (so it includes any
 * wait the generator imposed), `http_req_service_time` from the actual send; in closed loop the
 * two coincide.
 *
 * @module
 */
import type { MetricDef } from "../../core/types.ts";

const ms = "ms" as const;

/** Metrics of HTTP engines (http1, fetch; HTTP/2 next). */
export const HTTP_METRICS: readonly MetricDef[] = [
  { name: "http_reqs", kind: "counter", description: "HTTP requests made" },
  {
    name: "http_conns_opened",
    kind: "counter",
    description: "Connections opened while measuring (pre-opened ones not counted)",
  },
  {
    name: "http_req_failed",
    kind: "rate",
    description:
      "Share of requests that failed (transport error or a status not expected, by default outside 200–399)",
  },
  {
    name: "http_req_duration",
    kind: "trend",
    unit: ms,
    description: "Latency from the scheduled start to the last byte (no coordinated omission)",
  },
  {
    name: "http_req_duration_corrected",
    kind: "trend",
    unit: ms,
    description: "Closed loop: latency with coordinated-omission correction (each VU's pace " +
      "back-filled during long responses, HdrHistogram's expected-interval method)",
  },
  {
    name: "http_req_service_time",
    kind: "trend",
    unit: ms,
    description: "From the actual send to the last byte",
  },
  {
    name: "http_req_blocked",
    kind: "trend",
    unit: ms,
    description: "Waiting for a free connection",
  },
  { name: "http_req_dns", kind: "trend", unit: ms, description: "DNS lookup" },
  { name: "http_req_connecting", kind: "trend", unit: ms, description: "TCP connect" },
  { name: "http_req_tls_handshaking", kind: "trend", unit: ms, description: "TLS handshake" },
  { name: "http_req_sending", kind: "trend", unit: ms, description: "Writing the request" },
  {
    name: "http_req_waiting",
    kind: "trend",
    unit: ms,
    description: "Time to first byte after sending",
  },
  {
    name: "http_req_receiving",
    kind: "trend",
    unit: ms,
    description: "First to last response byte",
  },
];
