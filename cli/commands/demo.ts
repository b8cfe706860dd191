/**
 * `rampa demo`: a real load test against rampa's embedded target on loopback: ten seconds of
 * open-loop load at 200 requests/s against a target with a little latency, jitter and a 1%
 * error rate, so every section of the summary has something to show.
 *
 * @module
 */
import { ExitCode } from "../../core/errors.ts";
import { startTargetInWorker } from "../../target/mod.ts";
import { parseFlags } from "../flags.ts";
import { runAdHoc } from "./run.ts";
import { parseRunArgs } from "./run_args.ts";

/** Help text for `rampa demo --help`. */
export const DEMO_USAGE = `Usage: rampa demo [options]

Starts rampa's embedded target on 127.0.0.1, runs a ~10 s open-loop test against it
(200 requests/s; target latency 5ms ± 2ms, 1% errors), prints the summary and writes
rampa-summary.json.

Options:
  -d, --duration <dur>   Test length (default 10s)
  --rate <rate>          Arrival rate (default 200/s)
  --summary <path>       Summary file (default rampa-summary.json)
  --no-color             No colours
  -h, --help             Show this help
`;

const OPTIONS = {
  duration: { type: "string", short: "d" },
  rate: { type: "string" },
  summary: { type: "string" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `rampa demo`; returns the exit code. */
export async function demoCommand(args: string[]): Promise<number> {
  const { values: v } = parseFlags("demo", args, OPTIONS);
  if (v.help) {
    console.log(DEMO_USAGE);
    return ExitCode.OK;
  }
  // The target runs on its own thread so it never competes with the generator's event loop.
  const target = await startTargetInWorker({ latencyMs: 5, jitterMs: 2, errorRate: 0.01, seed: 7 });
  try {
    const runArgs = [
      `${target.url}/api/items`,
      "--rate",
      v.rate ?? "200/s",
      "--duration",
      v.duration ?? "10s",
      "--summary",
      v.summary ?? "rampa-summary.json",
    ];
    if (v["no-color"]) runArgs.push("--no-color");
    const a = parseRunArgs(runArgs, { noColor: Deno.env.get("NO_COLOR") !== undefined });
    console.error(
      `rampa demo: embedded target on ${target.url} (latency 5ms ± 2ms, 1% errors); ` +
        `sending ${a.rateText} for ${a.durationMs / 1000}s…`,
    );
    const { exitCode } = await runAdHoc(a);
    if (a.summaryPath) console.error(`Summary written to ${a.summaryPath}`);
    return exitCode;
  } finally {
    await target.close();
  }
}
