/**
 * `rampa run <url | scenario.ts>`: an ad-hoc test of one endpoint (open loop at a rate or
 * closed loop with VUs) or a scenario file, on this thread or on workers, with the console
 * summary and the JSON summary file by default.
 *
 * @module
 */
import { ExitCode } from "../../core/errors.ts";
import { createExecutor } from "../../core/executors/factory.ts";
import type { Output } from "../../core/run/output.ts";
import { collectThresholds } from "../../core/scenario/thresholds_setup.ts";
import { setTiming } from "../../core/schedule/wait.ts";
import { DEFAULT_POLICY } from "../../core/summary/verdict.ts";
import { WHOLE_RUN } from "../../core/types.ts";
import { ENGINES } from "../../engines/registry.ts";
import { execute, type ExecuteResult, type Placement, type StopReason } from "../execute.ts";
import { standardOutputs } from "../outputs.ts";
import {
  adHocExecutorConfig,
  buildWorkload,
  readBody,
  readBodySchema,
  warmUp,
  type WorkloadSpec,
} from "../workload.ts";
import { parseRunArgs, RUN_USAGE, type RunArgs } from "./run_args.ts";

/** Runs `rampa run`; returns the exit code. */
export async function runCommand(args: string[]): Promise<number> {
  const a = parseRunArgs(args, { noColor: Deno.env.get("NO_COLOR") !== undefined });
  if (a.help) {
    console.log(RUN_USAGE);
    return ExitCode.OK;
  }
  setTiming(a.timing);
  if (a.scenario) {
    // Scenario support (module loading, options schemas) loads only for scenario files.
    const { runScenarioCommand } = await import("./run_scenario.ts");
    return await runScenarioCommand(a);
  }
  const { exitCode } = await runAdHoc(a);
  return exitCode;
}

/**
 * `--workers auto`: as many workers as the load needs (about 2,000 arrivals/s or 32 VUs each),
 * never more than the CPUs (capped at 8). Small tests stay on one thread: a worker costs a
 * module load and memory, and buys nothing below that load.
 */
export function autoWorkers(peakRate: number | null, peakVUs: number): number {
  const cpus = Math.min(8, navigator.hardwareConcurrency || 1);
  const need = peakRate !== null ? Math.ceil(peakRate / 2000) : Math.ceil(peakVUs / 32);
  return Math.max(1, Math.min(cpus, need));
}

/** Runs an ad-hoc test described by parsed flags (also used by `rampa demo`). */
export async function runAdHoc(a: RunArgs, extraOutputs: Output[] = []): Promise<ExecuteResult> {
  // Validate the URL on this thread first: a bad URL must fail before workers start.
  const body = await readBody(a);
  ENGINES[a.engine]().prepare({ method: a.method, url: a.url, headers: a.headers, body });
  const thresholds = collectThresholds({}, a.thresholds);
  const plan = createExecutor(adHocExecutorConfig(a), WHOLE_RUN).plan();
  const stop = new AbortController();
  const stopReason: { current: StopReason | null } = { current: null };
  const onUnreachable = (message: string) => {
    stopReason.current ??= {
      status: "aborted",
      reason: message,
      exitCode: ExitCode.TARGET_UNREACHABLE,
    };
    stop.abort();
  };
  const bodySchema = await readBodySchema(a);
  const spec: WorkloadSpec = { kind: "adhoc", args: a, body, bodySchema };
  const workers = a.workers ?? autoWorkers(plan.peakRate, plan.peakVUs);
  if (a.warmupMs > 0 && !a.quiet) {
    console.error(`Warming up for ${a.warmupMs / 1000}s (same load, not measured)…`);
  }
  let placement: Placement;
  let endWarmUp = () => {};
  if (workers > 1) placement = { kind: "workers", spec, workers, timing: a.timing };
  else {
    const workload = await buildWorkload(spec, WHOLE_RUN, onUnreachable);
    endWarmUp = await warmUp(workload, spec, WHOLE_RUN, stop.signal);
    placement = { kind: "local", workload };
  }
  const target = `${a.method} ${a.url}`;
  try {
    return await execute({
      placement,
      plans: [{ name: "default", plan, startTimeMs: 0, target }],
      outputs: [
        ...standardOutputs(a, a.mode === "open" ? a.ratePerSecond : null),
        ...extraOutputs,
      ],
      config: configOf(a, workers),
      stop,
      report: (line) => console.error(line),
      thresholds,
      policy: {
        failOnCheck: a.failOnCheck,
        maxDroppedFraction: a.maxDropped ?? DEFAULT_POLICY.maxDroppedFraction,
      },
    }, stopReason);
  } finally {
    // The measured run held the waker from its start: the warm-up's hold only bridged the gap.
    endWarmUp();
  }
}

function configOf(a: RunArgs, workers: number): Record<string, unknown> {
  return {
    url: a.url,
    method: a.method,
    mode: a.mode,
    ...(a.mode === "open" ? { rate: a.rateText, maxInFlight: a.maxInFlight } : { vus: a.vus }),
    durationMs: a.durationMs,
    timeoutMs: a.timeoutMs,
    gracefulStopMs: a.gracefulStopMs,
    engine: a.engine,
    timing: a.timing,
    warmupMs: a.warmupMs,
    workers,
    thresholds: a.thresholds,
    // Header names only: values are often secrets (Authorization).
    headers: a.headers.map(([k]) => k),
  };
}
