/**
 * The exit code table as users read it (`rampa help exit-codes`, README). The codes
 * themselves live in core/errors.ts.
 *
 * @module
 */
import { ExitCode } from "../core/errors.ts";

/** Every exit code with its meaning, in table order. */
export const EXIT_CODE_TABLE: readonly [number, string][] = [
  [ExitCode.OK, "Success: the run completed and every threshold passed"],
  [ExitCode.INTERNAL, "Internal error in rampa (a bug: please report it)"],
  [ExitCode.INVALID_CONFIG, "Invalid command line, option, URL, duration, rate or config"],
  [ExitCode.THRESHOLDS_FAILED, "One or more thresholds failed"],
  [ExitCode.ABORTED_BY_THRESHOLD, "A threshold with abortOnFail stopped the run early"],
  [ExitCode.CHECKS_FAILED, "Checks failed and --fail-on-check was set"],
  [ExitCode.SCRIPT_ERROR, "The scenario's setup() or teardown() failed"],
  [ExitCode.LOAD_NOT_DELIVERED, "The generator could not deliver the planned load"],
  [ExitCode.TARGET_UNREACHABLE, "The target could not be reached (refused, DNS failure)"],
  [ExitCode.OUTPUT_FAILED, "An output (summary file, report) could not be written"],
  [ExitCode.WORKER_LOST, "A worker died and its share of the load was lost"],
  [ExitCode.INTERRUPTED, "Interrupted by SIGINT/SIGTERM; the summary was still written"],
];

/** The table as aligned text. */
export function formatExitCodes(): string {
  return "Exit codes:\n" +
    EXIT_CODE_TABLE.map(([c, m]) => `  ${String(c).padStart(3)}  ${m}`).join("\n") + "\n";
}
