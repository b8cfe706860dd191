/**
 * Type-level tests of `Options` (issue 16, item 7): each `// @ts-expect-error` line must be an
 * error for `deno check` (an unused directive is itself an error), and the valid configs must
 * type-check. The run-time test only confirms that what the types accept, the validator accepts.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import type { z } from "zod";
import type { Options, ScenarioConfig } from "../../../mod.ts";
import {
  type ExecutorConfigSchema,
  validateExecutorConfig,
} from "../../../core/executors/config.ts";

const valid: Options = {
  scenarios: {
    open: {
      executor: "constant-arrival-rate",
      rate: 50,
      duration: "1m",
      preAllocatedVUs: 10,
      maxVUs: 20,
    },
    ramp: {
      executor: "ramping-arrival-rate",
      stages: [{ target: 10, duration: 1000 }],
      preAllocatedVUs: 2,
      timeUnit: "1s",
    },
    closed: { executor: "constant-vus", vus: 2, duration: 30_000, startTime: "5s" },
    rampVus: { executor: "ramping-vus", stages: [{ target: 5, duration: "10s" }] },
    each: { executor: "per-vu-iterations", vus: 2, iterations: 3, exec: "smoke" },
    shared: {
      executor: "shared-iterations",
      vus: 2,
      iterations: 10,
      maxDuration: "1m",
      tags: { kind: "x" },
      env: { A: "1" },
    },
  },
  thresholds: { http_req_duration: ["p(99)<300"] },
};

export const wrong: Options[] = [
  // @ts-expect-error a misspelt executor is no executor
  { scenarios: { a: { executor: "constant-vuz", vus: 1, duration: "1s" } } },
  // @ts-expect-error constant-arrival-rate needs a rate
  { scenarios: { a: { executor: "constant-arrival-rate", duration: "1s", preAllocatedVUs: 1 } } },
  // @ts-expect-error a field of another executor is not accepted
  { scenarios: { a: { executor: "constant-vus", vus: 1, duration: "1s", rate: 5 } } },
  // @ts-expect-error a duration is a string or a number of milliseconds
  { scenarios: { a: { executor: "constant-vus", vus: 1, duration: true } } },
  // @ts-expect-error stages are { target, duration }
  { scenarios: { a: { executor: "ramping-vus", stages: [{ target: 1 }] } } },
  // @ts-expect-error shared-iterations needs its iterations
  { scenarios: { a: { executor: "shared-iterations", vus: 1 } } },
  // @ts-expect-error per-VU iterations are a number
  { scenarios: { a: { executor: "per-vu-iterations", vus: 1, iterations: "3" } } },
];

// The author-facing union and the schema's input are one type (also asserted in config.ts).
type Same<A, B> = [A] extends [B] ? [B] extends [A] ? true : false : false;
const _same: Same<z.input<typeof ExecutorConfigSchema>, ScenarioConfig> = true;

Deno.test("every scenario the types accept, the validator accepts", () => {
  for (const [name, sc] of Object.entries(valid.scenarios ?? {})) {
    deepStrictEqual(validateExecutorConfig(sc, name).issues, [], name);
  }
});

Deno.test("the configs the types refuse, the validator refuses too", () => {
  for (const o of wrong) {
    const sc = Object.values(o.scenarios ?? {})[0];
    ok(validateExecutorConfig(sc, "a").issues.length > 0, JSON.stringify(sc));
  }
});
