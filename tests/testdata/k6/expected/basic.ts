// Converted from the k6 script basic.js by rampa convert k6.
// A first k6 script: one page, a check, a pause.
import { check, http, type Options, sleep } from "rampa";

/**
 * k6's __ENV outside the scenario function: the process environment. Values given with
 * `rampa run --env K=V` reach only ctx.env; here, set them as environment variables.
 */
const __ENV: Record<string, string | undefined> = Deno.env.toObject();

export const options: Options = {
  vus: 2,
  iterations: 6,
  thresholds: {
    http_req_duration: ["p(95)<500"], // generous on purpose
  },
};

const BASE = __ENV.BASE_URL || "http://127.0.0.1:8080";

export default async function () {
  const res = await http.get(`${BASE}/api/items`);
  check(res, {
    "status is 200": (r) => r.status === 200,
    "has items": (r) => r.text().includes("name"),
  });
  await sleep(0.01);
}
