/**
 * Records gRPC calls into metric series. Series are resolved once per tag combination and
 * cached, so recording a call is a map lookup plus field updates.
 *
 * Tags: `name` is the method (`pkg.Service/Method`, or the caller's `name`), `method` is
 * `GRPC` (core lists endpoints by method and name, so gRPC calls read "GRPC pkg.Svc/Method"),
 * `type` the call kind for streams, `status` the gRPC status name — or `0` when no server was
 * ever reached (refused, DNS, TLS), core's "no response" so an unreachable target is judged
 * as one — and `error` a transport error kind from core's closed set.
 *
 * @module
 */
import { addCounter, addRate, addTrend, type MetricRegistry } from "../../core/metrics/registry.ts";
import type { SeriesData } from "../../core/metrics/snapshot.ts";
import { CORE_METRICS } from "../../core/metrics/builtin.ts";
import type { EvidenceLog } from "../../core/run/evidence.ts";
import type { ErrorKind, Tags } from "../../core/types.ts";
import { GRPC_METRICS } from "./metrics.ts";

/** The call kinds, as the `type` tag of streaming series spells them. */
export type GrpcCallType = "unary" | "server_stream" | "client_stream" | "bidi";

/** Series of one endpoint (method name plus group and extra tags). */
export interface GrpcSeries {
  readonly sent: SeriesData;
  readonly received: SeriesData;
  readonly bytesSent: SeriesData;
  readonly bytesReceived: SeriesData;
  /** Tags of the endpoint, for the status/error series resolved later. */
  readonly tags: Tags;
  /** Cache key prefix of the endpoint. */
  readonly key: string;
}

/** How one call ended, as recorded. */
export interface GrpcCallEnd {
  /** The `status` tag: a status name, or "0" when no server was reached. */
  readonly statusTag: string;
  readonly error: ErrorKind | null;
  /** The status details (first example per error kind is kept as evidence). */
  readonly message: string;
}

/** Turns gRPC calls into metrics for one set of base tags (a scenario). */
export class GrpcRecorder {
  #reg: MetricRegistry;
  #evidence: EvidenceLog;
  #base: Tags;
  #series = new Map<string, GrpcSeries>();
  #unary = new Map<
    string,
    { reqs: SeriesData; failed: SeriesData; dur: SeriesData; svc: SeriesData }
  >();
  #streams = new Map<string, { streams: SeriesData; dur: SeriesData }>();

  /** `base` tags (scenario, …) go on every series. */
  constructor(registry: MetricRegistry, evidence: EvidenceLog, base: Tags) {
    this.#reg = registry;
    this.#evidence = evidence;
    this.#base = base;
    for (const d of CORE_METRICS) registry.define(d);
    for (const d of GRPC_METRICS) registry.define(d);
  }

  /** The series of endpoint `name` (with optional group and extra tags). */
  series(name: string, group = "", extra?: Tags): GrpcSeries {
    const key = name + "\u0000" + group + (extra ? "\u0000" + JSON.stringify(extra) : "");
    let s = this.#series.get(key);
    if (!s) {
      const tags: Tags = {
        ...this.#base,
        ...extra,
        ...(group ? { group } : {}),
        name,
        method: "GRPC",
      };
      s = {
        sent: this.#reg.series("grpc_streams_msgs_sent", tags),
        received: this.#reg.series("grpc_streams_msgs_received", tags),
        bytesSent: this.#reg.series("data_sent", this.#base),
        bytesReceived: this.#reg.series("data_received", this.#base),
        tags,
        key,
      };
      this.#series.set(key, s);
    }
    return s;
  }

  /** Records a finished unary call: latency from the schedule and from the actual start. */
  unary(s: GrpcSeries, end: GrpcCallEnd, sinceScheduled: number, sinceStarted: number): void {
    const key = s.key + "\u0000" + end.statusTag + "\u0000" + (end.error ?? "");
    let b = this.#unary.get(key);
    if (!b) {
      const tags = { ...s.tags, status: end.statusTag, ...(end.error ? { error: end.error } : {}) };
      const r = (m: string) => this.#reg.series(m, tags);
      b = {
        reqs: r("grpc_reqs"),
        failed: r("grpc_req_failed"),
        dur: r("grpc_req_duration"),
        svc: r("grpc_req_service_time"),
      };
      this.#unary.set(key, b);
    }
    addCounter(b.reqs, 1);
    addRate(b.failed, end.statusTag !== "OK" && end.error !== "aborted");
    this.#example(end);
    // An interrupted call keeps no latency (as HTTP's): it measured the stop, not the server.
    if (end.error === "aborted") return;
    addTrend(b.dur, sinceScheduled);
    addTrend(b.svc, sinceStarted);
  }

  /** Records a finished streaming call. */
  stream(s: GrpcSeries, type: GrpcCallType, end: GrpcCallEnd, duration: number): void {
    const key = s.key + "\u0000" + type + "\u0000" + end.statusTag + "\u0000" + (end.error ?? "");
    let b = this.#streams.get(key);
    if (!b) {
      const tags = {
        ...s.tags,
        type,
        status: end.statusTag,
        ...(end.error ? { error: end.error } : {}),
      };
      b = {
        streams: this.#reg.series("grpc_streams", tags),
        dur: this.#reg.series("grpc_stream_duration", tags),
      };
      this.#streams.set(key, b);
    }
    addCounter(b.streams, 1);
    this.#example(end);
    if (end.error !== "aborted") addTrend(b.dur, duration);
  }

  #example(end: GrpcCallEnd): void {
    const kind = end.error;
    if (kind !== null && !this.#evidence.hasErrorExample(kind)) {
      this.#evidence.errorExample(kind, end.message);
    }
  }
}

export { addCounter };
