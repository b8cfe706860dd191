/**
 * The run description: everything a run is, as plain serializable data, built once at the edge
 * (the CLI, from flags, `RAMPA_*` variables and the scenario file's options) and then consumed
 * unchanged by every thread that runs a share of the load (Web Workers today, fleet hosts
 * next) and by the collector that judges it. No CLI type crosses into core or into a worker.
 *
 * @module
 */
import type { ExecutorConfig } from "../executors/config.ts";
import type { AdHocRequest } from "../protocol/types.ts";
import type { ResolvedOptions } from "../scenario/options.ts";
import type { TimingMode } from "../schedule/wait.ts";
import type { VerdictPolicy } from "../summary/verdict.ts";
import type { Segment } from "../types.ts";

/** An ad-hoc run of one URL, handled by the protocol that owns the URL's scheme. */
export interface AdHocWorkload {
  readonly kind: "adhoc";
  /** The registered protocol that builds the scenario (`http`). */
  readonly protocol: string;
  readonly request: AdHocRequest;
}

/** A scenario file, imported by every thread that runs a share of it. */
export interface ScenarioWorkload {
  readonly kind: "scenario";
  /** Absolute path of the module. */
  readonly path: string;
  /** The options as resolved once on the main thread (every layer applied). */
  readonly options: ResolvedOptions;
  /** setup()'s result (JSON-safe), handed to every VU. */
  readonly data: unknown;
}

/** Options of the console output and of the standard file outputs. */
export interface ReportingSpec {
  /** `--out name=target?opt=v` values, in order. */
  readonly outs: readonly string[];
  /** The JSON summary file, or null for none. */
  readonly summaryPath: string | null;
  readonly color: boolean;
  readonly quiet: boolean;
  /**
   * `--summary-trend-stats`: the console's timing columns in k6's names (`avg`, `p(95)`, …);
   * absent for rampa's default percentiles. The run's `config.summaryTrendStats` carries the
   * same list into the summary, where the console reads it.
   */
  readonly trendStats?: readonly string[];
  /**
   * `--console-output`: the file scenario `console.*` output from every scenario thread goes
   * to; absent for stderr.
   */
  readonly consoleOutput?: string;
}

/** A whole run. */
export interface RunSpec {
  /** Unique id of the run (summaries carry it, so a merge can refuse the same run twice). */
  readonly id: string;
  readonly workload: AdHocWorkload | ScenarioWorkload;
  /** Every scenario to run, by name (ad-hoc runs have one, `default`). */
  readonly scenarios: Readonly<Record<string, ExecutorConfig>>;
  /** Target description per scenario, for banners and summaries. */
  readonly targets: Readonly<Record<string, string>>;
  /** Options handed to protocols. */
  readonly protocol: {
    readonly insecure: boolean;
    readonly engine: string;
    /** `--max-redirects` (HTTP); absent for the protocol's default. */
    readonly maxRedirects?: number;
    /** `--expected-statuses` (HTTP): codes or ranges that are not failures. */
    readonly expectedStatuses?:
      readonly (number | { readonly min: number; readonly max: number })[];
    /** `--connections` (HTTP/2 connections per origin). */
    readonly connections?: number;
    /**
     * `--rps`: the whole run's cap on requests per second. Each load thread enforces its share
     * (`rps / segment.count`), set by the thread itself in its runtime options.
     */
    readonly rps?: number;
    /** `--http-debug[=full]`: print requests and responses (bodies with `full`) to stderr. */
    readonly httpDebug?: "headers" | "full";
  };
  /** Thresholds as written (options plus `--threshold` flags), by key. */
  readonly thresholds: Readonly<Record<string, readonly unknown[]>>;
  /** What fails the run besides thresholds. */
  readonly policy: VerdictPolicy;
  readonly reporting: ReportingSpec;
  readonly timing: TimingMode;
  /** Unmeasured warm-up before the run, ms (ad-hoc runs). */
  readonly warmupMs: number;
  /**
   * False: no rehearsal against a stand-in before the clock (`--no-rehearsal`; see
   * `core/run/rehearsal.ts`). Default true.
   */
  readonly rehearse?: boolean;
  /** Load threads on this host. */
  readonly workers: number;
  /** Interval of deltas from load threads to the collector, ms. */
  readonly tickMs: number;
  /**
   * Deno permissions of the threads that run scenario code; absent for ad-hoc runs (no user
   * code) and `"inherit"` for `--allow-all`.
   */
  readonly permissions?: ThreadPermissions;
  /** Series cap per metric per load thread (`--max-series`); absent for the default. */
  readonly maxSeries?: number;
  /** This host's share of the run (the whole run unless split across hosts). */
  readonly segment: Segment;
  /** Shared start instant (epoch ms) of a fleet run: every host starts its load then. */
  readonly startAt?: number;
  /** What the summary records as the run's configuration (secrets left out). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** A new run id. */
export function newRunId(): string {
  return crypto.randomUUID();
}

/** Deno worker permissions as plain data (see `cli/worker/permissions.ts`). */
export type ThreadPermissions = "inherit" | {
  readonly net: boolean;
  readonly read: readonly string[];
  readonly write: readonly string[] | boolean;
  readonly run: readonly string[] | boolean;
  readonly sys: boolean;
  readonly env: boolean;
  readonly ffi: boolean;
  readonly import: boolean | "inherit";
};
