/**
 * Runs a compiled {@link Plan} as a scenario module: `default` picks a flow by weight and runs
 * its steps with `ctx.http`, each step in a group named after it, its `expect` and `extract`
 * entries recorded as named checks (a failed extract ends the iteration), then its think time. The module looks
 * like an imported TypeScript scenario, so executors, workers, metrics, thresholds and outputs
 * treat it the same way.
 *
 * @module
 */
import type { VuContext } from "../core/scenario/api.ts";
import type { HttpApi, HttpRequestOptions } from "../engines/http/api.ts";
import { extractInto } from "./extract.ts";
import {
  Escape,
  type FlowPlan,
  type Plan,
  requestOptions,
  type Slot,
  type StepPlan,
  type Template,
} from "./plan.ts";

/** The context a declarative iteration needs: the core one plus `ctx.http`. */
export type DeclarativeContext = VuContext & { readonly http: HttpApi };

/** One iteration's values. */
interface Scope {
  readonly env: Readonly<Record<string, string>>;
  readonly vu: string;
  readonly iteration: string;
  readonly scenario: string;
  readonly rows: unknown[];
  readonly vars: (string | undefined)[];
}

/** A value missing at run time: an environment variable that is not set. */
export class DeclarativeError extends Error {
  /** Creates the error; its name is what the summary counts iteration errors by. */
  constructor(message: string) {
    super(message);
    const name = this.name = "DeclarativeError";
    // No stack: its frames are rampa's, and the summary would print one as the user's position.
    this.stack = `${name}: ${message}`;
  }
}

function text(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined || v === null) return "";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

function valueOf(s: Slot, sc: Scope): string {
  switch (s.k) {
    case "env": {
      const v = sc.env[s.name];
      if (v === undefined) {
        throw new DeclarativeError(
          `Environment variable "${s.name}" is not set: give --env ${s.name}=… or options.env`,
        );
      }
      return v;
    }
    case "vu":
      return sc.vu;
    case "iteration":
      return sc.iteration;
    case "scenario":
      return sc.scenario;
    case "data":
      return text((sc.rows[s.set] as Record<string, unknown> | undefined)?.[s.column]);
    case "var":
      return sc.vars[s.slot] ?? "";
  }
}

function escape(v: string, e: Escape): string {
  return e === Escape.None
    ? v
    : e === Escape.Json
    ? JSON.stringify(v).slice(1, -1)
    : encodeURIComponent(v);
}

/** Renders a template for this iteration. */
export function render(t: Template, sc: Scope): string {
  let out = t.lits[0];
  for (let i = 0; i < t.refs.length; i++) {
    out += escape(valueOf(t.refs[i], sc), t.escapes[i]) + t.lits[i + 1];
  }
  return out;
}

/** Sends one step and records its checks; false when an extract failed (the iteration ends). */
async function runStep(step: StepPlan, sc: Scope, ctx: DeclarativeContext): Promise<boolean> {
  const url = render(step.url, sc);
  let options: HttpRequestOptions;
  if (step.fixedOptions) options = step.fixedOptions;
  else {
    const h: Record<string, string> = {};
    for (const [k, t] of step.headers) h[k] = render(t, sc);
    options = requestOptions(h, step.metricName, step.timeoutMs);
  }
  const body = step.body ? render(step.body, sc) : undefined;
  const res = await ctx.http.request(step.method, url, body, options);
  if (step.checks) ctx.check(res, step.checks);
  if (!step.extractChecks) return true;
  extractInto.vars = sc.vars;
  try {
    return ctx.check(res, step.extractChecks);
  } finally {
    extractInto.vars = null;
  }
}

/** Runs one iteration of `flow`. */
export async function runFlow(plan: Plan, flow: FlowPlan, ctx: DeclarativeContext): Promise<void> {
  const sc: Scope = {
    env: ctx.env,
    vu: String(ctx.vu),
    iteration: String(ctx.iteration),
    scenario: ctx.scenario,
    rows: [],
    vars: new Array(flow.slots),
  };
  // One row of each dataset the flow reads, for the whole iteration (like dataset.next()).
  for (const i of flow.sets) sc.rows[i] = plan.datasets[i].rows.next();
  for (const step of flow.steps) {
    if (!(await ctx.group(step.name, () => runStep(step, sc, ctx)))) return;
    if (step.thinkMs > 0) await ctx.sleep(step.thinkMs / 1000);
  }
}

/**
 * Picks flows by weight, deterministically: smooth weighted round robin (as nginx balances
 * upstreams), so 3:1 weights give exactly three of one per one of the other in every four
 * iterations of a thread, and small runs show the mix the file states.
 */
export function createFlowPicker(flows: readonly FlowPlan[]): () => FlowPlan {
  if (flows.length === 1) return () => flows[0];
  const current = flows.map(() => 0);
  const total = flows.reduce((s, f) => s + f.weight, 0);
  return () => {
    let best = 0;
    for (let i = 0; i < flows.length; i++) {
      current[i] += flows[i].weight;
      if (current[i] > current[best]) best = i;
    }
    current[best] -= total;
    return flows[best];
  };
}

/** The scenario module for a plan: `options`, `default`, and each named flow. */
export function createScenarioModule(
  plan: Plan,
  options: unknown,
): { readonly [name: string]: unknown } {
  const pick = createFlowPicker(plan.flows);
  const mod: Record<string, unknown> = {
    options,
    default: (ctx: DeclarativeContext) => runFlow(plan, pick(), ctx),
  };
  for (const f of plan.flows) {
    if (f.name) mod[f.name] = (ctx: DeclarativeContext) => runFlow(plan, f, ctx);
  }
  return mod;
}
