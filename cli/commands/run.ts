/**
 * `rampa run <url | scenario.ts>`: an ad-hoc test of one endpoint (open loop at a rate or
 * closed loop with VUs) or a scenario file, its load on worker threads, with the console
 * summary and the JSON summary file by default.
 *
 * @module
 */
import { ExitCode } from "../../core/errors.ts";
import { createExecutor } from "../../core/executors/factory.ts";
import type { Output } from "../../core/run/output.ts";
import { collectThresholds, thresholdFlags } from "../../core/scenario/thresholds_setup.ts";
import { setTiming } from "../../core/schedule/wait.ts";
import { WHOLE_RUN } from "../../core/types.ts";
import { execute, type ExecuteResult } from "../execute.ts";
import { adHocExecutorConfig, adHocRunSpec, thresholdsInput } from "../run_spec.ts";
import { chooseWorkers } from "../workers_auto.ts";
import { discardSpareWorker, prestartWorker } from "../worker/pool.ts";
import { parseRunArgs, type RunArgs, runUsage } from "./run_args.ts";

/** Runs `rampa run`; returns the exit code. */
export async function runCommand(args: string[]): Promise<number> {
  const a = parseRunArgs(args, { noColor: Deno.env.get("NO_COLOR") !== undefined });
  if (a.help) {
    console.log(runUsage());
    return ExitCode.OK;
  }
  setTiming(a.timing);
  // Every run's load runs on a worker: start the first one now, while this thread prepares.
  prestartWorker();
  try {
    return await dispatch(a);
  } finally {
    discardSpareWorker();
  }
}

async function dispatch(a: RunArgs): Promise<number> {
  if (a.scenario) {
    // Scenario support (module loading, options schemas) loads only for scenario files.
    const { runScenarioCommand } = await import("./run_scenario.ts");
    return await runScenarioCommand(a);
  }
  const { exitCode } = await runAdHoc(a);
  return exitCode;
}

/** Runs an ad-hoc test described by parsed flags (also used by `rampa demo`). */
export async function runAdHoc(a: RunArgs, extraOutputs: Output[] = []): Promise<ExecuteResult> {
  // Thresholds and the request are checked here, before any worker starts.
  collectThresholds({}, a.thresholds);
  const plan = createExecutor(adHocExecutorConfig(a), WHOLE_RUN).plan();
  const choice = a.workers !== null
    ? { workers: a.workers, reason: `--workers ${a.workers}` }
    : chooseWorkers(plan.peakRate, plan.peakVUs);
  const spec = await adHocRunSpec(a, choice, thresholdsInput({}, thresholdFlags(a.thresholds)));
  if (a.warmupMs > 0 && !a.quiet) {
    console.error(`Warming up for ${a.warmupMs / 1000}s (same load, not measured)…`);
  }
  return await execute({
    spec,
    plans: [{ name: "default", plan, startTimeMs: 0, target: spec.targets.default }],
    extraOutputs,
    report: (line) => console.error(line),
  });
}
