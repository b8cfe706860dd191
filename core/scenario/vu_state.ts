/**
 * The state of one VU and the thread-wide runtime it belongs to. A VU's state reaches the
 * user's code two ways: as the context argument of the scenario function, and through an
 * AsyncLocalStorage so that module-level `check`, `group`, `sleep` and `http` (as k6 users
 * write them) act on the VU whose iteration is running, even with many VUs interleaved on one
 * event loop.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Engine, EngineClient } from "../types.ts";
import type { HttpRecorder } from "../metrics/http_recorder.ts";
import type { MetricRegistry } from "../metrics/registry.ts";
import type { CheckLog } from "./checks.ts";
import type { CookieJar } from "tough-cookie";

/** What every VU of one thread shares. */
export interface Runtime {
  readonly registry: MetricRegistry;
  readonly engine: Engine;
  readonly insecure: boolean;
  /** Per-scenario HTTP recorders, by scenario name. */
  readonly recorders: Map<string, HttpRecorder>;
  readonly checks: CheckLog;
  /** Cap on distinct request names; past it names fold into "(other)" to bound memory. */
  readonly maxEndpoints: number;
}

/** Distinct request names per scenario before further ones fold into "(other)". */
export const MAX_ENDPOINTS = 500;

/** A thread's runtime for VUs (setup/teardown get their own on the main thread). */
export function createRuntime(
  registry: MetricRegistry,
  engine: Engine,
  insecure: boolean,
  checks: CheckLog,
): Runtime {
  return { registry, engine, insecure, recorders: new Map(), checks, maxEndpoints: MAX_ENDPOINTS };
}

/** One VU's mutable state. */
export interface VuState {
  readonly runtime: Runtime;
  /** Global VU number, 1-based (unique across workers and hosts). */
  readonly id: number;
  readonly scenario: string;
  readonly recorder: HttpRecorder;
  readonly env: Readonly<Record<string, string>>;
  readonly data: unknown;
  /** The VU's iteration counter (0-based), within its scenario. */
  iteration: number;
  /** Current group path, e.g. `checkout::pay`; "" outside any group. */
  group: string;
  /** Connection-holding client; created on first request. */
  client: EngineClient | null;
  jar: CookieJar;
  /** Keep cookies across iterations (options.noCookiesReset). */
  readonly keepCookies: boolean;
  /** Aborted when graceful stop runs out: in-flight requests end as "aborted". */
  interrupt: AbortSignal;
}

const current = new AsyncLocalStorage<VuState>();

/** Runs `fn` with `vu` as the current VU. */
export function withVu<T>(vu: VuState, fn: () => T): T {
  return current.run(vu, fn);
}

/** The VU whose code is running, or a clear error when called outside an iteration. */
export function currentVu(what: string): VuState {
  const vu = current.getStore();
  if (!vu) {
    throw new Error(
      `${what} can only be used inside a scenario function (during setup() use the context argument)`,
    );
  }
  return vu;
}

/** The current VU if any (custom metrics recorded at init time have none). */
export function maybeCurrentVu(): VuState | undefined {
  return current.getStore();
}
