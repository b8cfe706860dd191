import http from "k6/http";
import { check } from "k6";

export const options = { vus: 1, iterations: 2 };

export default function () {
  // k6 sends an object body as an HTML form.
  const res = http.post(`${__ENV.BASE_URL}/echo`, { user: "ada", age: 36 });
  check(res, { "form sent": (r) => r.json().body === "user=ada&age=36" });

  const fields = { q: "shoes" };
  const withParams = http.post(`${__ENV.BASE_URL}/echo`, fields, {
    headers: { "X-Trace": "1" },
    timeout: "5s",
    redirects: 0,
  });
  check(withParams, {
    "form header": (r) => r.json().headers["content-type"] === "application/x-www-form-urlencoded",
  });
}
