// Converted from the k6 script arrival_rate.js by rampa convert k6: review each "rampa-convert:" comment.
// Open loop: a fixed arrival rate, then a ramp, both with thresholds.
import { check, http, type Options, type VuContext } from "rampa";

export const options: Options = {
  // rampa-convert: option "discardResponseBodies" removed: rampa keeps bodies of scenario requests
  scenarios: {
    steady: {
      executor: "constant-arrival-rate",
      rate: 20,
      timeUnit: "1s",
      duration: "500ms",
      preAllocatedVUs: 5,
      maxVUs: 10,
    },
    ramp: {
      executor: "ramping-arrival-rate",
      startRate: 0,
      timeUnit: "1s",
      stages: [{ target: 20, duration: "500ms" }],
      preAllocatedVUs: 5,
      startTime: "500ms",
      gracefulStop: "1s",
    },
  },
  thresholds: { http_req_failed: ["rate<0.05"] },
};

export default async function (ctx: VuContext) {
  const res = await http.get(`${ctx.env.BASE_URL}/api/items`, {
    name: `items-${ctx.scenario}`,
  });
  check(res, { "ok": (r) => r.status === 200, "from a vu": () => ctx.vu > 0 });
}
