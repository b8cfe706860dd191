/**
 * A scenario run's options, layered `defaults < scenario file options < RAMPA_* environment <
 * CLI flags` by one pure function and validated once, every problem reported with its path.
 * Shortcut fields (`vus`, `duration`, `iterations`, `stages`, `rate`) describe one default
 * scenario, as in k6; given on the command line or in the environment they replace the file's
 * `scenarios`, which is what k6 users expect from `--vus 10 --duration 30s`.
 *
 * @module
 */
import { type ExecutorConfig, validateExecutorConfig } from "../executors/config.ts";
import type { Duration, ScenarioConfig } from "../executors/scenario_types.ts";
import { parseDuration, parseRate, perSecond } from "../units.ts";
import { ConfigError } from "../errors.ts";
import { parseStages } from "./stages.ts";

export { parseStages };

/**
 * One layer of options as a user (or flag parser) wrote them; every field optional. Scenario
 * files export it as `options` (`import type { Options } from "rampa"`): each entry of
 * `scenarios` is typed by its `executor`, so a misspelt executor or a missing `rate` fails
 * `deno check` / `rampa check` before any run.
 */
export interface OptionsLayer {
  /** Named scenarios, each with its executor's fields. */
  scenarios?: Record<string, ScenarioConfig>;
  vus?: number;
  duration?: Duration;
  iterations?: number;
  stages?: { duration: Duration; target: number }[];
  /** Arrivals per second for an open-loop default scenario (rampa's extension). */
  rate?: number | string;
  thresholds?: Record<string, unknown>;
  setupTimeout?: string | number;
  teardownTimeout?: string | number;
  noCookiesReset?: boolean;
  insecureSkipTLSVerify?: boolean;
  /** The protocol engine for the whole file (`http1`, `http2`, `fetch`); `--engine` wins. */
  engine?: string;
  failOnCheck?: boolean;
  /** Share of dropped arrivals tolerated (0–1) before the run fails with exit 7. */
  maxDropped?: number;
  /** Share of iterations that may throw (0–1) before the run fails with exit 6. */
  maxIterationErrors?: number;
  tags?: Record<string, string>;
  env?: Record<string, string>;
  [other: string]: unknown;
}

/** The resolved options of a run. */
export interface ResolvedOptions {
  scenarios: Record<string, ExecutorConfig>;
  thresholds: Record<string, unknown>;
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  noCookiesReset: boolean;
  insecure: boolean;
  failOnCheck: boolean;
  maxDropped: number | null;
  maxIterationErrors: number | null;
  tags: Record<string, string>;
  env: Record<string, string>;
  /** `options.engine`, or null for the command line's. */
  engine: string | null;
}

/** The option names a scenario's `options` may hold (anything else is an error). */
export const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  "scenarios",
  "vus",
  "duration",
  "iterations",
  "stages",
  "rate",
  "thresholds",
  "setupTimeout",
  "teardownTimeout",
  "noCookiesReset",
  "insecureSkipTLSVerify",
  "engine",
  "failOnCheck",
  "maxDropped",
  "maxIterationErrors",
  "tags",
  "env",
]);
const SHORTCUTS = ["vus", "duration", "iterations", "stages", "rate"] as const;

/** Reads `RAMPA_*` variables into an options layer. */
export function envLayer(env: Record<string, string | undefined>): OptionsLayer {
  const l: OptionsLayer = {};
  const issues: string[] = [];
  const int = (name: string) => {
    const v = env[name];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v.trim())) {
      issues.push(`${name}: Invalid value "${v}": expected a whole number`);
    }
    return Number(v);
  };
  l.vus = int("RAMPA_VUS");
  l.iterations = int("RAMPA_ITERATIONS");
  if (env.RAMPA_DURATION) l.duration = env.RAMPA_DURATION;
  if (env.RAMPA_RATE) l.rate = env.RAMPA_RATE;
  if (env.RAMPA_STAGES) l.stages = parseStages(env.RAMPA_STAGES.split(","), "RAMPA_STAGES");
  if (env.RAMPA_INSECURE) l.insecureSkipTLSVerify = env.RAMPA_INSECURE === "1";
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith("RAMPA_ENV_") && v !== undefined) (l.env ??= {})[k.slice(10)] = v;
  }
  if (issues.length) throw new ConfigError(issues);
  for (const k of Object.keys(l)) if (l[k] === undefined) delete l[k];
  return l;
}

function msOf(v: string | number | undefined, what: string, dflt: number, issues: string[]) {
  if (v === undefined) return dflt;
  if (typeof v === "number") return v;
  try {
    return parseDuration(v, what);
  } catch (e) {
    issues.push(`${what}: ${(e as Error).message}`);
    return dflt;
  }
}

/** The default scenario k6 would derive from shortcut fields. */
export function scenarioFromShortcuts(o: OptionsLayer): Record<string, unknown> {
  if (o.rate !== undefined) {
    const ps = typeof o.rate === "number" ? o.rate : perSecond(parseRate(o.rate, "rate"));
    const vus = o.vus ?? Math.min(10_000, Math.max(64, Math.ceil(ps * 2)));
    return {
      executor: "constant-arrival-rate",
      rate: ps,
      timeUnit: "1s",
      duration: o.duration ?? "10s",
      preAllocatedVUs: Math.min(vus, 64),
      maxVUs: vus,
    };
  }
  if (o.stages) return { executor: "ramping-vus", startVUs: o.vus ?? 1, stages: o.stages };
  if (o.iterations !== undefined) {
    return {
      executor: "shared-iterations",
      vus: o.vus ?? 1,
      iterations: o.iterations,
      ...(o.duration !== undefined ? { maxDuration: o.duration } : {}),
    };
  }
  if (o.duration !== undefined) {
    return { executor: "constant-vus", vus: o.vus ?? 1, duration: o.duration };
  }
  return { executor: "per-vu-iterations", vus: o.vus ?? 1, iterations: 1 };
}

/**
 * Layers and validates options. `file` is the scenario's exported `options`; `env` and `cli`
 * are layers built from the environment and flags. Throws one ConfigError with every issue.
 */
export function resolveOptions(
  file: unknown,
  env: OptionsLayer = {},
  cli: OptionsLayer = {},
): ResolvedOptions {
  const issues: string[] = [];
  if (file !== undefined && (typeof file !== "object" || file === null || Array.isArray(file))) {
    throw new ConfigError(`options: Invalid options: expected an object`);
  }
  const f = (file ?? {}) as OptionsLayer;
  for (const k of Object.keys(f)) {
    if (!KNOWN_OPTIONS.has(k)) issues.push(`options.${k}: Unknown option "${k}"`);
  }
  const merged: OptionsLayer = { ...f, ...env, ...cli };
  merged.env = { ...f.env, ...env.env, ...cli.env };
  merged.tags = { ...f.tags, ...env.tags, ...cli.tags };
  merged.thresholds = { ...f.thresholds, ...env.thresholds, ...cli.thresholds };
  const overridden = SHORTCUTS.some((k) => env[k] !== undefined || cli[k] !== undefined);

  let raw: Record<string, unknown>;
  if (f.scenarios !== undefined && !overridden) {
    if (typeof f.scenarios !== "object" || f.scenarios === null || Array.isArray(f.scenarios)) {
      issues.push("options.scenarios: Invalid scenarios: expected an object of named scenarios");
      raw = {};
    } else raw = f.scenarios;
    if (Object.keys(raw).length === 0) issues.push("options.scenarios: No scenario is defined");
  } else {
    // Beside stages, duration and iterations would be silently ignored: say so instead.
    // (Within one layer: --stage on the command line does replace the file's duration.)
    for (const layer of [f, env, cli]) {
      if (layer.stages === undefined) continue;
      for (const k of ["duration", "iterations"] as const) {
        if (layer[k] !== undefined) {
          issues.push(
            `options.${k}: "${k}" does nothing beside "stages" (the stages set the length); remove one`,
          );
        }
      }
    }
    try {
      raw = { default: scenarioFromShortcuts(merged) };
    } catch (e) {
      issues.push((e as Error).message);
      raw = {};
    }
  }
  const scenarios: Record<string, ExecutorConfig> = {};
  for (const [name, sc] of Object.entries(raw)) {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      issues.push(`options.scenarios.${name}: Invalid scenario name: use letters, digits, - and _`);
    }
    const r = validateExecutorConfig(sc, `options.scenarios.${name}`);
    issues.push(...r.issues);
    if (r.config) scenarios[name] = r.config;
  }
  const resolved: ResolvedOptions = {
    scenarios,
    thresholds: merged.thresholds ?? {},
    setupTimeoutMs: msOf(merged.setupTimeout, "options.setupTimeout", 60_000, issues),
    teardownTimeoutMs: msOf(merged.teardownTimeout, "options.teardownTimeout", 60_000, issues),
    noCookiesReset: merged.noCookiesReset === true,
    insecure: merged.insecureSkipTLSVerify === true,
    engine: typeof merged.engine === "string" ? merged.engine : null,
    failOnCheck: merged.failOnCheck === true,
    maxDropped: null,
    maxIterationErrors: null,
    tags: merged.tags ?? {},
    env: merged.env ?? {},
  };
  if (merged.maxDropped !== undefined) {
    if (typeof merged.maxDropped === "number" && merged.maxDropped >= 0 && merged.maxDropped <= 1) {
      resolved.maxDropped = merged.maxDropped;
    } else issues.push(`options.maxDropped: Invalid value: expected a share from 0 to 1`);
  }
  if (merged.maxIterationErrors !== undefined) {
    const m = merged.maxIterationErrors;
    if (typeof m === "number" && m >= 0 && m <= 1) resolved.maxIterationErrors = m;
    else issues.push(`options.maxIterationErrors: Invalid value: expected a share from 0 to 1`);
  }
  if (issues.length) throw new ConfigError(issues);
  return resolved;
}
