/**
 * Test support for fixtures that record a run by hand (registry, HTTP recorder, timeline) and
 * build its summary the way a live run does. Importing it registers the built-in protocols,
 * as every rampa thread does at start.
 *
 * @module
 */
import type { ExecutorResult } from "../../core/executors/executor.ts";
import type { Snapshot } from "../../core/metrics/snapshot.ts";
import { createEvidence, type Evidence } from "../../core/run/evidence.ts";
import type { PlannedScenario } from "../../core/run/runner.ts";
import type { Timeline } from "../../core/run/timeline.ts";
import type { SummaryInput } from "../../core/summary/build.ts";
import { WHOLE_RUN } from "../../core/types.ts";
import { registerBuiltinProtocols } from "../../engines/registry.ts";
import { httpProtocol } from "../../engines/http/protocol.ts";

registerBuiltinProtocols();

/** The HTTP request family, for timelines built by hand. */
export const HTTP_FAMILIES = [httpProtocol.section.requests!];

/** A run as a fixture records it. */
export interface RecordedRun {
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly durationMs: number;
  readonly stopped: boolean;
  readonly total: Snapshot;
  readonly timeline: Timeline;
  readonly scenarios: readonly (PlannedScenario & { result: ExecutorResult })[];
  readonly cpu: number;
  readonly spin: number;
}

/** The summary input of a recorded run (version 0.1.0, whole run, no config). */
export function summaryInputOf(
  r: RecordedRun,
  errorExamples: ReadonlyMap<string, string> | Record<string, string> = {},
  extra: Partial<SummaryInput> = {},
): SummaryInput {
  const evidence: Evidence = createEvidence();
  const ex = errorExamples instanceof Map ? Object.fromEntries(errorExamples) : errorExamples;
  Object.assign(evidence.errorExamples, ex);
  for (const s of r.scenarios) evidence.scenarios[s.name] = { ...s.result };
  return {
    version: "0.1.0",
    result: { ...r, timeline: r.timeline.points },
    plans: r.scenarios,
    evidence,
    segment: WHOLE_RUN,
    config: {},
    ...extra,
  };
}
