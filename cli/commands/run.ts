/**
 * `rampa run <url>`: an ad-hoc test of one endpoint, open loop at a rate or closed loop with
 * VUs, with the console summary and the JSON summary file by default.
 *
 * @module
 */
import { ConfigError, ExitCode } from "../../core/errors.ts";
import { createArrivalRateExecutor } from "../../core/executors/arrival_rate.ts";
import { createConstantVusExecutor } from "../../core/executors/constant_vus.ts";
import type { Executor } from "../../core/executors/executor.ts";
import { HttpRecorder } from "../../core/metrics/http_recorder.ts";
import { MetricRegistry } from "../../core/metrics/registry.ts";
import type { Output } from "../../core/run/output.ts";
import { createRequestScenario } from "../../core/run/request_scenario.ts";
import { createConstantPacer } from "../../core/schedule/pacer.ts";
import { ENGINES } from "../../engines/registry.ts";
import { setSpinWindow, SLEEP_MARGIN_MS } from "../../core/schedule/wait.ts";
import { createConsoleOutput } from "../../outputs/console/mod.ts";
import { createJsonOutput } from "../../outputs/json/mod.ts";
import { createOutputFromFlag } from "../../outputs/registry.ts";
import { execute, type ExecuteResult, type StopReason } from "../execute.ts";
import { parseRunArgs, RUN_USAGE, type RunArgs } from "./run_args.ts";
import { runScenarioFile } from "./run_scenario.ts";
import { type OptionsLayer, parseStages } from "../../core/scenario/options.ts";
import { DEFAULT_POLICY } from "../../core/summary/verdict.ts";
import { collectThresholds } from "../../core/scenario/thresholds_setup.ts";

/** Runs `rampa run`; returns the exit code. */
export async function runCommand(args: string[]): Promise<number> {
  const a = parseRunArgs(args, { noColor: Deno.env.get("NO_COLOR") !== undefined });
  if (a.help) {
    console.log(RUN_USAGE);
    return ExitCode.OK;
  }
  if (a.scenario) {
    const layer: OptionsLayer = {
      ...(a.given.rate !== undefined ? { rate: a.given.rate } : {}),
      ...(a.given.vus !== undefined ? { vus: a.given.vus } : {}),
      ...(a.given.duration !== undefined ? { duration: a.given.duration } : {}),
      ...(a.given.iterations !== undefined ? { iterations: a.given.iterations } : {}),
      ...(a.given.stages !== undefined ? { stages: parseStages(a.given.stages) } : {}),
      ...(a.given.env !== undefined ? { env: a.given.env } : {}),
      ...(a.insecure ? { insecureSkipTLSVerify: true } : {}),
    };
    setSpinWindow(a.timing === "efficient" ? 0 : SLEEP_MARGIN_MS);
    const r = await runScenarioFile(a, { layer, dryRun: a.dryRun });
    return r?.exitCode ?? ExitCode.OK;
  }
  const { exitCode } = await runAdHoc(a);
  return exitCode;
}

/** Builds the executor `rampa run` flags describe. */
export function executorFor(a: RunArgs): Executor {
  if (a.mode === "closed") {
    return createConstantVusExecutor({
      vus: a.vus,
      durationMs: a.durationMs,
      gracefulStopMs: a.gracefulStopMs,
    });
  }
  return createArrivalRateExecutor({
    kind: "constant-arrival-rate",
    pacer: createConstantPacer(a.ratePerSecond, a.durationMs),
    timeline: [{ atMs: 0, rate: a.ratePerSecond }, { atMs: a.durationMs, rate: 0 }],
    preAllocatedVUs: Math.min(a.maxInFlight, 64),
    maxVUs: a.maxInFlight,
    gracefulStopMs: a.gracefulStopMs,
    segmentIndex: 0,
    segmentCount: 1,
  });
}

/** Runs an ad-hoc test described by parsed flags (also used by `rampa demo`). */
export async function runAdHoc(a: RunArgs, extraOutputs: Output[] = []): Promise<ExecuteResult> {
  const engine = ENGINES[a.engine]();
  setSpinWindow(a.timing === "efficient" ? 0 : SLEEP_MARGIN_MS);
  let body: Uint8Array | string | null = a.body;
  if (a.bodyFile !== null) {
    try {
      body = await Deno.readFile(a.bodyFile);
    } catch (e) {
      throw new ConfigError(
        `Cannot read --body-file "${a.bodyFile}": ${e instanceof Error ? e.message : e}`,
      );
    }
  }
  const request = engine.prepare({
    method: a.method,
    url: a.url,
    headers: a.headers,
    body,
    timeoutMs: a.timeoutMs,
    name: a.name ?? undefined,
  });

  const thresholds = collectThresholds({}, a.thresholds);
  const registry = new MetricRegistry();
  const recorder = new HttpRecorder(registry, { scenario: "default" });
  const stop = new AbortController();
  const stopReason: { current: StopReason | null } = { current: null };
  const scenario = createRequestScenario({
    name: "default",
    engine,
    request,
    executor: executorFor(a),
    recorder,
    maxConnections: a.mode === "closed" ? a.vus : a.maxInFlight,
    insecure: a.insecure,
    onUnreachable: (message) => {
      stopReason.current ??= {
        status: "aborted",
        reason: message,
        exitCode: ExitCode.TARGET_UNREACHABLE,
      };
      stop.abort();
    },
  });
  const tty = Deno.stderr.isTerminal();
  const outputs: Output[] = [
    createConsoleOutput({
      color: a.color && tty,
      quiet: a.quiet,
      tty,
      targetRate: a.mode === "open" ? a.ratePerSecond : null,
    }),
  ];
  if (a.summaryPath) outputs.push(createJsonOutput(a.summaryPath));
  for (const spec of a.outs) outputs.push(createOutputFromFlag(spec));
  outputs.push(...extraOutputs);

  return await execute({
    scenarios: [scenario],
    registry,
    outputs,
    config: configOf(a),
    errorExamples: () => recorder.errorExamples,
    stop,
    report: (line) => console.error(line),
    thresholds,
    policy: {
      failOnCheck: a.failOnCheck,
      maxDroppedFraction: a.maxDropped ?? DEFAULT_POLICY.maxDroppedFraction,
    },
  }, stopReason);
}

function configOf(a: RunArgs): Record<string, unknown> {
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
    headers: a.headers.map(([k]) => k),
  };
}
