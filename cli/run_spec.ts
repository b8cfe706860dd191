/**
 * Builds the run description ({@link RunSpec}) from `rampa run` flags, once, on the main
 * thread: the only place flags, `RAMPA_*` variables and a scenario file's options meet. What
 * it returns is plain data; nothing downstream sees a flag.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { ExecutorConfig } from "../core/executors/config.ts";
import { adHocSchemes, protocolForUrl } from "../core/protocol/registry.ts";
import type { AdHocRequest } from "../core/protocol/types.ts";
import { newRunId, type ReportingSpec, type RunSpec } from "../core/run/spec.ts";
import { DEFAULT_POLICY } from "../core/summary/verdict.ts";
import { redactUrl } from "../core/redact.ts";
import type { RunArgs } from "./commands/run_args.ts";
import type { WorkerChoice } from "./workers_auto.ts";
import { readFileBounded, readTextFileBounded } from "./read_file.ts";
import { readTargets } from "./targets.ts";

/**
 * The executor config `rampa run <url>` flags describe. Built directly (the flags are already
 * validated), so ad-hoc runs never load the config schemas: start-up time matters.
 */
export function adHocExecutorConfig(a: RunArgs): ExecutorConfig {
  const common = {
    gracefulStop: a.gracefulStopMs,
    startTime: 0,
    exec: "default",
    tags: { ...a.tags },
    env: {},
  };
  const stages = a.stages?.map((s) => ({ duration: s.durationMs, target: s.target }));
  // --stage ramps the arrival rate (open loop, k6's duration:target), or VUs with --vus.
  if (stages && a.mode === "open") {
    return {
      executor: "ramping-arrival-rate",
      startRate: 0,
      timeUnit: 1000,
      stages,
      preAllocatedVUs: Math.min(a.maxInFlight, 64),
      maxVUs: a.maxInFlight,
      ...common,
    };
  }
  if (stages) {
    return {
      executor: "ramping-vus",
      startVUs: a.vus,
      stages,
      gracefulRampDown: a.gracefulStopMs,
      ...common,
    };
  }
  if (a.iterations !== null && a.mode === "closed") {
    return {
      executor: "shared-iterations",
      vus: Math.min(a.vus, a.iterations),
      iterations: a.iterations,
      maxDuration: a.given.duration !== undefined ? a.durationMs : 600_000,
      ...common,
    };
  }
  if (a.iterations !== null) {
    // Exactly N arrivals at the rate: the schedule ends just after the last one is due.
    const durationMs = (a.iterations * 1000) / a.ratePerSecond;
    return {
      executor: "constant-arrival-rate",
      rate: a.ratePerSecond,
      timeUnit: 1000,
      duration: durationMs,
      preAllocatedVUs: Math.min(a.maxInFlight, 64),
      maxVUs: a.maxInFlight,
      ...common,
    };
  }
  return a.mode === "closed"
    ? { executor: "constant-vus", vus: a.vus, duration: a.durationMs, ...common }
    : {
      executor: "constant-arrival-rate",
      rate: a.ratePerSecond,
      timeUnit: 1000,
      duration: a.durationMs,
      preAllocatedVUs: Math.min(a.maxInFlight, 64),
      maxVUs: a.maxInFlight,
      ...common,
    };
}

/** The reporting part of the flags. */
export function reportingOf(a: RunArgs): ReportingSpec {
  return {
    outs: a.outs,
    summaryPath: a.summaryPath,
    color: a.color,
    quiet: a.quiet,
    ...(a.trendStats !== null ? { trendStats: a.trendStats } : {}),
    ...(a.consoleOutput !== null ? { consoleOutput: a.consoleOutput } : {}),
  };
}

/** What the summary's config records of `--rps`, `--http-debug`, `--summary-trend-stats`. */
export function k6FlagsConfig(a: RunArgs): Record<string, unknown> {
  return {
    ...(a.rps !== null ? { rps: a.rps } : {}),
    ...(a.httpDebug !== null ? { httpDebug: a.httpDebug } : {}),
    // The console reads its timing columns from here, so a summary re-rendered later keeps them.
    ...(a.trendStats !== null ? { summaryTrendStats: a.trendStats } : {}),
  };
}

/** Largest `--body-file` accepted: every load thread holds a copy. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Reads `--body-file` once on the main thread (workers get the bytes). Checked first: a device
 * such as /dev/zero or a huge file would otherwise be read until memory runs out.
 */
export async function readBody(a: RunArgs): Promise<Uint8Array | string | null> {
  if (a.bodyFile === null) return a.body;
  return await readFileBounded(a.bodyFile, MAX_BODY_BYTES, `--body-file "${a.bodyFile}"`);
}

/** Reads `--expect-body-json` once on the main thread (workers get the parsed schema). */
async function readBodySchema(path: string): Promise<unknown> {
  try {
    return JSON.parse(
      await readTextFileBounded(path, 16 * 1024 * 1024, `--expect-body-json "${path}"`),
    );
  } catch (e) {
    throw new ConfigError(
      e instanceof ConfigError
        ? e.message
        : `Cannot read --expect-body-json "${path}": ${e instanceof Error ? e.message : e}`,
    );
  }
}

/** Every threshold, by key, from flags (`metric: expr`) and the scenario's options. */
export function thresholdsInput(
  fromOptions: Record<string, unknown>,
  flags: Record<string, readonly unknown[]>,
): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = Object.create(null);
  for (const [k, v] of Object.entries(fromOptions)) out[k] = Array.isArray(v) ? [...v] : [v];
  for (const [k, list] of Object.entries(flags)) (out[k] ??= []).push(...list);
  return out;
}

/**
 * The run description of an ad-hoc run. The URL's scheme picks the protocol, which checks the
 * request before any thread starts.
 */
export async function adHocRunSpec(
  a: RunArgs,
  choice: WorkerChoice,
  thresholds: Record<string, unknown[]>,
): Promise<RunSpec> {
  // A target list stands in for the URL: its first target picks the protocol and the banner;
  // -H headers and --body apply to every target (as in vegeta).
  const list = a.targets ? await readTargets(a.targets.path, a.targets.format) : null;
  const globalBody = list ? await readBody(a) : null;
  const targets = list?.map((t) => ({
    method: t.method,
    url: t.url,
    headers: [...a.headers, ...t.headers],
    body: t.body ?? globalBody,
  }));
  if (targets) a = { ...a, url: targets[0].url, method: targets[0].method };
  // -e K=V on a URL run fills ${K} in the URL, headers and a text body (k6's __ENV for a URL).
  const env = a.given.env;
  if (env) {
    const fill = (t: string) =>
      t.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, k: string) => env[k] ?? m);
    a = {
      ...a,
      url: fill(a.url),
      headers: a.headers.map(([k, v]) => [k, fill(v)] as [string, string]),
      body: a.body === null ? null : fill(a.body),
    };
  }
  const protocol = protocolForUrl(a.url);
  if (!protocol?.adHoc) {
    throw new ConfigError(
      `Invalid URL "${a.url}": expected an absolute URL (${
        adHocSchemes().map((s) => `${s}//`).join(", ")
      }) or a scenario file (.ts, .js)`,
    );
  }
  const foreign = Object.keys(a.protocolFlags).filter((f) =>
    !(f in (protocol.flags?.options ?? {}))
  );
  if (foreign.length) {
    throw new ConfigError(
      foreign.map((f) => `--${f} does not apply to ${protocol.schemes.join("/")} URLs`),
    );
  }
  const request: AdHocRequest = {
    url: a.url,
    method: a.method,
    headers: a.headers,
    body: await readBody(a),
    timeoutMs: a.timeoutMs,
    name: a.name,
    expect: {
      statuses: a.expectStatus,
      headers: a.expectHeaders,
      bodyJson: a.expectBodyJson
        ? { file: a.expectBodyJson, schema: await readBodySchema(a.expectBodyJson) }
        : null,
    },
    flags: a.protocolFlags,
    ...(targets ? { targets, pick: a.targets!.pick } : {}),
  };
  const opts = { insecure: a.insecure, engine: a.engine, maxEndpoints: 500, ...a.http };
  await protocol.validateAdHoc?.(request, opts);
  return {
    id: newRunId(),
    workload: { kind: "adhoc", protocol: protocol.name, request },
    scenarios: { default: adHocExecutorConfig(a) },
    // Reports show the URL without userinfo and secret query values (the request keeps them).
    targets: {
      // A method means something only to HTTP: `GET grpc://…` would mislead.
      default: `${protocol.name === "http" ? `${a.method} ` : ""}${redactUrl(a.url)}` +
        (targets && targets.length > 1 ? ` (+${targets.length - 1} more targets)` : ""),
    },
    protocol: { insecure: a.insecure, engine: a.engine, ...a.http },
    thresholds,
    policy: {
      failOnCheck: a.failOnCheck,
      maxDroppedFraction: a.maxDropped ?? DEFAULT_POLICY.maxDroppedFraction,
      maxIterationErrorFraction: a.maxIterationErrors ??
        DEFAULT_POLICY.maxIterationErrorFraction,
    },
    reporting: reportingOf(a),
    timing: a.timing,
    warmupMs: a.warmupMs,
    rehearse: a.rehearse,
    workers: choice.workers,
    tickMs: 1000,
    ...(a.maxSeries !== null ? { maxSeries: a.maxSeries } : {}),
    segment: a.segment,
    ...(a.startAt !== null ? { startAt: a.startAt } : {}),
    config: {
      url: redactUrl(a.url),
      method: a.method,
      mode: a.mode,
      ...(a.mode === "open" ? { rate: a.rateText, maxInFlight: a.maxInFlight } : { vus: a.vus }),
      durationMs: a.durationMs,
      timeoutMs: a.timeoutMs,
      gracefulStopMs: a.gracefulStopMs,
      engine: a.engine,
      timing: a.timing,
      warmupMs: a.warmupMs,
      rehearse: a.rehearse,
      workers: choice.workers,
      workersReason: choice.reason,
      thresholds: a.thresholds,
      // Header names only: values are often secrets (Authorization).
      headers: a.headers.map(([k]) => k),
      ...k6FlagsConfig(a),
    },
  };
}
