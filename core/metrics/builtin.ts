/**
 * The built-in metric vocabulary. Names follow k6 where the meaning is the same, with one
 * deliberate difference: `http_req_duration` is measured from the *scheduled* start (so it
 * includes any wait the generator imposed), `http_req_service_time` from the actual send, and
 * `scheduler_lag` is the gap. In closed loop the first two coincide.
 *
 * @module
 */
import type { MetricDef } from "../types.ts";

const ms = "ms" as const;
const bytes = "bytes" as const;

/** Metrics of every run, whatever the protocol. */
export const CORE_METRICS: readonly MetricDef[] = [
  { name: "iterations", kind: "counter", description: "Iterations completed" },
  { name: "dropped_iterations", kind: "counter", description: "Arrivals not started: no free VU" },
  {
    name: "interrupted_iterations",
    kind: "counter",
    description: "Iterations cut off when graceful stop ran out",
  },
  {
    name: "iteration_duration",
    kind: "trend",
    unit: ms,
    description: "Whole iteration, from schedule",
  },
  {
    name: "scheduler_lag",
    kind: "trend",
    unit: ms,
    description: "Actual start minus scheduled start",
  },
  {
    name: "event_loop_lag",
    kind: "trend",
    unit: ms,
    description: "How late the generator's own 100 ms probe timer fired",
  },
  { name: "vus", kind: "gauge", description: "Busy VUs" },
  { name: "vus_max", kind: "gauge", description: "Allocated VUs" },
  { name: "data_sent", kind: "counter", unit: bytes, description: "Bytes sent" },
  { name: "data_received", kind: "counter", unit: bytes, description: "Bytes received" },
];

/** Metrics of HTTP engines. */
export const HTTP_METRICS: readonly MetricDef[] = [
  { name: "http_reqs", kind: "counter", description: "HTTP requests made" },
  {
    name: "http_req_failed",
    kind: "rate",
    description: "Share of requests that failed (transport error or status ≥ 400)",
  },
  {
    name: "http_req_duration",
    kind: "trend",
    unit: ms,
    description: "Latency from the scheduled start to the last byte (no coordinated omission)",
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
