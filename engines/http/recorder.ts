/**
 * Records HTTP outcomes into metric series. Series are resolved once per (endpoint, status,
 * error) combination and cached under a small integer key, so recording a request is a map
 * lookup plus field updates: no strings, no tag objects, no allocation per request.
 *
 * @module
 */
import { ERROR_KINDS, type Tags } from "../../core/types.ts";
import { addCounter, addRate, addTrend, type MetricRegistry } from "../../core/metrics/registry.ts";
import type { SeriesData } from "../../core/metrics/snapshot.ts";
import { CORE_METRICS } from "../../core/metrics/builtin.ts";
import type { EvidenceLog } from "../../core/run/evidence.ts";
import { HTTP_METRICS } from "./metrics.ts";
import type { Outcome } from "./types.ts";
import { DEFAULT_EXPECTED, type StatusMatcher } from "./expected.ts";

/** Options of an {@link HttpRecorder} beyond its registry and base tags. */
export interface HttpRecorderOptions {
  /** The `proto` tag of every request series ("HTTP/1.1"); no tag when absent. */
  readonly proto?: string;
  /** The run's rule for `http_req_failed`. @default 200–399 */
  readonly expected?: StatusMatcher;
}

/**
 * An endpoint's fixed tags: the request `name` (URL template), method, and for scenarios the
 * group and any per-request tags. Each distinct combination is one endpoint id.
 */
export interface EndpointTags {
  readonly name: string;
  readonly method: string;
  readonly group?: string;
  readonly extra?: Tags;
}

interface Bundle {
  reqs: SeriesData;
  corrected: SeriesData;
  failed: SeriesData;
  duration: SeriesData;
  service: SeriesData;
  blocked: SeriesData;
  dns: SeriesData;
  connecting: SeriesData;
  tls: SeriesData;
  sending: SeriesData;
  waiting: SeriesData;
  receiving: SeriesData;
}

/** Most samples one slow response back-fills into the corrected trend. */
export const MAX_BACKFILL = 10_000;

/** Turns outcomes into metrics for one scenario. */
export class HttpRecorder {
  #reg: MetricRegistry;
  #base: Tags;
  #endpoints: EndpointTags[] = [];
  #endpointIds = new Map<string, number>();
  #bundles = new Map<number, Bundle>();
  #lag: SeriesData;
  #sent: SeriesData;
  #received: SeriesData;
  #opened: SeriesData;
  /** First error message per kind goes here (kept out of the hot metrics). */
  readonly #evidence: EvidenceLog;

  #recordLag: boolean;
  readonly #proto: string | undefined;
  readonly #expected: StatusMatcher;

  /**
   * `base` tags (e.g. scenario) go on every series. `recordLag` records scheduler lag per
   * request; scenario runs record it per iteration instead (their requests are not scheduled).
   */
  constructor(
    registry: MetricRegistry,
    evidence: EvidenceLog,
    base: Tags = {},
    recordLag = true,
    options: HttpRecorderOptions = {},
  ) {
    this.#proto = options.proto;
    this.#expected = options.expected ?? DEFAULT_EXPECTED;
    this.#reg = registry;
    this.#evidence = evidence;
    this.#base = base;
    this.#recordLag = recordLag;
    for (const d of CORE_METRICS) registry.define(d);
    for (const d of HTTP_METRICS) registry.define(d);
    this.#lag = registry.series("scheduler_lag", base);
    this.#sent = registry.series("data_sent", base);
    this.#received = registry.series("data_received", base);
    this.#opened = registry.series("http_conns_opened", base);
  }

  /** Registers an endpoint; returns the id to pass to {@link record}. */
  endpoint(tags: EndpointTags): number {
    const key = tags.method + "\u0000" + tags.name + "\u0000" + (tags.group ?? "") +
      (tags.extra ? "\u0000" + JSON.stringify(tags.extra) : "");
    let id = this.#endpointIds.get(key);
    if (id === undefined) {
      id = this.#endpoints.length;
      this.#endpoints.push(tags);
      this.#endpointIds.set(key, id);
    }
    return id;
  }

  /** Number of distinct endpoints seen (callers cap cardinality with it). */
  get endpointCount(): number {
    return this.#endpoints.length;
  }

  /**
   * Records one finished request. Interrupted requests (`aborted`) keep no latency. `pace` is
   * the sending VU's usual interval between requests in closed loop (NaN in open loop, whose
   * latency already counts from the schedule): a response slower than it is also recorded with
   * the requests the VU would have sent meanwhile back-filled (HdrHistogram's
   * expected-interval correction), into `http_req_duration_corrected`.
   *
   * `expected` decides `http_req_failed` and the `expected_response` tag when the request has
   * its own rule; by default the recorder's rule judges the status. A transport error is never
   * expected.
   */
  record(endpoint: number, o: Outcome, pace = NaN, expected?: boolean): void {
    const errIdx = o.error === null ? 0 : ERROR_KINDS.indexOf(o.error) + 1;
    const ok = o.error === null && (expected ?? this.#expected(o.status));
    const key = ((endpoint * 1000 + o.status) * 16 + errIdx) * 2 + (ok ? 1 : 0);
    const b = this.#bundles.get(key) ?? this.#resolve(key, endpoint, o, ok);
    addCounter(b.reqs, 1);
    addRate(b.failed, !ok);
    addCounter(this.#sent, o.bytesSent);
    addCounter(this.#received, o.bytesReceived);
    // A wait under --rps (`held`) is latency, not the generator's lateness.
    if (this.#recordLag) addTrend(this.#lag, o.started - o.scheduled - (o.held || 0));
    if (o.error === "aborted") return;
    const latency = o.ended - o.scheduled;
    addTrend(b.duration, latency);
    if (pace > 0) {
      addTrend(b.corrected, latency);
      // Bounded: a minute-long stall at a 1 ms pace back-fills at most MAX_BACKFILL samples.
      let n = 0;
      for (let v = latency - pace; v >= pace && n < MAX_BACKFILL; v -= pace, n++) {
        addTrend(b.corrected, v);
      }
    }
    addTrend(b.service, o.ended - o.started);
    if (o.blocked === o.blocked) addTrend(b.blocked, o.blocked);
    if (o.dns === o.dns) addTrend(b.dns, o.dns);
    if (o.connecting === o.connecting) {
      addTrend(b.connecting, o.connecting);
      // A reused connection reports 0; a dial takes time (at least microseconds on loopback).
      if (o.connecting > 0) addCounter(this.#opened, 1);
    }
    if (o.tls === o.tls) addTrend(b.tls, o.tls);
    if (o.sending === o.sending) addTrend(b.sending, o.sending);
    if (o.waiting === o.waiting) addTrend(b.waiting, o.waiting);
    if (o.receiving === o.receiving) addTrend(b.receiving, o.receiving);
    if (o.error !== null && !this.#evidence.hasErrorExample(o.error)) {
      this.#evidence.errorExample(o.error, o.errorMessage);
    }
  }

  #resolve(key: number, endpoint: number, o: Outcome, ok: boolean): Bundle {
    const e = this.#endpoints[endpoint];
    const tags: Record<string, string> = {
      ...this.#base,
      ...e.extra,
      ...(e.group ? { group: e.group } : {}),
      name: e.name,
      method: e.method,
      status: String(o.status),
      expected_response: ok ? "true" : "false",
    };
    if (this.#proto !== undefined) tags.proto = this.#proto;
    if (o.error !== null) tags.error = o.error;
    const s = (m: string) => this.#reg.series(m, tags);
    const b: Bundle = {
      reqs: s("http_reqs"),
      corrected: s("http_req_duration_corrected"),
      failed: s("http_req_failed"),
      duration: s("http_req_duration"),
      service: s("http_req_service_time"),
      blocked: s("http_req_blocked"),
      dns: s("http_req_dns"),
      connecting: s("http_req_connecting"),
      tls: s("http_req_tls_handshaking"),
      sending: s("http_req_sending"),
      waiting: s("http_req_waiting"),
      receiving: s("http_req_receiving"),
    };
    this.#bundles.set(key, b);
    return b;
  }
}
