/**
 * A traffic mix: browsers reading at a constant arrival rate, a few writers in closed loop
 * starting later, and a smoke check that runs a fixed number of iterations — three scenarios,
 * three executors, each with its own function, tags and env.
 *
 * Run: deno task rampa run examples/mix.ts --env BASE_URL=http://127.0.0.1:8080
 */
import { check, Counter, group, http, type Options, type VuContext } from "rampa";

export const options: Options = {
  scenarios: {
    readers: {
      executor: "constant-arrival-rate",
      rate: 40,
      timeUnit: "1s",
      duration: "2s",
      preAllocatedVUs: 10,
      exec: "read",
      tags: { kind: "read" },
    },
    writers: {
      executor: "constant-vus",
      vus: 2,
      duration: "1s",
      startTime: "500ms",
      exec: "write",
      tags: { kind: "write" },
    },
    smoke: {
      executor: "per-vu-iterations",
      vus: 1,
      iterations: 3,
      exec: "smoke",
      env: { PATH_UNDER_TEST: "/" },
    },
  },
  thresholds: { "checks{scenario:readers}": ["rate>0.99"] },
};

const writes = new Counter("writes");

function base(ctx: VuContext): string {
  return ctx.env.BASE_URL ?? "http://127.0.0.1:8080";
}

/** Readers: one GET per iteration. */
export async function read(ctx: VuContext): Promise<void> {
  const r = await http.get(`${base(ctx)}/`);
  check(r, { "read ok": (res) => res.status === 200 });
}

/** Writers: a POST inside a group, counted by a custom metric. */
export async function write(ctx: VuContext): Promise<void> {
  await group("write", async () => {
    const r = await http.post(`${base(ctx)}/`, { at: ctx.iteration });
    // nginx answers POST to a static location with 405; rampa's target echoes. Both count.
    check(r, { "write answered": (res) => res.status > 0 });
    writes.add(1);
  });
  await ctx.sleep("50ms");
}

/** Smoke: the path from the scenario's env. */
export async function smoke(ctx: VuContext): Promise<void> {
  const r = await http.get(`${base(ctx)}${ctx.env.PATH_UNDER_TEST}`);
  check(r, { "smoke ok": (res) => res.status === 200 });
}
