/**
 * The WebSocket protocol as it registers with core: the `ws_*` family, `ctx.ws`, the
 * `ws:`/`wss:` ad-hoc schemes with their `--ws-*` flags, and the "WebSocket" summary section,
 * whose request family counts sessions (so endpoints and the timeline show them).
 *
 * @module
 */
import type { AdHocContext, AdHocRequest, Protocol } from "../../core/protocol/types.ts";
import type { ScenarioRun } from "../../core/run/runner.ts";
import { createWsAdHoc, parseWsFlags } from "./adhoc.ts";
import { closeLeftovers, createWsApi, WS } from "./api.ts";
import { WS_METRICS } from "./metrics.ts";
import type { WsSession } from "./session.ts";

/** The WebSocket protocol. */
export const wsProtocol: Protocol = {
  name: WS,
  schemes: ["ws:", "wss:"],
  metrics: WS_METRICS,
  section: {
    title: "WebSocket",
    metrics: WS_METRICS.map((m) => m.name),
    requests: {
      count: "ws_sessions",
      failed: "ws_session_failed",
      duration: "ws_connecting",
      serviceTime: "ws_connecting_service",
    },
  },
  thresholdAliases: {
    ws_error_rate: { metric: "ws_session_failed", aggregation: "rate" },
  },
  vu: {
    key: WS,
    api: (vu) => createWsApi(vu),
    endIteration: (vu) => closeLeftovers(vu),
    close(vu) {
      // The VU is retired: whatever is still open (it should be nothing) is dropped.
      const s = vu.slots.get(WS) as { open: Set<WsSession> } | undefined;
      for (const x of s?.open ?? []) x.close(1001, "VU retired");
    },
  },
  flags: {
    options: {
      "ws-send": { type: "string" },
      "ws-messages": { type: "string" },
      "ws-expect": { type: "string" },
      "ws-compression": { type: "boolean" },
    },
    usage: [
      "  --ws-send <text>        ws:// URLs: message each session sends (default: hello)",
      "  --ws-messages <n>       ws:// URLs: messages per session, each awaiting a reply (default: 1)",
      "  --ws-expect echo|any    ws:// URLs: a reply must echo the message, or be anything (default: echo)",
      "  --ws-compression        ws:// URLs: offer permessage-deflate",
    ].join("\n"),
  },
  validateAdHoc(r: AdHocRequest): void {
    parseWsFlags(r);
  },
  adHoc(r: AdHocRequest, ctx: AdHocContext): Promise<ScenarioRun> {
    return createWsAdHoc(r, ctx);
  },
};
