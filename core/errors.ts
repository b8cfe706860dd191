/**
 * Errors that reach the edge of rampa (the CLI) carry their exit code, so the CLI maps any
 * failure to one line and a documented code without knowing where it came from.
 *
 * @module
 */

/** Process exit codes. Stable: scripts and CI depend on them (see README). */
export const ExitCode = {
  /** The run completed and every threshold passed. */
  OK: 0,
  /** Unexpected failure inside rampa (a bug). */
  INTERNAL: 1,
  /** Bad command line, option, URL, duration, rate, threshold or scenario config. */
  INVALID_CONFIG: 2,
  /** One or more thresholds failed. */
  THRESHOLDS_FAILED: 3,
  /** A threshold with abortOnFail stopped the run early. */
  ABORTED_BY_THRESHOLD: 4,
  /** Checks failed while --fail-on-check was set. */
  CHECKS_FAILED: 5,
  /** Scenario code failed: setup() or teardown() threw, or iterations threw over tolerance. */
  SCRIPT_ERROR: 6,
  /** The generator could not deliver the planned load (dropped iterations over tolerance). */
  LOAD_NOT_DELIVERED: 7,
  /** The target could not be reached at all (every request failed to connect). */
  TARGET_UNREACHABLE: 8,
  /** An output (summary file, report) could not be written. */
  OUTPUT_FAILED: 9,
  /** A worker died and the run's rule says its share makes the run invalid. */
  WORKER_LOST: 10,
  /** Interrupted by SIGINT/SIGTERM; the summary was still written. */
  INTERRUPTED: 130,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

/** A failure with an exit code and a one-line message for the user. */
export class RampaError extends Error {
  /** The process exit code this failure maps to. */
  readonly exitCode: ExitCodeValue;
  /** Creates an error with its exit code. */
  constructor(message: string, exitCode: ExitCodeValue = ExitCode.INTERNAL) {
    super(message);
    this.name = "RampaError";
    this.exitCode = exitCode;
  }
}

/** Invalid configuration; carries every issue found, not just the first. */
export class ConfigError extends RampaError {
  /** Each problem found, one line each. */
  readonly issues: readonly string[];
  /** Creates a config error from one or more issues. */
  constructor(issues: string | readonly string[]) {
    const list = typeof issues === "string" ? [issues] : issues;
    super(list.join("; "), ExitCode.INVALID_CONFIG);
    this.name = "ConfigError";
    this.issues = list;
  }
}
