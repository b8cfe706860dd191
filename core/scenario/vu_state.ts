/**
 * The state of one VU and the thread-wide runtime it belongs to (their types are the Protocol
 * seam's, `core/protocol/types.ts`). A VU's state reaches the user's code two ways: as the
 * context argument of the scenario function, and through an AsyncLocalStorage so that
 * module-level `check`, `group`, `sleep` and protocol APIs (`http`, as k6 users write them)
 * act on the VU whose iteration is running, even with many VUs interleaved on one event loop.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { MetricRegistry } from "../metrics/registry.ts";
import type { EvidenceLog } from "../run/evidence.ts";
import type { Protocol, ProtocolOptions, Runtime, VuState } from "../protocol/types.ts";

export type { Runtime, VuState };

/** Distinct request names per scenario before further ones fold into "(other)". */
export const MAX_ENDPOINTS = 500;

/** A thread's runtime for VUs (setup/teardown get their own on the main thread). */
export function createRuntime(
  registry: MetricRegistry,
  evidence: EvidenceLog,
  protocols: readonly Protocol[],
  options: Omit<ProtocolOptions, "maxEndpoints"> & { maxEndpoints?: number },
): Runtime {
  for (const p of protocols) for (const d of p.metrics) registry.define(d);
  return {
    registry,
    evidence,
    protocols,
    options: { maxEndpoints: MAX_ENDPOINTS, ...options },
    state: new Map(),
  };
}

/** A fresh VU of `rt` (the scenario run and setup/teardown make theirs with it). */
export function createVuState(
  rt: Runtime,
  init: Pick<VuState, "id" | "scenario" | "tags" | "env" | "data" | "keepState" | "interrupt">,
): VuState {
  return { runtime: rt, ...init, iteration: -1, group: "", slots: new Map() };
}

/** Retires a VU: every protocol closes what it holds for it. */
export function closeVu(vu: VuState): void {
  for (const p of vu.runtime.protocols) p.vu?.close?.(vu);
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
