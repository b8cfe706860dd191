// A first k6 script: one page, a check, a pause.
import http from "k6/http";
import { check, sleep } from "k6";

export const options = {
  vus: 2,
  iterations: 6,
  thresholds: {
    http_req_duration: ["p(95)<500"], // generous on purpose
  },
};

const BASE = __ENV.BASE_URL || "http://127.0.0.1:8080";

export default function () {
  const res = http.get(`${BASE}/api/items`);
  check(res, {
    "status is 200": (r) => r.status === 200,
    "has items": (r) => r.body.includes("name"),
  });
  sleep(0.01);
}
