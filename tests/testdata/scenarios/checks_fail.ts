import { check, http } from "rampa";
const BASE = Deno.env.get("TARGET") ?? "http://127.0.0.1:8080";
export const options = {
  vus: 1,
  iterations: 4,
  thresholds: { "never_recorded": ["count>0"], "checks": ["rate>0"] },
};
import { Counter } from "rampa";
new Counter("never_recorded");
export default async function () {
  // One request that succeeds, so the run is judged on its checks and thresholds (a run in
  // which no request succeeded fails before them, exit 8).
  await http.get(`${BASE}/`);
  const r = await http.get(`${BASE}/status/404`);
  check(r, { "is 200": (res) => res.status === 200 || `got ${res.status}` });
}
