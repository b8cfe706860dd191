/**
 * The main thread's side of the scenario's lifecycle thread (`lifecycle_main.ts`): every step
 * (import, setup(), teardown()) has a deadline the main thread enforces, and a signal ends the
 * step at once. User code that blocks its thread (an endless loop at import time) cannot
 * block the CLI: past the deadline the thread is terminated and the user gets one line.
 *
 * @module
 */
import { ConfigError, ExitCode, RampaError } from "../../core/errors.ts";
import {
  createSnapshot,
  decodeSnapshot,
  mergeSnapshot,
  type Snapshot,
} from "../../core/metrics/snapshot.ts";
import { adoptProtocols } from "../../core/protocol/registry.ts";
import type { ProtocolOptions } from "../../core/protocol/types.ts";
import { declaredMetrics } from "../../core/scenario/declared_metrics.ts";
import type { OptionsLayer, ResolvedOptions } from "../../core/scenario/options.ts";
import { formatDuration } from "../../core/units.ts";
import type { FromLifecycle, ToLifecycle } from "./lifecycle_protocol.ts";
import { STOP_SIGNALS } from "../stop_signals.ts";
import { workerOptions, type WorkerPermissions } from "./permissions.ts";

const LIFECYCLE_URL = new URL("./lifecycle_main.ts", import.meta.url);

/** How long importing a scenario may take (k6's init has no limit; a hang must end). */
export const DEFAULT_IMPORT_TIMEOUT_MS = 60_000;

/** Extra time past setup()/teardown()'s own timeout before the thread is cut off. */
const GRACE_MS = 2_000;

const SIGNALS = STOP_SIGNALS;

/** The user's scenario, imported on its own thread. */
export class ScenarioHost {
  readonly #worker: Worker;
  readonly #metrics: Snapshot = createSnapshot();
  #pending: {
    expect: FromLifecycle["type"];
    resolve: (m: FromLifecycle) => void;
    reject: (e: Error) => void;
  } | null = null;
  #dead: Error | null = null;

  /** The absolute path and resolved options, once loaded. */
  path = "";
  options!: ResolvedOptions;

  private constructor(permissions: WorkerPermissions | undefined) {
    this.#worker = new Worker(LIFECYCLE_URL, workerOptions(permissions));
    this.#worker.onmessage = (e: MessageEvent<FromLifecycle>) => {
      const m = e.data;
      if (m.type === "metrics") {
        mergeSnapshot(this.#metrics, decodeSnapshot(m.delta), "shares");
        return;
      }
      const p = this.#pending;
      if (!p) return;
      this.#pending = null;
      if (m.type === "error") {
        p.reject(
          m.issues?.length ? new ConfigError(m.issues) : new RampaError(m.message, m.exitCode as 6),
        );
      } else p.resolve(m);
    };
    this.#worker.onerror = (e) => {
      // Without preventDefault an error in a worker ends the whole process.
      e.preventDefault();
      this.#fail(new RampaError(`scenario error: ${e.message}`, ExitCode.SCRIPT_ERROR));
    };
  }

  #fail(err: Error): void {
    this.#dead ??= err;
    const p = this.#pending;
    this.#pending = null;
    p?.reject(err);
  }

  /**
   * Imports the scenario at `path` and resolves its options (file, then RAMPA_* variables,
   * then flags) on a thread with `permissions`.
   */
  static async open(o: {
    path: string;
    cwd: string;
    envLayer: OptionsLayer;
    flagLayer: OptionsLayer;
    permissions?: WorkerPermissions;
    importTimeoutMs?: number;
  }): Promise<ScenarioHost> {
    const host = new ScenarioHost(o.permissions);
    try {
      const timeout = o.importTimeoutMs ?? DEFAULT_IMPORT_TIMEOUT_MS;
      const m = await host.#ask(
        { type: "load", path: o.path, cwd: o.cwd, envLayer: o.envLayer, flagLayer: o.flagLayer },
        "loaded",
        timeout,
        `Importing ${o.path} did not finish within ${formatDuration(timeout)} ` +
          "(an endless loop or a wait at module top level?)",
      );
      if (m.type === "loaded") {
        host.path = m.path;
        host.options = m.options;
        // Thresholds, sections and aliases are judged here: know what the module declared.
        adoptProtocols(m.protocols);
        for (const d of m.declared) declaredMetrics.set(d.name, d);
      }
      return host;
    } catch (e) {
      host.close();
      throw e;
    }
  }

  /** Runs setup() (if exported); returns its JSON-safe data. */
  async setup(protocol: Omit<ProtocolOptions, "maxEndpoints">): Promise<unknown> {
    const t = this.options.setupTimeoutMs;
    const m = await this.#ask(
      { type: "setup", protocol },
      "setup",
      t + GRACE_MS,
      `setup() failed: it did not finish within ${formatDuration(t)} and blocked its thread`,
    );
    return m.type === "setup" ? m.data : undefined;
  }

  /** Runs teardown() (if exported) with setup's data. */
  async teardown(data: unknown): Promise<void> {
    const t = this.options.teardownTimeoutMs;
    await this.#ask(
      { type: "teardown", data },
      "teardown",
      t + GRACE_MS,
      `teardown() failed: it did not finish within ${formatDuration(t)} and blocked its thread`,
    );
  }

  /** What setup() and teardown() recorded so far (requests, checks, custom metrics). */
  get metrics(): Snapshot {
    return this.#metrics;
  }

  /** Ends the thread (idempotent). */
  close(): void {
    this.#worker.terminate();
  }

  /** Sends `msg` and waits for its answer, a deadline, or a signal (which ends the step). */
  #ask(
    msg: ToLifecycle,
    expect: FromLifecycle["type"],
    deadlineMs: number,
    late: string,
  ): Promise<FromLifecycle> {
    if (this.#dead) return Promise.reject(this.#dead);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onSignal = () =>
      this.#fail(
        new RampaError(`Interrupted during ${stepName(msg.type)}`, ExitCode.INTERRUPTED),
      );
    return new Promise<FromLifecycle>((resolve, reject) => {
      this.#pending = { expect, resolve, reject };
      timer = setTimeout(() => {
        this.close();
        this.#fail(new RampaError(late, ExitCode.SCRIPT_ERROR));
      }, deadlineMs);
      for (const s of SIGNALS) Deno.addSignalListener(s, onSignal);
      this.#worker.postMessage(msg);
    }).finally(() => {
      clearTimeout(timer);
      for (const s of SIGNALS) Deno.removeSignalListener(s, onSignal);
    });
  }
}

function stepName(type: ToLifecycle["type"]): string {
  return type === "load" ? "the scenario's import" : `${type}()`;
}
