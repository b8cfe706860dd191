/**
 * The shape of one reliability case: data only, so the corpus reads as a table. The runner
 * (`_runner.ts`) fills the placeholders, starts the target, runs the real CLI and judges.
 *
 * Placeholders in `args`, `env`, `scenario` and `files`: `{url}` the target's base URL,
 * `{port}` its port, `{closed}` a port nothing listens on, `{dir}` the case's temp dir (the
 * CLI's cwd), `{scenario}` the scenario file written there, `{tmpfs}` a small tmpfs mounted
 * for the case, `{root}` the repository root.
 *
 * @module
 */
import type { FaultKind, FaultOptions } from "../../tools/testing/faults.ts";

/** A signal sent to the CLI while it runs. */
export interface SignalStep {
  /** The signal. */
  name: Deno.Signal;
  /** Wait until stdout+stderr match this first (e.g. a line the scenario prints). */
  after?: RegExp;
  /** Then wait this long. @default 0 */
  delayMs?: number;
}

/** A file the runner writes into the case dir before the run. */
export type FileSpec =
  | string
  /** Derived from the shared fixture summary (a real 1 s run's JSON), e.g. with a count negated. */
  | { fromSummary: (summary: Record<string, unknown>) => unknown }
  /** The shared fixture summary as is. */
  | { fixture: true };

/** How an output file must look after the run. */
export type FileCheck =
  /** Exists and is complete (JSON parses, HTML closes, XML closes, CSV ends with a newline). */
  | "complete"
  /** Never created. */
  | "absent"
  /** Either never created or complete: never partial. */
  | "absent-or-complete";

/** What a case expects. */
export interface Expect {
  /** Accepted exit code(s). */
  exit: number | number[];
  /** The first line of stderr matches this. */
  stderrLine?: RegExp;
  /** stderr does not match this. */
  stderrNot?: RegExp;
  /** stdout matches this. */
  stdout?: RegExp;
  /** stderr (warnings, progress) matches this. */
  stderr?: RegExp;
  /** stdout does not match this. */
  stdoutNot?: RegExp;
  /** The target saw no connection and no request. */
  noLoad?: true;
  /**
   * `complete`: the summary file (`{dir}/rampa-summary.json` or `summaryPath`) exists, is valid
   * against the schema, and its verdict's exit code is the process's. `none`: it was never
   * written.
   */
  summary?: "complete" | "none";
  /** Where the summary is, when not `{dir}/rampa-summary.json`. */
  summaryPath?: string;
  /** The summary file is at most this big. */
  summaryMaxBytes?: number;
  /** The summary's 2xx count equals what the counting target answered. */
  countsMatch?: true;
  /** None of these strings appears in stdout, stderr or any file the run wrote. */
  secrets?: string[];
  /** stdout and stderr hold no terminal control characters. */
  noControlChars?: true;
  /** The run took at most this long (wall clock, from spawn). */
  maxWallMs?: number;
  /**
   * Output files (placeholders allowed) and how each must look. Any other file left in the
   * tmpfs (a temp file of an atomic write) is reported too.
   */
  files?: Record<string, FileCheck>;
}

/** One case of the corpus. */
export interface Case {
  /** Reads as a sentence; unique. */
  name: string;
  /** CLI arguments after `rampa` (placeholders allowed). */
  args: string[];
  /** Extra environment (placeholders allowed). */
  env?: Record<string, string>;
  /** Contents of `{scenario}` (`{dir}/scenario.ts`). */
  scenario?: string;
  /** More files in the case dir, by relative name. */
  files?: Record<string, FileSpec>;
  /** The target behind `{url}`. @default "healthy" */
  target?: FaultKind;
  /** Options for the target. */
  targetOptions?: FaultOptions;
  /** Text piped to stdin (stdin is closed otherwise). */
  stdin?: string;
  /** `/dev/full`: stdout goes to /dev/full instead of a pipe (stdout is then not checked). */
  stdout?: "/dev/full";
  /** Signals to send, in order. */
  signals?: SignalStep[];
  /**
   * Another rampa started first, in the same dir, `leadMs` before this case's one (e.g. two runs
   * writing one summary path). It is waited for, and killed at the case's timeout.
   */
  background?: { args: string[]; leadMs: number };
  /** Mount a tmpfs of this many KiB at `{tmpfs}`, and fill it leaving `freeKiB` free. */
  tmpfs?: { sizeKiB: number; freeKiB?: number };
  /** Hard timeout after which the process group is killed and a hang recorded. @default 20000 */
  timeoutMs?: number;
  /** What must hold. */
  expect: Expect;
  /**
   * Set while rampa still has the bug: the one-line reason observed. The case still runs and is
   * reported separately; it does not fail the suite.
   */
  knownFailing?: string;
}
