/**
 * Messages between the main thread and the scenario's lifecycle thread (import, options,
 * setup, teardown). Only plain data crosses: resolved options, setup's JSON-safe data and the
 * metrics setup() and teardown() recorded.
 *
 * @module
 */
import type { EncodedSnapshot } from "../../core/metrics/snapshot.ts";
import type { ProtocolDescriptor } from "../../core/protocol/registry.ts";
import type { ProtocolOptions } from "../../core/protocol/types.ts";
import type { MetricDef } from "../../core/types.ts";
import type { OptionsLayer, ResolvedOptions } from "../../core/scenario/options.ts";

/** Main → lifecycle thread. */
export type ToLifecycle =
  | {
    type: "load";
    path: string;
    cwd: string;
    envLayer: OptionsLayer;
    flagLayer: OptionsLayer;
  }
  | { type: "setup"; protocol: Omit<ProtocolOptions, "maxEndpoints"> }
  | { type: "teardown"; data: unknown };

/** Lifecycle thread → main. */
export type FromLifecycle =
  | {
    type: "loaded";
    path: string;
    options: ResolvedOptions;
    /** Every protocol the thread knows once the module ran (plug-ins included). */
    protocols: ProtocolDescriptor[];
    /** Custom metrics the module declared at import time. */
    declared: MetricDef[];
  }
  | { type: "setup"; data: unknown }
  | { type: "teardown" }
  /** Metrics recorded by setup() or teardown(), sent before their answer. */
  | { type: "metrics"; delta: EncodedSnapshot }
  | { type: "error"; message: string; exitCode: number; issues?: string[] };
