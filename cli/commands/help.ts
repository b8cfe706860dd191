/**
 * `rampa help [topic]` and the top-level usage text.
 *
 * @module
 */
import { ConfigError, ExitCode } from "../../core/errors.ts";
import { formatExitCodes } from "../exit_codes.ts";
import { MAIN_USAGE } from "../usage.ts";
import { DEMO_USAGE } from "./demo.ts";
import { runUsage } from "./run_args.ts";
import { SERVE_USAGE } from "./serve.ts";
import { selfcheckUsage } from "./selfcheck.ts";
import { MERGE_USAGE } from "./merge.ts";
import { REPORT_USAGE } from "./report.ts";

const TOPICS: Record<string, () => string> = {
  run: () => runUsage(),
  serve: () => SERVE_USAGE,
  demo: () => DEMO_USAGE,
  merge: () => MERGE_USAGE,
  report: () => REPORT_USAGE,
  selfcheck: () => selfcheckUsage(),
  "exit-codes": formatExitCodes,
};

/** Prints help for `topic` (or the overview). */
export function helpCommand(args: string[]): number {
  const topic = args[0];
  if (!topic) {
    console.log(MAIN_USAGE);
    return ExitCode.OK;
  }
  const text = TOPICS[topic];
  if (!text) {
    throw new ConfigError(
      `Unknown help topic "${topic}": expected one of ${Object.keys(TOPICS).join(", ")}`,
    );
  }
  console.log(text());
  return ExitCode.OK;
}
