/**
 * A VU state for protocol tests outside a run: one thread's registry and evidence, no group,
 * `scenario: t` tags. Also sums what was recorded.
 *
 * @module
 */
import { MetricRegistry } from "../../core/metrics/registry.ts";
import type { Protocol, ProtocolOptions, VuState } from "../../core/protocol/types.ts";
import { EvidenceLog } from "../../core/run/evidence.ts";

/** A test VU plus a way to total its metrics. */
export interface TestVu {
  readonly vu: VuState;
  /** Sum of a metric's values (field `count` for sample counts) over series matching `where`. */
  sum(metric: string, where?: Record<string, string>, field?: "value" | "count"): number;
}

/**
 * Creates a VU for `protocols` (their `ctx` entries are not built: call their APIs); `options`
 * override the run's protocol options (engine, maxRedirects, ...).
 */
export function testVu(protocols: Protocol[] = [], options: Partial<ProtocolOptions> = {}): TestVu {
  const registry = new MetricRegistry();
  const all: { metric: string; value: number; count: number; tags: Record<string, string> }[] = [];
  const vu: VuState = {
    runtime: {
      registry,
      evidence: new EvidenceLog(),
      protocols,
      options: { insecure: false, engine: "http1", maxEndpoints: 100, ...options },
      state: new Map(),
    },
    id: 1,
    scenario: "t",
    tags: { scenario: "t" },
    env: {},
    data: undefined,
    iteration: 0,
    group: "",
    keepState: false,
    interrupt: new AbortController().signal,
    slots: new Map(),
  };
  return {
    vu,
    sum(metric, where = {}, field = "value") {
      for (const s of registry.drain().series.values()) all.push({ ...s, tags: { ...s.tags } });
      return all.filter((s) =>
        s.metric === metric && Object.entries(where).every(([k, v]) => s.tags[k] === v)
      ).reduce((a, s) => a + s[field], 0);
    },
  };
}
