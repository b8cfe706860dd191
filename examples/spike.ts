/**
 * A spike test: a ramping arrival rate from a steady 20/s to a spike of 200/s and back, open
 * loop, so a struggling target shows up as latency and dropped arrivals, not as less load.
 *
 * Run: deno task rampa run examples/spike.ts --env BASE_URL=http://127.0.0.1:8080
 */
import { check, http, type Options, type VuContext } from "rampa";

export const options: Options = {
  scenarios: {
    spike: {
      executor: "ramping-arrival-rate",
      startRate: 20,
      timeUnit: "1s",
      stages: [
        { target: 20, duration: "1s" },
        { target: 200, duration: "500ms" },
        { target: 200, duration: "1s" },
        { target: 20, duration: "500ms" },
      ],
      preAllocatedVUs: 20,
      maxVUs: 200,
    },
  },
  thresholds: {
    http_req_duration: ["p(99)<1s"],
    error_rate: ["<5%"],
    dropped_iterations: ["count<10"],
  },
};

export default async function (ctx: VuContext): Promise<void> {
  const res = await http.get(`${ctx.env.BASE_URL ?? "http://127.0.0.1:8080"}/`);
  check(res, { "status is 200": (r) => r.status === 200 });
}
