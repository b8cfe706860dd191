import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { validateExecutorConfig } from "../../../core/executors/config.ts";
import { createExecutor } from "../../../core/executors/factory.ts";
import { EXECUTOR_KINDS } from "../../../core/executors/kinds.ts";

const P = "scenarios.checkout";

const good: { name: string; input: Record<string, unknown>; expect: Record<string, unknown> }[] = [
  {
    name: "constant-arrival-rate takes timeUnit 1s and maxVUs = preAllocatedVUs by default",
    input: { executor: "constant-arrival-rate", rate: 10, duration: "1m", preAllocatedVUs: 4 },
    expect: { rate: 10, timeUnit: 1000, duration: 60_000, preAllocatedVUs: 4, maxVUs: 4 },
  },
  {
    name: "ramping-arrival-rate accepts fractional rates and durations in ms",
    input: {
      executor: "ramping-arrival-rate",
      startRate: 0.5,
      timeUnit: "2m30s",
      stages: [{ target: 2.5, duration: 1500 }, { target: 0, duration: "0" }],
      preAllocatedVUs: 0,
      maxVUs: 9,
    },
    expect: {
      startRate: 0.5,
      timeUnit: 150_000,
      stages: [{ target: 2.5, duration: 1500 }, { target: 0, duration: 0 }],
      maxVUs: 9,
    },
  },
  {
    name: "constant-vus fills in the common scenario fields",
    input: { executor: "constant-vus", vus: 2, duration: "30s" },
    expect: {
      vus: 2,
      duration: 30_000,
      startTime: 0,
      gracefulStop: 30_000,
      exec: "default",
      tags: {},
      env: {},
    },
  },
  {
    name: "ramping-vus starts at 1 VU with a 30s gracefulRampDown by default",
    input: { executor: "ramping-vus", stages: [{ target: 5, duration: "10s" }] },
    expect: { startVUs: 1, gracefulRampDown: 30_000 },
  },
  {
    name: "per-vu-iterations has a 10m maxDuration by default",
    input: { executor: "per-vu-iterations", vus: 2, iterations: 3, startTime: "5s", exec: "login" },
    expect: { maxDuration: 600_000, startTime: 5000, exec: "login" },
  },
  {
    name: "shared-iterations keeps tags and env",
    input: {
      executor: "shared-iterations",
      vus: 2,
      iterations: 2,
      gracefulStop: 0,
      tags: { team: "payments" },
      env: { BASE: "http://x" },
    },
    expect: { gracefulStop: 0, tags: { team: "payments" }, env: { BASE: "http://x" } },
  },
];

for (const c of good) {
  Deno.test(`a valid config passes: ${c.name}`, () => {
    const { config, issues } = validateExecutorConfig(c.input, P);
    deepStrictEqual(issues, []);
    ok(config);
    for (const [k, v] of Object.entries(c.expect)) {
      deepStrictEqual((config as unknown as Record<string, unknown>)[k], v, k);
    }
  });
}

const base = { executor: "constant-arrival-rate", rate: 10, duration: "10s", preAllocatedVUs: 2 };
const ramp = { executor: "ramping-vus", stages: [{ target: 1, duration: "1s" }] };

const bad: { name: string; input: unknown; issue: string }[] = [
  {
    name: "an unparsable stage duration",
    input: { ...ramp, stages: [{ target: 1, duration: "1s" }, { target: 2, duration: "5x" }] },
    issue: `${P}.stages[1].duration: Cannot parse duration "5x": expected a number and a unit ` +
      "such as 500ms, 30s, 2m30s or 1h",
  },
  {
    name: "a negative duration in ms",
    input: { ...base, duration: -5 },
    issue: `${P}.duration: Invalid duration -5: expected a duration such as 30s or 2m30s, ` +
      "or a number of milliseconds",
  },
  {
    name: "a zero duration",
    input: { ...base, duration: "0s" },
    issue: `${P}.duration: Invalid duration "0s": expected a duration greater than 0`,
  },
  {
    name: "a zero timeUnit",
    input: { ...base, timeUnit: 0 },
    issue: `${P}.timeUnit: Invalid timeUnit 0: expected a duration greater than 0`,
  },
  {
    name: "a zero rate",
    input: { ...base, rate: 0 },
    issue: `${P}.rate: Invalid rate 0: expected a number greater than 0`,
  },
  {
    name: "a rate given as text",
    input: { ...base, rate: "10" },
    issue: `${P}.rate: Invalid rate "10": expected a number greater than 0`,
  },
  {
    name: "fractional VUs",
    input: { executor: "constant-vus", vus: 1.5, duration: "1s" },
    issue: `${P}.vus: Invalid vus 1.5: expected a whole number ≥ 1`,
  },
  {
    name: "a missing required field",
    input: { executor: "constant-vus", vus: 1 },
    issue:
      `${P}.duration: Missing value: expected a duration such as 30s or 2m30s, or a number of milliseconds`,
  },
  {
    name: "maxVUs below preAllocatedVUs",
    input: { ...base, preAllocatedVUs: 5, maxVUs: 3 },
    issue: `${P}.maxVUs: Invalid maxVUs 3: expected at least preAllocatedVUs (5)`,
  },
  {
    name: "no VU at all for an arrival-rate executor",
    input: { ...base, preAllocatedVUs: 0, maxVUs: 0 },
    issue: `${P}.maxVUs: Invalid maxVUs 0: expected a whole number ≥ 1`,
  },
  {
    name: "empty stages",
    input: { ...ramp, stages: [] },
    issue: `${P}.stages: Invalid stages: expected at least one stage`,
  },
  {
    name: "a negative stage target",
    input: { ...ramp, stages: [{ target: -1, duration: "1s" }] },
    issue: `${P}.stages[0].target: Invalid target -1: expected a whole number ≥ 0`,
  },
  {
    name: "a ramping-vus run that never has a VU",
    input: { ...ramp, startVUs: 0, stages: [{ target: 0, duration: "1s" }] },
    issue:
      `${P}.stages: Invalid stages: startVUs or at least one stage target must be greater than 0`,
  },
  {
    name: "fewer shared iterations than VUs",
    input: { executor: "shared-iterations", vus: 5, iterations: 2 },
    issue: `${P}.iterations: Invalid iterations 2: expected at least vus (5), or VUs would idle`,
  },
  {
    name: "a misspelt field",
    input: { executor: "constant-vus", vus: 1, duration: "1s", gracefulstop: "1s" },
    issue: `${P}.gracefulstop: Unknown field "gracefulstop": not an option of constant-vus`,
  },
  {
    name: "an unknown executor",
    input: { executor: "looping-vus" },
    issue: `${P}.executor: Unknown executor "looping-vus": expected one of ${
      EXECUTOR_KINDS.join(", ")
    }`,
  },
  {
    name: "a scenario that is not an object",
    input: [1],
    issue: `${P}: Invalid scenario a list: expected an object`,
  },
  {
    name: "a tag that is not a string",
    input: { ...base, tags: { team: 1 } },
    issue: `${P}.tags.team: Invalid value 1: expected a string`,
  },
  {
    name: "an exec that is not a function name",
    input: { ...base, exec: "run it" },
    issue: `${P}.exec: Invalid exec "run it": expected the name of an exported function`,
  },
];

for (const c of bad) {
  Deno.test(`validation reports ${c.name} with its path`, () => {
    const { config, issues } = validateExecutorConfig(c.input, P);
    equal(config, undefined);
    deepStrictEqual(issues, [c.issue]);
  });
}

Deno.test("validation reports every bad field at once", () => {
  const { issues } = validateExecutorConfig({
    executor: "ramping-arrival-rate",
    timeUnit: "fast",
    stages: [{ target: -1, duration: "1s" }, { target: 1, duration: "5x" }],
    preAllocatedVUs: 3,
    maxVUs: 2,
    extra: true,
  }, P);
  deepStrictEqual(issues.sort(), [
    `${P}.extra: Unknown field "extra": not an option of ramping-arrival-rate`,
    `${P}.maxVUs: Invalid maxVUs 2: expected at least preAllocatedVUs (3)`,
    `${P}.stages[0].target: Invalid target -1: expected a number ≥ 0`,
    `${P}.stages[1].duration: Cannot parse duration "5x": expected a number and a unit such as 500ms, 30s, 2m30s or 1h`,
    `${P}.timeUnit: Cannot parse timeUnit "fast": expected a number and a unit such as 500ms, 30s, 2m30s or 1h`,
  ]);
});

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

Deno.test("validation never mutates its input, valid or not", () => {
  for (
    const input of [
      {
        executor: "constant-arrival-rate",
        rate: 1,
        duration: "1s",
        preAllocatedVUs: 1,
        tags: { a: "b" },
      },
      {
        executor: "ramping-vus",
        stages: [{ target: 2, duration: "1s" }, { target: 0, duration: 500 }],
      },
      { executor: "shared-iterations", vus: 5, iterations: 2, stages: [] },
    ]
  ) {
    const before = structuredClone(input);
    validateExecutorConfig(deepFreeze(input), P);
    deepStrictEqual(input, before);
  }
});

Deno.test("createExecutor builds every registered executor with its plan", () => {
  const inputs: Record<string, Record<string, unknown>> = {
    "constant-arrival-rate": base,
    "ramping-arrival-rate": {
      ...base,
      executor: "ramping-arrival-rate",
      rate: undefined,
      duration: undefined,
      stages: [{ target: 5, duration: "2s" }],
    },
    "constant-vus": { executor: "constant-vus", vus: 2, duration: "3s" },
    "ramping-vus": ramp,
    "per-vu-iterations": { executor: "per-vu-iterations", vus: 2, iterations: 3 },
    "shared-iterations": { executor: "shared-iterations", vus: 2, iterations: 3 },
  };
  deepStrictEqual([...EXECUTOR_KINDS].sort(), Object.keys(inputs).sort());
  for (const [kind, input] of Object.entries(inputs)) {
    const { config, issues } = validateExecutorConfig(JSON.parse(JSON.stringify(input)), P);
    deepStrictEqual(issues, [], kind);
    const exec = createExecutor(config!, { index: 0, count: 1 });
    equal(exec.kind, kind);
    const plan = exec.plan();
    equal(plan.executor, kind);
    ok(plan.durationMs > 0 && plan.peakVUs > 0 && plan.timeline.length > 0, kind);
  }
});
