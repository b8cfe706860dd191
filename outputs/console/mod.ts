/**
 * The console output: live progress on stderr, the end-of-test summary on stdout.
 *
 * @example
 * ```ts
 * import { createConsoleOutput, renderSummary } from "./mod.ts";
 * const tty = Deno.stderr.isTerminal();
 * const output = createConsoleOutput({ color: tty && !Deno.noColor, quiet: false, tty });
 * // later, e.g. for `rampa report`:
 * // console.log(renderSummary(summary, { color: false }));
 * ```
 *
 * @module
 */
export {
  CLEAR_LINE,
  type ConsoleOutputOptions,
  createConsoleOutput,
  createSummaryTextOutput,
  LAG_WARNING_EVERY_MS,
  PLAIN_PROGRESS_EVERY_MS,
} from "./console_output.ts";
export {
  formatProgress,
  type ProgressFormatOptions,
  progressFromTick,
  type ProgressState,
} from "./progress.ts";
export {
  DEFAULT_WIDTH,
  renderSummary,
  renderVerdict,
  type SummaryTextOptions,
} from "./summary_text.ts";
