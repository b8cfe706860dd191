/**
 * The gRPC protocol as it registers with core: the `grpc_*` family, `ctx.grpc`, the
 * `grpc:`/`grpcs:` ad-hoc schemes with their flags, and the "gRPC" summary section, whose
 * request family is the unary calls (so endpoints, charts and thresholds see them).
 *
 * Registering costs nothing: grpc-js and the proto loader are imported on first use.
 *
 * @module
 */
import type { AdHocContext, AdHocRequest, Protocol } from "../../core/protocol/types.ts";
import type { ScenarioRun } from "../../core/run/runner.ts";
import { createGrpcAdHoc, validateGrpcAdHoc } from "./adhoc.ts";
import { cancelLeftovers, closeChannels, createGrpcApi, GRPC } from "./api.ts";
import { GRPC_METRICS } from "./metrics.ts";

/** The gRPC protocol. */
export const grpcProtocol: Protocol = {
  name: GRPC,
  schemes: ["grpc:", "grpcs:"],
  metrics: GRPC_METRICS,
  section: {
    title: "gRPC",
    metrics: GRPC_METRICS.map((m) => m.name),
    requests: {
      count: "grpc_reqs",
      failed: "grpc_req_failed",
      duration: "grpc_req_duration",
      serviceTime: "grpc_req_service_time",
    },
  },
  thresholdAliases: {
    grpc_error_rate: { metric: "grpc_req_failed", aggregation: "rate" },
    grpc_rps: { metric: "grpc_reqs", aggregation: "rate" },
  },
  vu: {
    key: GRPC,
    api: (vu) => createGrpcApi(vu),
    endIteration: (vu) => cancelLeftovers(vu),
    close: (vu) => closeChannels(vu),
  },
  flags: {
    options: {
      proto: { type: "string", multiple: true },
      "import-path": { type: "string", multiple: true },
      data: { type: "string" },
      "data-file": { type: "string" },
      metadata: { type: "string", multiple: true },
      tls: { type: "boolean" },
      cacert: { type: "string" },
    },
    usage: [
      "  --proto <file>          grpc:// URLs: .proto defining the method (repeatable; without",
      "                          it the server is asked by reflection)",
      "  --import-path <dir>     grpc:// URLs: where proto imports are found (repeatable)",
      "  --data <json>           grpc:// URLs: the request message as JSON (default: {})",
      "  --data-file <path>      grpc:// URLs: one JSON message per line, cycled",
      "  --metadata <k: v>       grpc:// URLs: request metadata (repeatable; -H works too)",
      "  --tls                   grpc:// URLs: use TLS (grpcs:// implies it; --insecure skips",
      "                          verification, and on plaintext changes nothing)",
      "  --cacert <pem>          grpc:// URLs: trust this CA (implies --tls)",
    ].join("\n"),
  },
  validateAdHoc: (r, o) => validateGrpcAdHoc(r, o),
  adHoc(r: AdHocRequest, ctx: AdHocContext): Promise<ScenarioRun> {
    return createGrpcAdHoc(r, ctx);
  },
};
