import http from "k6/http";
import { check } from "k6";

export const options = { vus: 1, iterations: 2 };

// A 404 is an answer here, not a failure.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 404));

export default function () {
  const missing = http.get(`${__ENV.BASE_URL}/status/404`);
  check(missing, { "404 expected": (r) => r.status === 404 });

  const teapot = http.get(`${__ENV.BASE_URL}/status/418`, {
    responseCallback: http.expectedStatuses(418),
    responseType: "none",
  });
  check(teapot, { "418 expected": (r) => r.status === 418 });

  const moved = http.get(`${__ENV.BASE_URL}/status/302`, { redirects: 0 });
  check(moved, { "302 kept": (r) => r.status === 302 });

  const fields = { q: "2" };
  const [a, b] = http.batch([
    ["POST", `${__ENV.BASE_URL}/echo`, { q: "1" }],
    {
      method: "POST",
      url: `${__ENV.BASE_URL}/echo`,
      body: fields,
      params: { tags: { name: "batch-form" }, timeout: "5s" },
    },
  ]);
  check(a, { "batch form": (r) => r.json().body === "q=1" });
  check(b, { "batch form object": (r) => r.json().body === "q=2" });
}
