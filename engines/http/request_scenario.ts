/**
 * The ad-hoc scenario behind `rampa run <url>`: every iteration is one request, sent through
 * one engine client whose pool is sized to the VU cap. Per-VU outcome records are reused, so an
 * iteration allocates nothing of its own beyond what the engine needs.
 *
 * @module
 */
import {
  createOutcome,
  type Engine,
  type EngineClient,
  type Outcome,
  type PreparedRequest,
  resetOutcome,
} from "./types.ts";
import type { Executor } from "../../core/executors/executor.ts";
import type { ScenarioRun } from "../../core/run/runner.ts";
import type { HttpRecorder } from "./recorder.ts";
import type { ResponseChecker } from "./response_checks.ts";

/** Options of a single-request scenario. */
export interface RequestScenarioOptions {
  readonly name: string;
  readonly engine: Engine;
  readonly request: PreparedRequest;
  readonly executor: Executor;
  readonly recorder: HttpRecorder;
  /** Connection cap (the VU cap). */
  readonly maxConnections: number;
  readonly insecure?: boolean;
  /**
   * Called once when the target looks unreachable: every attempt so far failed to connect
   * (refused or DNS) and there were at least `UNREACHABLE_AFTER` of them.
   */
  readonly onUnreachable?: (message: string) => void;
  /** Connections to open before the run (pre-allocated VUs), so bursts need no connects. */
  readonly warmConnections?: number;
  /** Ad-hoc response checks (`--expect-*`), when any were asked for. */
  readonly check?: ResponseChecker | null;
}

/** Attempts, all failing to connect, after which a target counts as unreachable. */
export const UNREACHABLE_AFTER = 20;

/** Creates the scenario. */
export function createRequestScenario(opts: RequestScenarioOptions): ScenarioRun {
  const { engine, request, recorder } = opts;
  const check = opts.check ?? null;
  const endpoint = recorder.endpoint({ name: request.name, method: request.method });
  let client: EngineClient | null = null;
  const slots: Outcome[] = [];
  // Closed loop only: each VU's usual pace, for the coordinated-omission-corrected trend.
  const closed = opts.executor.plan().peakRate === null;
  const paces: number[] = [];
  let reached = 0;
  let refused = 0;
  let reported = false;

  const open = (): EngineClient =>
    client ??= engine.createClient({
      insecure: opts.insecure,
      maxConnections: opts.maxConnections,
    });

  return {
    name: opts.name,
    executor: opts.executor,
    startTimeMs: 0,
    target: `${request.method} ${request.url.href}`,
    async prepare(): Promise<void> {
      const c = open();
      if (opts.warmConnections && c.warm) await c.warm(request, opts.warmConnections);
    },
    async iterate(vu: number, scheduled: number, interrupt: AbortSignal): Promise<void> {
      const out = slots[vu] ??= createOutcome();
      resetOutcome(out, scheduled);
      await (client ?? open()).send(request, out, interrupt);
      let pace = NaN;
      if (closed) {
        const latency = out.ended - out.scheduled;
        const p = paces[vu];
        pace = p ?? latency;
        // The pace follows ordinary responses; a stall (4× the pace) must not become the pace.
        if (out.error === null) {
          paces[vu] = p === undefined ? latency : latency <= 4 * p ? p * 0.9 + latency * 0.1 : p;
        }
      }
      recorder.record(endpoint, out, pace);
      if (check && out.error !== "aborted") check(out);
      if (out.error === "refused" || out.error === "dns") {
        if (++refused >= UNREACHABLE_AFTER && reached === 0 && !reported && opts.onUnreachable) {
          reported = true;
          opts.onUnreachable(
            `Cannot reach ${request.url.origin}: ${out.errorMessage || out.error}`,
          );
        }
      } else reached++;
    },
    close(): void {
      client?.close();
      client = null;
    },
  };
}
