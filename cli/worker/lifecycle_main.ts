/// <reference lib="deno.worker" />
/**
 * The scenario's lifecycle thread: imports the user's module, resolves its options, runs
 * setup() and later teardown(). User code never runs on the main thread: there it would hold
 * rampa's own permissions, and an endless loop at import time would leave the CLI unable to
 * answer a signal or a deadline. Here it runs with the scenario permissions (like the load
 * threads) and the main thread keeps its clock.
 *
 * @module
 */
import { ConfigError, RampaError } from "../../core/errors.ts";
import { CORE_METRICS } from "../../core/metrics/builtin.ts";
import { MetricRegistry } from "../../core/metrics/registry.ts";
import { encodeSnapshot, transferablesOf } from "../../core/metrics/snapshot.ts";
import { protocolDescriptors, registeredProtocols } from "../../core/protocol/registry.ts";
import { declaredMetrics } from "../../core/scenario/declared_metrics.ts";
import { EvidenceLog } from "../../core/run/evidence.ts";
import { setThreadRegistry } from "../../core/scenario/custom_metrics.ts";
import { guardScenarioThread } from "../../core/scenario/guard.ts";
import { runSetup, runTeardown } from "../../core/scenario/lifecycle.ts";
import { type LoadedScenario, loadScenario } from "../../core/scenario/loader.ts";
import { type ResolvedOptions, resolveOptions } from "../../core/scenario/options.ts";
import { scenarioFunctions } from "../../core/scenario/scenario_workload.ts";
import { errorLine } from "../../core/scenario/user_error.ts";
import { createRuntime } from "../../core/scenario/vu_state.ts";
import type { Runtime } from "../../core/protocol/types.ts";
import { registerDeclarativeFormats } from "../../declarative/register.ts";
import { registerBuiltinProtocols } from "../../engines/registry.ts";
import type { FromLifecycle, ToLifecycle } from "./lifecycle_protocol.ts";
import { routeScenarioConsole } from "./console_forward.ts";

const post = (m: FromLifecycle, transfer: ArrayBuffer[] = []) => self.postMessage(m, { transfer });

function fail(e: unknown): void {
  if (e instanceof ConfigError) {
    post({ type: "error", message: e.message, exitCode: e.exitCode, issues: [...e.issues] });
  } else if (e instanceof RampaError) {
    post({ type: "error", message: e.message, exitCode: e.exitCode });
  } else {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: "error", message: `scenario error: ${errorLine(err)}`, exitCode: 6 });
  }
}

let loaded: LoadedScenario | null = null;
let options: ResolvedOptions | null = null;
let registry: MetricRegistry | null = null;
let runtime: Runtime | null = null;

// Outside setup() and teardown() there is nobody to count an unhandled rejection for: it is
// reported as a failure of the phase in progress.
guardScenarioThread((_kind, err) => fail(err));

function drain(): void {
  const encoded = encodeSnapshot(registry!.drain(), "thread");
  post({ type: "metrics", delta: encoded }, transferablesOf(encoded));
}

self.onmessage = async (e: MessageEvent<ToLifecycle>) => {
  const m = e.data;
  try {
    if (m.type === "load") {
      // Before the module runs: its console goes to stderr or to --console-output.
      routeScenarioConsole();
      registerBuiltinProtocols();
      registerDeclarativeFormats();
      loaded = await loadScenario(m.path, m.cwd);
      options = resolveOptions(loaded.module.options, m.envLayer, m.flagLayer);
      scenarioFunctions(loaded, options.scenarios);
      post({
        type: "loaded",
        path: loaded.path,
        options,
        protocols: protocolDescriptors(),
        declared: [...declaredMetrics.values()],
      });
    } else if (m.type === "setup") {
      registry = new MetricRegistry();
      for (const d of CORE_METRICS) registry.define(d);
      // check() and group() work in setup() and teardown() as in an iteration.
      registry.define({ name: "checks", kind: "rate" });
      registry.define({ name: "group_duration", kind: "trend", unit: "ms" });
      setThreadRegistry(registry);
      runtime = createRuntime(registry, new EvidenceLog(), registeredProtocols(), m.protocol);
      const data = await runSetup(loaded!.module, runtime, options!);
      drain();
      post({ type: "setup", data });
    } else if (m.type === "teardown") {
      try {
        await runTeardown(loaded!.module, runtime!, options!, m.data);
      } finally {
        drain();
      }
      post({ type: "teardown" });
    }
  } catch (err) {
    fail(err);
  }
};
