/**
 * Gathers a run's thresholds (scenario options plus `--threshold` flags) and checks them
 * against every metric the run can produce, before any load is sent.
 *
 * @module
 */
import { CORE_METRICS } from "../metrics/builtin.ts";
import { protocolMetrics, thresholdAliases } from "../protocol/registry.ts";
import {
  parseThresholdFlag,
  parseThresholds,
  type Threshold,
  type ThresholdsInput,
} from "../thresholds/mod.ts";
import type { MetricDef } from "../types.ts";
import { declaredMetrics } from "./declared_metrics.ts";
import { ConfigError } from "../errors.ts";

/** Metrics only scenario runs produce. */
export const SCENARIO_METRICS: readonly MetricDef[] = [
  { name: "checks", kind: "rate", description: "Share of checks that passed" },
  { name: "iteration_errors", kind: "counter", description: "Exceptions thrown by scenario code" },
  { name: "group_duration", kind: "trend", unit: "ms", description: "Time spent in a group" },
];

/**
 * Every metric a run can produce: built-ins, the registered protocols' families and the
 * scenario's declared custom metrics.
 */
export function knownMetrics(): Map<string, MetricDef> {
  const m = new Map<string, MetricDef>();
  for (const d of [...CORE_METRICS, ...protocolMetrics(), ...SCENARIO_METRICS]) m.set(d.name, d);
  for (const [k, d] of declaredMetrics) m.set(k, d);
  return m;
}

/** A threshold from a flag: its expression, or the object form when it aborts the run. */
export type FlagThreshold = string | { threshold: string; abortOnFail: true };

/**
 * Groups `--threshold` flags (`metric: expr` or `metric expr`, optionally ending in
 * `abortOnFail` to stop the run as soon as it fails) by key; throws one ConfigError with every
 * flag that cannot be split.
 */
export function thresholdFlags(flags: readonly string[]): Record<string, FlagThreshold[]> {
  // No prototype: a key such as "constructor" or "toString" must be just a key.
  const out: Record<string, FlagThreshold[]> = Object.create(null);
  const issues: string[] = [];
  for (const f of flags) {
    try {
      const { key, expression } = parseThresholdFlag(f);
      const abort = /[\s;,]+abortOnFail\s*$/i.exec(expression);
      (out[key] ??= []).push(
        abort
          ? { threshold: expression.slice(0, abort.index).trim(), abortOnFail: true }
          : expression,
      );
    } catch (e) {
      if (e instanceof ConfigError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (issues.length) throw new ConfigError(issues);
  return out;
}

/** Parses options thresholds plus flags; throws one ConfigError with every issue. */
export function collectThresholds(
  fromOptions: Record<string, unknown>,
  flags: readonly string[],
): Threshold[] {
  const input: Record<string, unknown[]> = Object.create(null);
  for (const [k, v] of Object.entries(fromOptions)) {
    input[k] = Array.isArray(v) ? [...v] : [v];
  }
  for (const [k, list] of Object.entries(thresholdFlags(flags))) (input[k] ??= []).push(...list);
  // Entries are checked by the parser, which reports malformed ones with their key.
  return parseThresholds(input as ThresholdsInput, knownMetrics(), thresholdAliases());
}
