/**
 * `rampa run` flags, parsed into a plain options object without side effects, so every
 * accepted and rejected value is testable without sending a request. Every problem found is
 * reported at once.
 *
 * @module
 */
import { ConfigError } from "../../core/errors.ts";
import { parseDuration, parseRate, parseShare, perSecond } from "../../core/units.ts";
import { type FlagSpec, parseFlags } from "../flags.ts";
import { userPath } from "../user_path.ts";
import { engineNames, registeredProtocols } from "../../core/protocol/registry.ts";
import { outputsHelp } from "../../outputs/registry.ts";
import { isScenarioPath } from "../../core/scenario/scenario_path.ts";
import { TIMING_MODES, type TimingMode } from "../../core/schedule/wait.ts";
import { parseStages } from "../../core/scenario/stages.ts";
import { DEFAULT_MAX_SERIES } from "../../core/metrics/registry.ts";
import type { ScenarioGrants } from "../worker/permissions.ts";
import { parseSegment, parseStartAt } from "../fleet_segment.ts";
import { type Segment, WHOLE_RUN } from "../../core/types.ts";
import { parseTrendStats } from "../../outputs/console/trend_stats.ts";
import { envDefaults, envName, readEnv } from "./_run_env.ts";

/** `200-299,404` → [{min: 200, max: 299}, 404]; problems go to `issues`. */
function statusList(text: string, issues: string[]): (number | { min: number; max: number })[] {
  const out: (number | { min: number; max: number })[] = [];
  for (const part of text.split(",").map((x) => x.trim()).filter(Boolean)) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m?.[2] ? Number(m[2]) : lo;
    if (!m || lo < 100 || hi > 599 || hi < lo) {
      issues.push(
        `Cannot parse --expected-statuses "${text}": expected codes or ranges such as 200-299,404`,
      );
      return [];
    }
    out.push(lo === hi ? lo : { min: lo, max: hi });
  }
  return out;
}

/** `--allow-read a,b --allow-read c` → [a, b, c]. */
function list(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
}

/** Most VUs one run may ask for: each is a connection and memory; beyond, it is a typo. */
export const MAX_VUS = 100_000;
/** Most load threads: more than cores only adds contention (a typo such as 100). */
export const MAX_WORKERS = 64;

/** Every flag the registered protocols declare (a name taken by rampa itself is an error). */
function protocolFlagSpecs(): FlagSpec {
  const out: FlagSpec = {};
  for (const p of registeredProtocols()) {
    for (const [name, spec] of Object.entries(p.flags?.options ?? {})) {
      if (name in OPTIONS || name in out) {
        throw new Error(`Protocol "${p.name}" declares --${name}, which is already taken`);
      }
      out[name] = spec;
    }
  }
  return out;
}

/** Help text for `rampa run --help`: engines and outputs come from their registries. */
export function runUsage(): string {
  const engines = engineNames().map((e) =>
    `                           ${e.name.padEnd(8)} ${e.summary}`
  )
    .join("\n");
  const protocolUsage = registeredProtocols().filter((p) => p.flags)
    .map((p) => `\n${p.section.title} (ad-hoc ${p.schemes.join(" ")} URLs):\n${p.flags!.usage}`)
    .join("\n");
  return RUN_USAGE.replace("{{engines}}", engines).replace("{{protocols}}", protocolUsage).replace(
    "{{outputs}}",
    outputsHelp().split("\n").map((l) => "  " + l).join("\n"),
  );
}

const RUN_USAGE = `Usage: rampa run <url | scenario.ts> [options]

Sends load to <url>, or runs a TypeScript scenario file, and reports latency from each
request's scheduled start. With a scenario file, --rate, --vus, --duration, --iterations and
--stage replace the file's scenarios with one default scenario (as in k6).

Load model (open loop by default):
  --rate <rate>          Arrival rate: 500/s, 6000/1m, 5/100ms (default 50/s)
  --vus <n>              Closed loop instead: n virtual users sending back to back
  -d, --duration <dur>   How long to send: 500ms, 30s, 2m30s (default 10s)
  --max-in-flight <n>    Open-loop concurrency cap; arrivals over it are dropped and counted
                         (default: 2 s worth of the rate, at least 64, at most 10000)
  --stage <dur:target>   A ramp stage (repeatable), k6's duration:target: with a URL the
                         target is an arrival rate per second (open loop), with --vus a VU
                         count; e.g. --stage 30s:500 --stage 1m:500 --stage 10s:0
  --iterations <n>       Exactly n iterations: at --rate (open loop) or shared by --vus
  --graceful-stop <dur>  Time in-flight requests get after the end (default 30s)
  --workers <n|auto>     Load threads (Web Workers; the main thread only collects and reports).
                         auto (default): one, unless the planned rate exceeds what one thread
                         of the engine sustains on schedule; the summary says why
  --warmup <dur>         Send the same load for this long first, unmeasured, so the JIT has
                         compiled the hot path before the clock starts (ad-hoc runs; default 0)
  --no-rehearsal         Without --warmup, an ad-hoc http:// run from 10,000/s per load
                         thread first sends ~2,000 of its requests to a stand-in server inside
                         rampa (never to the target; ~0.1 s) so its hot path is compiled before
                         the clock starts; this turns that off (ADR 23)
  --timing <mode>        slice (default): a helper thread wakes the run at most every 0.5 ms
                         on a fixed grid and every arrival due by then starts, keeping its
                         scheduled time: CPU follows the load, never yielding (ADR 21);
                         precise: sleep to just before each arrival, then yield (shorter lag
                         body, up to a whole core from ~1,000/s); efficient: sleep only,
                         wake-up lateness (~0.3 ms with the helper thread, ~1-2 ms below
                         200/s) reported as scheduler lag; spin: yield the last 1.5 ms, no
                         helper thread (lowest lag, a whole core from ~1,000/s)

Request:
  -X, --method <m>       HTTP method (default GET, or POST with a body)
  -H, --header 'k: v'    Request header (repeatable)
  --body <text>          Request body
  --body-file <path>     Request body from a file
  --timeout <dur>        Per-request timeout (default 60s)
  --name <name>          Metric name of the request (default: URL without query)
  --insecure             Skip TLS certificate verification
  --targets <file|->     A target list instead of the URL (vegeta's format: "METHOD URL",
                         header lines, "@body-file", blank line between targets)
  --targets-format <f>   http (default) or json (one {"method","url","header","body"} a line)
  --targets-pick <p>     round-robin (default) or random
  --engine <name>        Protocol engine (default: each protocol's first):
{{engines}}
  --max-redirects <n>    Redirects followed per request, each recorded as its own request
                         (default 10; 0 returns the 3xx as it is)
  --connections <n>      HTTP/2 connections per origin and load thread (default 1)
  --rps <n>              Cap on HTTP requests per second over the whole run (k6's --rps),
                         shared by the load threads; a request held back keeps its scheduled
                         start, so the wait shows in latency
  --http-debug[=full]    Print each request and response with headers to stderr (=full: and
                         bodies, first 2 KiB); secrets redacted, first 1,000 exchanges

{{protocols}}
Pass/fail:
  --threshold <expr>     e.g. 'http_req_duration p(99)<500ms' or 'error_rate: <1%' (repeatable)
  --expect-status <list> Check every response's status, e.g. 200,204
  --expect-header <h: v> Check a response header contains a value (repeatable)
  --expect-body-json <f> Check every response body against a JSON Schema file
  --fail-on-check        Any failed check fails the run (exit 5)
  --expected-statuses <list>
                         Statuses that are not failures, e.g. 200-299,404 (default 200-399)
  --max-dropped <share>  Dropped arrivals tolerated before exit 7: 1%, 0.05, 100% (default 1%)
  --max-series <n>       Distinct tag sets per metric and load thread before further names
                         and tag values fold into "(other)" (default 250)
  --max-iteration-errors <share>
                         Iterations whose code threw tolerated before exit 6 (default 10%;
                         a run in which every iteration threw always fails)

Scenario code (runs on its own threads with the network and read access to its project only):
  --allow-read <paths>   Also let it read these files or folders (comma list, repeatable)
  --allow-write <paths>  Let it write these files or folders
  --allow-run <cmds>     Let it run these programs
  --allow-sys            Let it read system information (hostname, memory, …)
  --allow-all            Give it every permission rampa has (trusted code only)
  --import-timeout <d>   Deadline for importing the scenario (default 60s)

Fleet (one run over many hosts; see docs/fleet.md):
  --segment <i/N|auto>   Run only this host's share i of N (0-based); auto reads
                         JOB_COMPLETION_INDEX + RAMPA_SEGMENTS or CI_NODE_INDEX/CI_NODE_TOTAL
  --start-at <instant>   Prepare, then start at this RFC 3339 instant (e.g. 2026-12-03T14:00:00Z)
  --coordinator <url>    Join the run of \`rampa coordinator\` (segment and start from it; token
                         in RAMPA_FLEET_TOKEN); exits 0 once it has this host's results

Output:
  --out <name=target?opt=v>  Extra output (repeatable), one of:
{{outputs}}
  --summary <path>       Summary file (default rampa-summary.json); - or /dev/stdout writes
                         the JSON to stdout and the text summary to stderr
  --no-summary           Write no summary file
  -q, --quiet            Print only the verdict line
  --no-color             No colours (also NO_COLOR=1)
  --summary-trend-stats <list>
                         Console timing columns, k6 names: avg,min,med,max,count,p(90),
                         p(95),p(99),p(99.9) (default min,p(50),p(90),p(95),p(99),p(99.9),max)
  --console-output <file>
                         Scenario console.log/info/warn/error go to this file, not stderr
  -h, --help             Show this help

Any flag may come from RAMPA_<FLAG> (RAMPA_VUS=10, RAMPA_OUT=a,b); a given flag wins.

Scenario files:
  -e, --env <K=V>        A value for the scenario's env (repeatable; also RAMPA_ENV_K=V); for a
                         URL run, fills \${K} in the URL, headers and --body
  --dry-run              Print the resolved plan and send nothing
`;

const OPTIONS = {
  rate: { type: "string" },
  vus: { type: "string", short: "u" },
  duration: { type: "string", short: "d" },
  "max-in-flight": { type: "string" },
  "graceful-stop": { type: "string" },
  timing: { type: "string" },
  warmup: { type: "string" },
  "no-rehearsal": { type: "boolean" },
  workers: { type: "string" },
  method: { type: "string", short: "X" },
  header: { type: "string", short: "H", multiple: true },
  body: { type: "string" },
  "body-file": { type: "string" },
  timeout: { type: "string" },
  name: { type: "string" },
  insecure: { type: "boolean" },
  engine: { type: "string" },
  out: { type: "string", multiple: true, short: "o" },
  summary: { type: "string" },
  "summary-export": { type: "string" },
  "no-thresholds": { type: "boolean" },
  tag: { type: "string", multiple: true },
  "user-agent": { type: "string" },
  "no-summary": { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  iterations: { type: "string", short: "i" },
  stage: { type: "string", multiple: true, short: "s" },
  env: { type: "string", short: "e", multiple: true },
  "dry-run": { type: "boolean" },
  threshold: { type: "string", multiple: true },
  "fail-on-check": { type: "boolean" },
  "expect-status": { type: "string" },
  "expect-header": { type: "string", multiple: true },
  "expect-body-json": { type: "string" },
  "max-dropped": { type: "string" },
  "max-series": { type: "string" },
  "allow-read": { type: "string", multiple: true },
  "allow-write": { type: "string", multiple: true },
  "allow-run": { type: "string", multiple: true },
  "allow-sys": { type: "boolean" },
  "allow-all": { type: "boolean" },
  "import-timeout": { type: "string" },
  segment: { type: "string" },
  targets: { type: "string" },
  "targets-format": { type: "string" },
  "targets-pick": { type: "string" },
  "max-redirects": { type: "string" },
  "expected-statuses": { type: "string" },
  connections: { type: "string" },
  coordinator: { type: "string" },
  "start-at": { type: "string" },
  "max-iteration-errors": { type: "string" },
  rps: { type: "string" },
  "http-debug": { type: "string" },
  "summary-trend-stats": { type: "string" },
  "console-output": { type: "string" },
} as const;

/** Resolved `rampa run` options. */
export interface RunArgs {
  help: boolean;
  url: string;
  mode: "open" | "closed";
  /** Arrivals per second (open loop). */
  ratePerSecond: number;
  /** The rate as typed, for the summary. */
  rateText: string;
  vus: number;
  durationMs: number;
  maxInFlight: number;
  gracefulStopMs: number;
  timing: TimingMode;
  /** Unmeasured warm-up before the run, ms (ad-hoc only). */
  warmupMs: number;
  /** False with `--no-rehearsal`: no rehearsal against a stand-in before the clock. */
  rehearse: boolean;
  /** Worker count, or null for auto. */
  workers: number | null;
  method: string;
  headers: [string, string][];
  body: string | null;
  bodyFile: string | null;
  timeoutMs: number;
  name: string | null;
  insecure: boolean;
  /** An engine name from the protocol registry. */
  engine: string;
  outs: string[];
  summaryPath: string | null;
  quiet: boolean;
  color: boolean;
  thresholds: string[];
  failOnCheck: boolean;
  expectStatus: number[];
  expectHeaders: [string, string][];
  expectBodyJson: string | null;
  /** Dropped share tolerated (0–1); null when not given (the default applies). */
  maxDropped: number | null;
  /** Share of iterations allowed to throw (0–1); null when not given (the default applies). */
  maxIterationErrors: number | null;
  /** Series cap per metric per load thread (`--max-series`); null for the default. */
  maxSeries: number | null;
  /** What scenario code may do beyond the network and reading its project. */
  grants: ScenarioGrants;
  /** Deadline for importing a scenario (`--import-timeout`); null for the default. */
  importTimeoutMs: number | null;
  /** Values of flags that registered protocols declare, by long name. */
  protocolFlags: Record<string, unknown>;
  /** True when the positional is a scenario file. */
  scenario: boolean;
  dryRun: boolean;
  /** Ad-hoc `--stage` values (duration ms, target), a ramp of the rate or of VUs. */
  stages: { durationMs: number; target: number }[] | null;
  /** Ad-hoc `--iterations`: total iterations, or null. */
  iterations: number | null;
  /** `--targets FILE|-`: a target list instead of one URL (vegeta's format). */
  targets: { path: string; format: "http" | "json"; pick: "round-robin" | "random" } | null;
  /** HTTP client options beyond the engine (`--max-redirects`, `--expected-statuses`, …). */
  http: {
    maxRedirects?: number;
    expectedStatuses?: (number | { min: number; max: number })[];
    connections?: number;
    /** `--rps`: the whole run's request-rate cap (each load thread enforces its share). */
    rps?: number;
    /** `--http-debug[=full]`. */
    httpDebug?: "headers" | "full";
  };
  /** This host's share of a fleet run (`--segment`). */
  segment: Segment;
  /** Shared start instant, epoch ms (`--start-at`); null to start when ready. */
  startAt: number | null;
  /** `--coordinator URL`: join a fleet run; null for a run of its own. */
  coordinator: string | null;
  /** `--no-thresholds`: the file's thresholds are not judged either. */
  noThresholds: boolean;
  /** `--tag k=v`: tags on every series of the run. */
  tags: Record<string, string>;
  /** `--rps N`: the whole run's cap on requests per second; null for none. */
  rps: number | null;
  /** `--http-debug[=full]`: print each request and response (bodies too with full). */
  httpDebug: "headers" | "full" | null;
  /** `--summary-trend-stats`: the console's timing columns (k6 names); null for the default. */
  trendStats: string[] | null;
  /** `--console-output FILE`: scenario console output goes to this file; null for stderr. */
  consoleOutput: string | null;
  /** Flags exactly as given, for the scenario options layer. */
  given: {
    rate?: string;
    vus?: number;
    duration?: string;
    iterations?: number;
    stages?: string[];
    env?: Record<string, string>;
    tags?: Record<string, string>;
    engine?: string;
  };
}

/** Default in-flight cap: enough for a 2 s stall at the full rate, within sane bounds. */
export function defaultMaxInFlight(ratePerSecond: number): number {
  return Math.min(10_000, Math.max(64, Math.ceil(ratePerSecond * 2)));
}

/** Parses `rampa run` arguments; throws one ConfigError listing every problem. */
export function parseRunArgs(
  args: string[],
  noColor: { noColor?: boolean } = {},
  environment: Record<string, string | undefined> = readEnv(),
): RunArgs {
  // Protocols add their own ad-hoc flags (e.g. a WebSocket protocol's --ws-send).
  const extra = protocolFlagSpecs();
  const table = { ...extra, ...OPTIONS };
  // `--http-debug` takes an optional value (k6's `--http-debug[=full]`).
  const dashes = args.indexOf("--");
  args = args.map((x, i) => x === "--http-debug" && (dashes < 0 || i < dashes) ? `${x}=` : x);
  const parsed = parseFlags("run", args, table, true);
  const v = parsed.values as typeof parsed.values & Record<string, unknown>;
  const issues: string[] = [];
  const fromEnv = envDefaults(v, table, environment, issues);
  const positionals = parsed.positionals;
  const protocolFlags: Record<string, unknown> = {};
  for (const name of Object.keys(extra)) if (v[name] !== undefined) protocolFlags[name] = v[name];
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ConfigError) issues.push(...e.issues);
      else throw e;
      return fallback;
    }
  };
  const help = v.help ?? false;
  if (positionals.length > 1) {
    issues.push(`Expected one URL, got ${positionals.length}: ${positionals.join(" ")}`);
  }
  const url = positionals[0] ?? "";
  if (v.targets !== undefined && url) {
    issues.push(`Give either a URL or --targets, not both ("${url}")`);
  }
  if (!help && !url && v.targets === undefined) {
    issues.push("Missing the URL to load: rampa run <url> [options] (or --targets FILE)");
  }
  const targetsFormat = v["targets-format"] ?? "http";
  if (!["http", "json"].includes(targetsFormat)) {
    issues.push(`Cannot parse --targets-format "${targetsFormat}": expected http or json`);
  }
  const targetsPick = v["targets-pick"] ?? "round-robin";
  if (!["round-robin", "random"].includes(targetsPick)) {
    issues.push(`Cannot parse --targets-pick "${targetsPick}": expected round-robin or random`);
  }
  const scenario = isScenarioPath(url);
  if (v.rate !== undefined && v.vus !== undefined) {
    issues.push("Use either --rate (open loop) or --vus (closed loop), not both");
  }
  const count = (
    text: string | undefined,
    flag: string,
    dflt: number,
    min = 1,
    max = Number.MAX_SAFE_INTEGER,
  ) => {
    if (text === undefined) return dflt;
    const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
    if (!(n >= min)) {
      issues.push(`Cannot parse ${flag} "${text}": expected a whole number ≥ ${min}`);
      return dflt;
    }
    if (n > max) {
      issues.push(`${flag} ${text} is more than the maximum of ${max.toLocaleString("en")}`);
      return dflt;
    }
    return n;
  };
  const rateText = v.rate ?? "50/s";
  const ratePerSecond = attempt(() => perSecond(parseRate(rateText, "--rate")), 50);
  const duration = attempt(() => parseDuration(v.duration ?? "10s", "--duration"), 10_000);
  if (v.duration !== undefined && duration <= 0) issues.push("--duration must be longer than 0");
  const timeoutMs = attempt(() => parseDuration(v.timeout ?? "60s", "--timeout"), 60_000);
  if (timeoutMs <= 0) issues.push("--timeout must be longer than 0");
  const warmupMs = attempt(() => parseDuration(v.warmup ?? "0", "--warmup"), 0);
  const grace = attempt(() => parseDuration(v["graceful-stop"] ?? "30s", "--graceful-stop"), 30e3);
  const headers: [string, string][] = [];
  for (const h of v.header ?? []) {
    const i = h.indexOf(":");
    const k = i > 0 ? h.slice(0, i).trim() : "";
    if (!k || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) {
      issues.push(`Cannot parse --header "${h}": expected "Name: value"`);
    } else headers.push([k, h.slice(i + 1).trim()]);
  }
  if (v["user-agent"] !== undefined) {
    const at = headers.findIndex(([k]) => k.toLowerCase() === "user-agent");
    if (at >= 0) headers.splice(at, 1);
    headers.push(["User-Agent", v["user-agent"]]);
  }
  if (v.body !== undefined && v["body-file"] !== undefined) {
    issues.push("Use either --body or --body-file, not both");
  }
  const hasBody = v.body !== undefined || v["body-file"] !== undefined;
  const method = (v.method ?? (hasBody ? "POST" : "GET")).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) issues.push(`Cannot use method "${v.method}": expected e.g. GET`);
  const engine = (v.engine ?? "http1") as RunArgs["engine"];
  const engines = engineNames().map((e) => e.name);
  if (!engines.includes(engine)) {
    issues.push(`Unknown engine "${v.engine}": expected one of ${engines.join(", ")}`);
  }
  const timing = (v.timing ?? TIMING_MODES[0]) as RunArgs["timing"];
  if (!TIMING_MODES.includes(timing)) {
    issues.push(`Unknown --timing "${v.timing}": expected one of ${TIMING_MODES.join(", ")}`);
  }
  const vus = count(v.vus, "--vus", 0, 1, MAX_VUS);
  const workers = v.workers === undefined || v.workers === "auto"
    ? null
    : count(v.workers, "--workers", 1, 1, MAX_WORKERS);
  const stages = attempt(() => v.stage ? parseStages(v.stage) : undefined, undefined);
  // Stages without --vus ramp the arrival rate: the cap follows their peak.
  const peakRate = stages && v.vus === undefined
    ? Math.max(0, ...stages.map((s) => s.target))
    : ratePerSecond;
  const maxInFlight = count(v["max-in-flight"], "--max-in-flight", defaultMaxInFlight(peakRate));
  if (!scenario && v.stage !== undefined && v.iterations !== undefined) {
    issues.push("Use either --stage or --iterations with a URL, not both");
  }
  if (!scenario && v.stage !== undefined && v.rate !== undefined) {
    issues.push("--stage targets are the rates of an open-loop ramp: leave out --rate");
  }
  const env: Record<string, string> = {};
  for (const kv of v.env ?? []) {
    const i = kv.indexOf("=");
    if (i <= 0) issues.push(`Cannot parse --env "${kv}": expected KEY=value`);
    else env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  const tags: Record<string, string> = {};
  for (const kv of v.tag ?? []) {
    const i = kv.indexOf("=");
    if (i <= 0) issues.push(`Cannot parse --tag "${kv}": expected name=value`);
    else tags[kv.slice(0, i).trim()] = kv.slice(i + 1);
  }
  const expectStatus: number[] = [];
  for (const part of (v["expect-status"] ?? "").split(",").filter((x) => x.trim())) {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 100 || n > 599) {
      issues.push(
        `Cannot parse --expect-status "${v["expect-status"]}": expected codes such as 200,204`,
      );
      break;
    }
    expectStatus.push(n);
  }
  const expectHeaders: [string, string][] = [];
  for (const h of v["expect-header"] ?? []) {
    const i = h.indexOf(":");
    if (i <= 0) issues.push(`Cannot parse --expect-header "${h}": expected "Name: value"`);
    else expectHeaders.push([h.slice(0, i).trim(), h.slice(i + 1).trim()]);
  }
  const share = (flag: string, text: string | undefined): number | null => {
    if (text === undefined) return null;
    try {
      return parseShare(text, `--${flag}`);
    } catch (e) {
      issues.push((e as Error).message);
      return null;
    }
  };
  const maxDropped = share("max-dropped", v["max-dropped"]);
  const maxIterationErrors = share("max-iteration-errors", v["max-iteration-errors"]);
  const iterations = v.iterations === undefined
    ? undefined
    : count(v.iterations, "--iterations", 1);
  if (scenario) {
    for (const f of Object.keys(protocolFlags)) {
      issues.push(`--${f} applies to ad-hoc URLs, not to scenario files`);
    }
  }
  if (!scenario) {
    if (v["dry-run"] !== undefined) {
      issues.push("--dry-run applies to scenario files, not to a URL");
    }
  } else if (v.warmup !== undefined) {
    // A scenario's warm-up would run user code (logins, writes): not something to do silently.
    issues.push("--warmup applies to ad-hoc runs of a URL, not to scenario files");
  }
  let rps: number | null = null;
  if (v.rps !== undefined) {
    const n = Number(v.rps.trim());
    if (!/^\d+(\.\d+)?$/.test(v.rps.trim()) || !(n > 0)) {
      issues.push(`Cannot parse --rps "${v.rps}": expected requests per second above 0, e.g. 100`);
    } else rps = n;
  }
  let httpDebug: RunArgs["httpDebug"] = null;
  if (v["http-debug"] !== undefined) {
    const d = v["http-debug"].trim();
    if (d === "" || d === "headers" || d === "basic" || d === "true") httpDebug = "headers";
    else if (d === "full") httpDebug = "full";
    else issues.push(`Cannot parse --http-debug "${d}": expected no value or =full`);
  }
  const trendStats = v["summary-trend-stats"] === undefined
    ? null
    : attempt(() => parseTrendStats(v["summary-trend-stats"]!), null);
  if (issues.length && !help) {
    // A value that came from RAMPA_<FLAG> is named by its variable: the user typed no flag.
    throw new ConfigError(
      issues.map((i) =>
        fromEnv.reduce((t, name) => t.replace(new RegExp(`--${name}\\b`), envName(name)), i)
      ),
    );
  }
  return {
    help,
    // Paths the user typed resolve from where the user stands (INIT_CWD under deno task).
    url: scenario ? userPath(url) : url,
    mode: v.vus !== undefined ? "closed" : "open",
    ratePerSecond,
    rateText,
    vus,
    durationMs: duration,
    maxInFlight,
    gracefulStopMs: Math.min(grace, timeoutMs),
    timing,
    warmupMs,
    rehearse: !v["no-rehearsal"],
    workers,
    method,
    headers,
    body: v.body ?? null,
    bodyFile: v["body-file"] === undefined ? null : userPath(v["body-file"]),
    timeoutMs,
    name: v.name ?? null,
    insecure: v.insecure ?? false,
    engine,
    outs: v.out ?? [],
    summaryPath: v["no-summary"]
      ? null
      : (v.summary ?? v["summary-export"] ?? "rampa-summary.json"),
    quiet: v.quiet ?? false,
    color: !(v["no-color"] ?? false) && !noColor.noColor,
    // --no-thresholds: run without judging (k6's flag), the file's thresholds included.
    thresholds: v["no-thresholds"] ? [] : v.threshold ?? [],
    noThresholds: v["no-thresholds"] ?? false,
    targets: v.targets === undefined ? null : {
      path: v.targets === "-" ? "-" : userPath(v.targets),
      format: targetsFormat as "http" | "json",
      pick: targetsPick as "round-robin" | "random",
    },
    http: {
      ...(v["max-redirects"] !== undefined
        ? { maxRedirects: count(v["max-redirects"], "--max-redirects", 10, 0, 100) }
        : {}),
      ...(v["expected-statuses"] !== undefined
        ? { expectedStatuses: statusList(v["expected-statuses"], issues) }
        : {}),
      ...(v.connections !== undefined
        ? { connections: count(v.connections, "--connections", 1, 1, 1000) }
        : {}),
      ...(rps !== null ? { rps } : {}),
      ...(httpDebug !== null ? { httpDebug } : {}),
    },
    segment: attempt(() => parseSegment(v.segment, Deno.env.toObject()), WHOLE_RUN),
    startAt: attempt(() => parseStartAt(v["start-at"]), null),
    coordinator: v.coordinator ?? null,
    tags,
    rps,
    httpDebug,
    trendStats,
    consoleOutput: v["console-output"] === undefined ? null : userPath(v["console-output"]),
    failOnCheck: v["fail-on-check"] ?? false,
    expectStatus,
    expectHeaders,
    expectBodyJson: v["expect-body-json"] === undefined ? null : userPath(v["expect-body-json"]),
    maxDropped,
    maxIterationErrors,
    grants: {
      read: list(v["allow-read"]).map((p) => userPath(p)),
      write: list(v["allow-write"]).map((p) => userPath(p)),
      run: list(v["allow-run"]),
      sys: v["allow-sys"] ?? false,
      all: v["allow-all"] ?? false,
    },
    importTimeoutMs: v["import-timeout"] === undefined
      ? null
      : attempt(() => parseDuration(v["import-timeout"]!, "--import-timeout"), null),
    maxSeries: v["max-series"] === undefined
      ? null
      : count(v["max-series"], "--max-series", DEFAULT_MAX_SERIES, 10, 1_000_000),
    protocolFlags,
    stages: stages?.map((x) => ({
      durationMs: typeof x.duration === "number"
        ? x.duration
        : parseDuration(x.duration, "--stage"),
      target: x.target,
    })) ?? null,
    iterations: iterations ?? null,
    scenario,
    dryRun: v["dry-run"] ?? false,
    given: {
      ...(v.rate !== undefined ? { rate: v.rate } : {}),
      ...(v.vus !== undefined ? { vus } : {}),
      ...(v.duration !== undefined ? { duration: v.duration } : {}),
      ...(iterations !== undefined ? { iterations } : {}),
      ...(v.stage !== undefined ? { stages: v.stage } : {}),
      ...(v.env !== undefined ? { env } : {}),
      ...(v.tag !== undefined ? { tags } : {}),
      ...(v.engine !== undefined ? { engine } : {}),
    },
  };
}
