/**
 * Records WebSocket sessions into metric series. Series are resolved once per tag combination
 * and cached, so recording a message is a map lookup plus a field update.
 *
 * @module
 */
import { addCounter, addRate, addTrend, type MetricRegistry } from "../../core/metrics/registry.ts";
import type { SeriesData } from "../../core/metrics/snapshot.ts";
import { CORE_METRICS } from "../../core/metrics/builtin.ts";
import type { EvidenceLog } from "../../core/run/evidence.ts";
import type { Tags } from "../../core/types.ts";
import { WS_METRICS, type WsErrorKind } from "./metrics.ts";

/** Series of one session's endpoint (name plus extra tags), resolved when the session opens. */
export interface WsSeries {
  readonly sent: SeriesData;
  readonly received: SeriesData;
  readonly ping: SeriesData;
  readonly rtt: SeriesData;
  readonly duration: SeriesData;
  readonly bytesSent: SeriesData;
  readonly bytesReceived: SeriesData;
  /** Tags of the endpoint, for the status/error series resolved later. */
  readonly tags: Tags;
}

/** What one session was, when it ends. */
export interface WsSessionEnd {
  /** Handshake status: 101, the refusing status, or 0 without a response. */
  readonly status: number;
  readonly error: WsErrorKind | null;
  readonly errorMessage: string;
}

/** Turns WebSocket sessions into metrics for one set of base tags (a scenario). */
export class WsRecorder {
  #reg: MetricRegistry;
  #evidence: EvidenceLog;
  #base: Tags;
  #series = new Map<string, WsSeries>();
  #outcome = new Map<string, { sessions: SeriesData; failed: SeriesData }>();
  #connecting = new Map<string, { sched: SeriesData; service: SeriesData }>();
  #leftOpen: SeriesData;

  /** `base` tags (scenario, …) go on every series. */
  constructor(registry: MetricRegistry, evidence: EvidenceLog, base: Tags) {
    this.#reg = registry;
    this.#evidence = evidence;
    this.#base = base;
    for (const d of CORE_METRICS) registry.define(d);
    for (const d of WS_METRICS) registry.define(d);
    this.#leftOpen = registry.series("ws_sessions_left_open", base);
  }

  /** The series of endpoint `name` (with optional group and extra tags). */
  series(name: string, group = "", extra?: Tags): WsSeries {
    const key = name + "\u0000" + group + (extra ? "\u0000" + JSON.stringify(extra) : "");
    let s = this.#series.get(key);
    if (!s) {
      // `method` keys the endpoint list (core matches endpoints by method and name).
      const tags: Tags = {
        ...this.#base,
        ...extra,
        ...(group ? { group } : {}),
        name,
        method: "WS",
      };
      const r = (m: string) => this.#reg.series(m, tags);
      s = {
        sent: r("ws_msgs_sent"),
        received: r("ws_msgs_received"),
        ping: r("ws_ping"),
        rtt: r("ws_msg_rtt"),
        duration: r("ws_session_duration"),
        bytesSent: this.#reg.series("data_sent", this.#base),
        bytesReceived: this.#reg.series("data_received", this.#base),
        tags,
      };
      this.#series.set(key, s);
    }
    return s;
  }

  /** Records a finished opening handshake (successful or refused with a status). */
  connecting(s: WsSeries, status: number, error: WsErrorKind | null, sched: number, svc: number) {
    const key = JSON.stringify(s.tags) + status + (error ?? "");
    let c = this.#connecting.get(key);
    if (!c) {
      const tags = { ...s.tags, status: String(status), ...(error ? { error } : {}) };
      c = {
        sched: this.#reg.series("ws_connecting", tags),
        service: this.#reg.series("ws_connecting_service", tags),
      };
      this.#connecting.set(key, c);
    }
    addTrend(c.sched, sched);
    addTrend(c.service, svc);
  }

  /** Records a session's end: one `ws_sessions` sample tagged with its status and error. */
  end(s: WsSeries, end: WsSessionEnd): void {
    const key = JSON.stringify(s.tags) + end.status + (end.error ?? "");
    let o = this.#outcome.get(key);
    if (!o) {
      const tags = {
        ...s.tags,
        status: String(end.status),
        ...(end.error ? { error: end.error } : {}),
      };
      o = {
        sessions: this.#reg.series("ws_sessions", tags),
        failed: this.#reg.series("ws_session_failed", tags),
      };
      this.#outcome.set(key, o);
    }
    addCounter(o.sessions, 1);
    addRate(o.failed, end.error !== null && end.error !== "aborted");
    if (end.error !== null && !this.#evidence.hasErrorExample(end.error)) {
      this.#evidence.errorExample(end.error, end.errorMessage);
    }
  }

  /** Counts a session an iteration left open. */
  leftOpen(): void {
    addCounter(this.#leftOpen, 1);
  }
}

export { addCounter, addTrend };
