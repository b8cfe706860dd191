// Two scenarios with their own executors, exec functions, tags and thresholds.
import http from "k6/http";
import { check, group } from "k6";

export const options = {
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
    "group_duration{group:::checkout}": [{ threshold: "p(95)<2000", abortOnFail: true }],
    checks: ["rate>0.9"],
    http_req_failed: ["rate<0.01"],
  },
};

const BASE = __ENV.BASE_URL || "http://127.0.0.1:8080";

export function read() {
  const res = http.get(`${BASE}/api/items/${(__ITER % 5) + 1}`, {
    tags: { name: "/api/items/:id", kind: "read" },
  });
  check(res, { "read ok": (r) => r.status === 200 });
}

export function write() {
  group("checkout", () => {
    const body = JSON.stringify({ vu: __VU, amount: Number(__ENV.AMOUNT) });
    const res = http.post(`${BASE}/echo`, body, { headers: { "Content-Type": "application/json" } });
    check(res, { "echoed": (r) => JSON.parse(r.json().body).vu === __VU });
  });
}
