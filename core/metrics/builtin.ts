/**
 * The protocol-neutral metric vocabulary every run records (iterations, scheduler lag, VUs,
 * bytes). Each protocol registers its own family beside these (`http_req_*` in
 * `engines/http/metrics.ts`). Names follow k6 where the meaning is the same; `scheduler_lag` is
 * rampa's own: actual minus scheduled start.
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
