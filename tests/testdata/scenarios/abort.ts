import { http } from "rampa";
const BASE = Deno.env.get("TARGET") ?? "http://127.0.0.1:8080";
export const options = {
  scenarios: {
    slow: { executor: "constant-arrival-rate", rate: 20, duration: "30s", preAllocatedVUs: 10 },
  },
  thresholds: {
    http_req_duration: [{ threshold: "p(99)<20ms", abortOnFail: true, delayAbortEval: "1s" }],
  },
};
export default async function () {
  await http.get(`${BASE}/delay/50`);
}
