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
  if (a.coordinator !== null) return await runAsFleetHost(a);
  if (a.scenario) {
    // Scenario support (module loading, options schemas) loads only for scenario files.
    const { runScenarioCommand } = await import("./run_scenario.ts");
    return await runScenarioCommand(a);
  }
  const { exitCode } = await runAdHoc(a);
  return exitCode;
}

/**
 * A host of a fleet run: the coordinator gives the segment and the start instant, receives
 * every interval and the summary, and owns the verdict; this host exits 0 once its results
 * reached the coordinator (an orchestrator must not kill the other hosts over one host's
 * verdict), else with its own exit code.
 */
async function runAsFleetHost(a: RunArgs): Promise<number> {
  const { fleetOutput, fleetTarget, joinFleet } = await import("../coordinator/host.ts");
  const target = fleetTarget(a.coordinator!, Deno.env.toObject());
  const report = (line: string) => console.error(line);
  const joined = await joinFleet(
    target,
    a.segment.count > 1 ? a.segment : null,
    120_000,
    report,
  );
  report(`joined as segment ${joined.segment.index}/${joined.segment.count}`);
  const host: RunArgs = { ...a, segment: joined.segment, startAt: joined.startAt };
  const out = fleetOutput(target, joined.hostId, report);
  let exitCode: number;
  if (host.scenario) {
    const { runScenarioFile, scenarioLayer } = await import("./run_scenario.ts");
    const r = await runScenarioFile(
      host,
      { layer: scenarioLayer(host), dryRun: false },
      [out],
      out.stopSignal,
    );
    exitCode = r?.exitCode ?? ExitCode.OK;
  } else {
    exitCode = (await runAdHoc(host, [out], out.stopSignal)).exitCode;
  }
  return out.delivered ? ExitCode.OK : exitCode;
}

/** Runs an ad-hoc test described by parsed flags (also used by `rampa demo`). */
export async function runAdHoc(
  a: RunArgs,
  extraOutputs: Output[] = [],
  stopOn?: AbortSignal,
): Promise<ExecuteResult> {
  // Thresholds and the request are checked here, before any worker starts.
  collectThresholds({}, a.thresholds);
  // A fleet host plans (and reports) its own share: the merged summaries add up to the run.
  const plan = createExecutor(adHocExecutorConfig(a), a.segment).plan();
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
    stopOn,
  });
}
