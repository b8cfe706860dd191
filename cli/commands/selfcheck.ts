/**
 * `rampa selfcheck`: measures what this machine can generate honestly. Against rampa's
 * embedded target (on its own thread), it finds the closed-loop ceiling of one worker, then
 * steps an open-loop rate up until send lag or dropped arrivals say the generator can no
 * longer keep its schedule, and prints the highest rate per worker it can generate without
 * distorting latency. No peer tool reports this about itself.
 *
 * @module
 */
import { ExitCode } from "../../core/errors.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { formatDuration, parseDuration } from "../../core/units.ts";
import { startTargetInWorker } from "../../target/mod.ts";
import { parseFlags } from "../flags.ts";
import { parseRunArgs } from "./run_args.ts";
import { setTiming } from "../../core/schedule/wait.ts";
import { adHocRunSpec } from "../run_spec.ts";
import { execute } from "../execute.ts";
import { createExecutor } from "../../core/executors/factory.ts";
import { WHOLE_RUN } from "../../core/types.ts";
import { checkEngine, engineNames } from "../../core/protocol/registry.ts";

/** Help text for `rampa selfcheck --help` (engines from the protocol registry). */
export function selfcheckUsage(): string {
  return SELFCHECK_USAGE.replace(
    "{{engines}}",
    engineNames().map((e, i) => e.name + (i === 0 ? " (default)" : "")).join(", "),
  );
}

const SELFCHECK_USAGE = `Usage: rampa selfcheck [options]

Measures this machine's honest ceiling for rampa: the closed-loop requests/s of one worker
against the embedded target, then open-loop rates stepped up until the send lag p99 exceeds
the bound or arrivals are dropped. Prints the highest rate one worker generates on schedule.

Options:
  --step-duration <dur>  Length of each step (default 2s)
  --lag-bound <dur>      Send lag p99 allowed (default 500us)
  --engine <name>        {{engines}}
  -h, --help             Show this help
`;

const OPTIONS = {
  "step-duration": { type: "string" },
  "lag-bound": { type: "string" },
  engine: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** One measured step. */
export interface Step {
  rate: number | null;
  achieved: number;
  lagP99: number;
  dropped: number;
  cpu: number;
  ok: boolean;
}

async function measure(url: string, args: string[]): Promise<Summary> {
  const a = parseRunArgs([url, ...args, "--no-summary", "-q", "--workers", "1"]);
  setTiming(a.timing);
  const spec = await adHocRunSpec(a, { workers: 1, reason: "selfcheck: one load thread" }, {});
  const cfg = spec.scenarios.default;
  const { summary } = await execute({
    spec,
    plans: [{ name: "default", plan: createExecutor(cfg, WHOLE_RUN).plan(), startTimeMs: 0 }],
    standardOutputs: false,
    report: (line) => console.error(line),
  });
  return summary;
}

/** Runs `rampa selfcheck`; returns the exit code. */
export async function selfcheckCommand(args: string[]): Promise<number> {
  const { values: v } = parseFlags("selfcheck", args, OPTIONS);
  if (v.help) {
    console.log(selfcheckUsage());
    return ExitCode.OK;
  }
  const step = v["step-duration"] ?? "2s";
  const bound = parseDuration(v["lag-bound"] ?? "500us", "--lag-bound");
  const engine = v.engine ?? engineNames()[0].name;
  checkEngine(engine);
  const target = await startTargetInWorker({});
  try {
    const url = `${target.url}/`;
    console.log(`rampa selfcheck: embedded target on ${target.url} (own thread), engine ${engine}`);
    const closed = await measure(url, ["--vus", "64", "-d", step, "--engine", engine]);
    const ceiling = closed.load.achievedRate;
    console.log(
      `closed loop, 64 VUs: ${Math.round(ceiling)} req/s at ${
        Math.round(closed.health.cpu * 100)
      }% CPU (target on another thread of this process)`,
    );
    const steps: Step[] = [];
    let best = 0;
    for (const f of [0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.85]) {
      const rate = Math.max(100, Math.round((ceiling * f) / 100) * 100);
      const s = await measure(url, [
        "--rate",
        `${rate}/s`,
        "-d",
        step,
        "--max-in-flight",
        "1024",
        "--warmup",
        "1s",
        "--engine",
        engine,
      ]);
      const lag = s.health.schedulerLag.p99;
      const ok = lag <= bound && s.load.dropped === 0 &&
        s.load.achievedRate >= rate * 0.995;
      steps.push({
        rate,
        achieved: s.load.achievedRate,
        lagP99: lag,
        dropped: s.load.dropped,
        cpu: s.health.cpu,
        ok,
      });
      console.log(
        `  ${String(rate).padStart(7)}/s → ${Math.round(s.load.achievedRate)}/s, send lag p99 ${
          formatDuration(lag)
        }, dropped ${s.load.dropped}, cpu ${Math.round(s.health.cpu * 100)}%  ${ok ? "✓" : "✗"}`,
      );
      if (!ok) break;
      best = rate;
    }
    console.log(
      best
        ? `This host generates up to ~${best}/s per worker on schedule (send lag p99 ≤ ${
          formatDuration(bound)
        }); above that, latencies would include generator delay.`
        : `Even ${steps[0]?.rate}/s exceeded the send-lag bound here: the machine is busy or slow.`,
    );
    return ExitCode.OK;
  } finally {
    await target.close();
  }
}
