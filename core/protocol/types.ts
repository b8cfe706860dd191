/**
 * The Protocol seam. A protocol (HTTP, WebSocket, gRPC, …) is a folder under `engines/` that
 * registers one {@link Protocol} value: its metric family, its engines, its entry on the VU
 * context (`ctx.http`), its ad-hoc URL schemes (`rampa run http://…`) and its summary section.
 * Core names no protocol: it runs iterations, records what protocols record, and describes
 * whatever families were registered.
 *
 * @module
 */
import type { Executor } from "../executors/executor.ts";
import type { MetricRegistry } from "../metrics/registry.ts";
import type { ScenarioRun } from "../run/runner.ts";
import type { EvidenceLog } from "../run/evidence.ts";
import type { MetricDef, Segment, Tags } from "../types.ts";
import type { Aggregation } from "../thresholds/types.ts";

/** What every VU of one thread shares. */
export interface Runtime {
  readonly registry: MetricRegistry;
  /** Error examples, check reasons, iteration errors of this thread. */
  readonly evidence: EvidenceLog;
  /** The protocols registered in this thread. */
  readonly protocols: readonly Protocol[];
  /** Options for protocols, from the run description (`insecure`, `engine`, per protocol). */
  readonly options: ProtocolOptions;
  /** Per-thread state of protocols (a protocol's own key, e.g. its per-scenario recorders). */
  readonly state: Map<string, unknown>;
}

/** Options the run description hands to every protocol. */
export interface ProtocolOptions {
  /** Skip TLS verification (`--insecure`, `insecureSkipTLSVerify`). */
  readonly insecure: boolean;
  /** The engine chosen with `--engine` (each protocol picks what it understands). */
  readonly engine: string;
  /** Distinct request names per scenario before further ones fold into "(other)". */
  readonly maxEndpoints: number;
  /**
   * Redirects a request follows before its 3xx is returned (`--max-redirects`); a request's own
   * `maxRedirects` wins. 0 follows none. @default 10
   */
  readonly maxRedirects?: number;
  /**
   * Statuses that count as success for request-like protocols (HTTP's `http_req_failed` and
   * `expected_response` tag): single codes or inclusive ranges. @default [{ min: 200, max: 399 }]
   */
  readonly expectedStatuses?: readonly ExpectedStatus[];
  /**
   * Connections per origin for engines that multiplex (HTTP/2 streams share them), per client:
   * one client per load thread ad hoc, one per VU in a scenario (`--connections`). @default 1
   */
  readonly connections?: number;
  /**
   * Requests per second this thread may send (`--rps`, the run's cap divided over its load
   * threads and hosts): a request over it waits for its turn, keeping its scheduled start so
   * the wait shows in latency. @default no cap
   */
  readonly rps?: number;
  /**
   * Print every request and response to stderr (`--http-debug`): `headers` the lines and
   * headers, `full` the bodies too (first 2 KiB); secrets redacted. @default off
   */
  readonly httpDebug?: "headers" | "full";
}

/** A status counted as expected: one code, or an inclusive range (`{ min: 200, max: 299 }`). */
export type ExpectedStatus = number | { readonly min: number; readonly max: number };

/** One VU's state, shared by the scenario API and every protocol's VU entry. */
export interface VuState {
  readonly runtime: Runtime;
  /** Global VU number, 1-based (unique across workers and hosts). */
  readonly id: number;
  readonly scenario: string;
  /** Tags on every series this VU records: `scenario` plus the scenario's own tags. */
  readonly tags: Tags;
  readonly env: Readonly<Record<string, string>>;
  readonly data: unknown;
  /** The VU's iteration counter (0-based), within its scenario. */
  iteration: number;
  /** Current group path, e.g. `checkout::pay`; "" outside any group. */
  group: string;
  /** Keep per-VU protocol state such as cookies across iterations (`noCookiesReset`). */
  readonly keepState: boolean;
  /** Aborted when graceful stop runs out: in-flight work ends as "aborted". */
  interrupt: AbortSignal;
  /** Per-VU state of protocols, by protocol name (connections, cookie jars, sessions). */
  readonly slots: Map<string, unknown>;
}

/** A protocol's entry on the VU context and its per-VU lifecycle. */
export interface VuExtension {
  /** The context key, e.g. `http` for `ctx.http`. */
  readonly key: string;
  /** The API object for a VU lookup (the context's own VU, or the current one). */
  api(vu: () => VuState): unknown;
  /** Before each iteration (reset cookies, …). */
  beginIteration?(vu: VuState): void;
  /** After each iteration, even a failed one (close what the iteration left open). */
  endIteration?(vu: VuState): void | Promise<void>;
  /** When the VU is retired at the end of its scenario (close connections). */
  close?(vu: VuState): void;
}

/**
 * A protocol's request-like metrics, so that core can list endpoints and chart requests and
 * latency for any protocol without knowing its names.
 */
export interface RequestFamily {
  /** Counter of requests (tags: name, method, status, error). */
  readonly count: string;
  /** Rate of failed requests. */
  readonly failed: string;
  /** Trend of latency from the scheduled start. */
  readonly duration: string;
  /** Trend of latency from the actual start. */
  readonly serviceTime?: string;
  /**
   * Trend of closed-loop latency corrected for coordinated omission; compared with `duration`
   * to tell whether a closed loop hid stalls.
   */
  readonly corrected?: string;
  /** Counter of connections opened (those opened during the run are counted in health). */
  readonly opened?: string;
}

/** How a protocol's results are summarized (console, HTML, JSON `sections`). */
export interface ProtocolSection {
  /** Section heading, e.g. "HTTP". */
  readonly title: string;
  /** The metrics shown in the section, in order. */
  readonly metrics: readonly string[];
  /** Its request-like metrics, for endpoints and the time series. */
  readonly requests?: RequestFamily;
}

/** An engine of a protocol, for `--engine` (validation and help come from here). */
export interface EngineInfo {
  readonly name: string;
  /** One line of help. */
  readonly summary: string;
}

/** A request described by ad-hoc flags (`rampa run <url> -X … -H …`); plain data. */
export interface AdHocRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array | string | null;
  readonly timeoutMs: number;
  /** Metric `name` tag; null for the protocol's default. */
  readonly name: string | null;
  /** Response expectations (`--expect-*`). */
  readonly expect: {
    readonly statuses: readonly number[];
    readonly headers: readonly (readonly [string, string])[];
    /** `--expect-body-json`: the file name and the parsed JSON Schema. */
    readonly bodyJson: { readonly file: string; readonly schema: unknown } | null;
  };
  /** Values of the protocol's own flags (see {@link Protocol.flags}), by flag name. */
  readonly flags: Readonly<Record<string, unknown>>;
  /**
   * A target list (`--targets`): each iteration sends one of these instead of the single
   * request above (which is the list's first); absent for a single URL.
   */
  readonly targets?: readonly {
    readonly method: string;
    readonly url: string;
    readonly headers: readonly (readonly [string, string])[];
    readonly body: Uint8Array | string | null;
  }[];
  /** How targets are chosen: in turn (the default) or at random. */
  readonly pick?: "round-robin" | "random";
}

/** What a protocol's ad-hoc scenario is built with, in the thread that runs it. */
export interface AdHocContext {
  readonly runtime: Runtime;
  readonly executor: Executor;
  readonly segment: Segment;
  /** Tags on every series (`scenario: default`). */
  readonly tags: Tags;
  /** Call once when the target is clearly unreachable: the run stops with exit 8. */
  readonly onUnreachable: (message: string) => void;
}

/** Extra `rampa run` flags a protocol understands (parsed by the CLI, validated here). */
export interface ProtocolFlags {
  /** `node:util` parseArgs-style option specs, by long name. */
  readonly options: Readonly<
    Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>
  >;
  /** Help lines for `rampa run --help`. */
  readonly usage: string;
}

/** An alias a threshold key may use for one of the protocol's metrics (`error_rate`). */
export interface ThresholdAlias {
  readonly metric: string;
  readonly aggregation: Aggregation;
}

/** Everything a protocol registers. */
export interface Protocol {
  /** Protocol id, e.g. `http`; also the tag `proto` family name. */
  readonly name: string;
  /** URL schemes `rampa run <url>` hands to this protocol, with the colon: `http:`. */
  readonly schemes: readonly string[];
  /** The metric family it records. */
  readonly metrics: readonly MetricDef[];
  /** Its summary section. */
  readonly section: ProtocolSection;
  /** Engines `--engine` may name for it; the first is the default. */
  readonly engines?: readonly EngineInfo[];
  /** Threshold key aliases (`error_rate` → `http_req_failed` rate). */
  readonly thresholdAliases?: Readonly<Record<string, ThresholdAlias>>;
  /** Its entry on the VU context. */
  readonly vu?: VuExtension;
  /** Its own ad-hoc flags. */
  readonly flags?: ProtocolFlags;
  /**
   * Checks an ad-hoc request before any thread starts (bad URL, unknown engine); throws a
   * ConfigError listing every problem.
   */
  validateAdHoc?(request: AdHocRequest, options: ProtocolOptions): Promise<void> | void;
  /** Builds the ad-hoc scenario for a URL of one of its schemes (one iteration per arrival). */
  adHoc?(request: AdHocRequest, ctx: AdHocContext): Promise<ScenarioRun>;
}
