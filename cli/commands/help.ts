/**
 * `rampa help [topic]` and the top-level usage text.
 *
 * @module
 */
import { ConfigError, ExitCode } from "../../core/errors.ts";
import { formatExitCodes } from "../exit_codes.ts";
import { DEMO_USAGE } from "./demo.ts";
import { RUN_USAGE } from "./run_args.ts";
import { SERVE_USAGE } from "./serve.ts";
import { SELFCHECK_USAGE } from "./selfcheck.ts";
import { MERGE_USAGE } from "./merge.ts";

/** Top-level usage. */
export const MAIN_USAGE = `rampa: load testing with honest numbers

Usage: rampa <command> [options]

Commands:
  run <url>     Load-test a URL (open loop at --rate, or closed loop with --vus)
  merge <files> Merge summary files of runs or hosts; judge thresholds again
  serve         Run the embedded target server (latency, errors, stalls on demand)
  demo          A 10 s test against the embedded target, with summary
  selfcheck     Measure the load this machine can generate without lying
  version       Print the version
  help [topic]  This help; topics: run, merge, serve, demo, selfcheck, exit-codes

Run 'rampa <command> --help' for a command's options.
`;

const TOPICS: Record<string, () => string> = {
  run: () => RUN_USAGE,
  serve: () => SERVE_USAGE,
  demo: () => DEMO_USAGE,
  merge: () => MERGE_USAGE,
  selfcheck: () => SELFCHECK_USAGE,
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
