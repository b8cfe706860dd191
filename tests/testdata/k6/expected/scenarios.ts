// Converted from the k6 script scenarios.js by rampa convert k6.
// Two scenarios with their own executors, exec functions, tags and thresholds.
import { check, group, http, type Options, type VuContext } from "rampa";

/**
 * k6's __ENV outside the scenario function: the process environment. Values given with
 * `rampa run --env K=V` reach only ctx.env; here, set them as environment variables.
 */
const __ENV: Record<string, string | undefined> = Deno.env.toObject();

export const options: Options = {
  scenarios: {
    readers: {
      executor: "shared-iterations",
      vus: 2,
      iterations: 8,
      exec: "read",
      tags: { team: "catalog" },
      maxDuration: "10s",
    },
    writers: {
      executor: "per-vu-iterations",
      vus: 2,
      iterations: 3,
      exec: "write",
      startTime: "100ms",
      env: { AMOUNT: "5" },
    },
  },
  thresholds: {
    "http_req_duration{scenario:readers}": ["p(99)<1000"],
    "group_duration{group:checkout}": [{ threshold: "p(95)<2000", abortOnFail: true }],
    checks: ["rate>0.9"],
    http_req_failed: ["rate<0.01"],
  },
};

const BASE = __ENV.BASE_URL || "http://127.0.0.1:8080";

export async function read(ctx: VuContext) {
  const res = await http.get(`${BASE}/api/items/${(ctx.iteration % 5) + 1}`, {
    name: "/api/items/:id", tags: { kind: "read" },
  });
  check(res, { "read ok": (r) => r.status === 200 });
}

export async function write(ctx: VuContext) {
  await group("checkout", async () => {
    const body = JSON.stringify({ vu: ctx.vu, amount: Number(ctx.env.AMOUNT) });
    const res = await http.post(`${BASE}/echo`, body, { headers: { "Content-Type": "application/json" } });
    check(res, { "echoed": (r) => JSON.parse(r.json<any>().body).vu === ctx.vu });
  });
}
