/**
 * The custom metrics a scenario declared (name → definition), filled as its module creates
 * `Counter`/`Trend`/… objects. A module of its own so threshold checks can read it without
 * loading the metric classes (and their VU context) on the ad-hoc start-up path.
 *
 * @module
 */
import type { MetricDef } from "../types.ts";

/** Custom metrics declared so far by scenario code on this thread. */
export const declaredMetrics: Map<string, MetricDef> = new Map();
