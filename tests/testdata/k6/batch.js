import http from "k6/http";
import { check } from "k6";

export const options = { vus: 1, iterations: 3 };

const BASE = __ENV.BASE_URL;

export default function () {
  const responses = http.batch([
    ["GET", `${BASE}/api/items/1`, null, { tags: { name: "item" } }],
    `${BASE}/health`,
    { method: "POST", url: `${BASE}/echo`, body: "hello" },
  ]);
  check(responses[0], { "batch item": (r) => r.status === 200 });
  check(responses[2], { "batch echo": (r) => r.json().body === "hello" });

  http.put(`${BASE}/echo`, JSON.stringify({ a: 1 }));
  http.del(`${BASE}/echo`);
  http.request("PATCH", `${BASE}/echo`, "x", { tags: { name: "patch" } });
  http.options(`${BASE}/echo`);
  const head = http.head(`${BASE}/health`);
  check(head, { "head ok": (r) => r.status === 200 });
}
