// Open loop: a fixed arrival rate, then a ramp, both with thresholds.
import http from "k6/http";
import { check } from "k6";
import exec from "k6/execution";

export const options = {
  discardResponseBodies: true,
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

export default function () {
  const res = http.get(`${__ENV.BASE_URL}/api/items`, {
    tags: { name: `items-${exec.scenario.name}` },
  });
  check(res, { "ok": (r) => r.status === 200, "from a vu": () => exec.vu.idInTest > 0 });
}
