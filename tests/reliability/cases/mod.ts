/**
 * The whole corpus, in one array, in the order the runner starts them.
 *
 * @module
 */
import type { Case } from "../_case.ts";
import { ABSURD_VALUE_CASES, CLI_FLAG_CASES } from "./cli_flags.ts";
import { MERGE_REPORT_CASES, SERVE_CASES } from "./merge_report_serve.ts";
import { OUTPUT_CASES } from "./outputs.ts";
import { BROKEN_SCENARIO_CASES, HOSTILE_SCENARIO_CASES } from "./scenarios.ts";
import { SECRET_CASES } from "./secrets.ts";
import { SIGNAL_CASES } from "./signals.ts";
import { THRESHOLD_CASES } from "./thresholds.ts";
import { TARGET_CASES } from "./targets.ts";
import { KNOWN_FAILING } from "./known_failing.ts";

/** Every case. Slow ones (signals, faults, outputs) first, so the fast tail fills the lanes. */
export const CASES: readonly Case[] = markKnownFailing([
  ...SIGNAL_CASES,
  ...TARGET_CASES,
  ...HOSTILE_SCENARIO_CASES,
  ...OUTPUT_CASES,
  ...SECRET_CASES,
  ...BROKEN_SCENARIO_CASES,
  ...MERGE_REPORT_CASES,
  ...SERVE_CASES,
  ...CLI_FLAG_CASES,
  ...ABSURD_VALUE_CASES,
  ...THRESHOLD_CASES,
]);

/** Applies {@link KNOWN_FAILING}; a name there that matches no case is a mistake, said at once. */
function markKnownFailing(cases: Case[]): Case[] {
  const names = new Set(cases.map((c) => c.name));
  const stale = Object.keys(KNOWN_FAILING).filter((n) => !names.has(n));
  if (stale.length) throw new Error(`known_failing.ts names no case: ${stale.join("; ")}`);
  return cases.map((c) =>
    KNOWN_FAILING[c.name] && !c.knownFailing ? { ...c, knownFailing: KNOWN_FAILING[c.name] } : c
  );
}
