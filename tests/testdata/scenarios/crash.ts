import { http, sleep, type VuContext } from "rampa";
const BASE = Deno.env.get("TARGET") ?? "http://127.0.0.1:8080";
export const options = {
  scenarios: {
    work: { executor: "per-vu-iterations", vus: 2, iterations: 20, maxDuration: "20s" },
  },
};
export default async function (ctx: VuContext) {
  await http.get(`${BASE}/`);
  // VU 2 runs in worker 1 with --workers 2: it wedges its whole worker mid-run (a busy loop
  // never yields, so the worker stops answering; Deno.exit would only be a scenario error).
  if (ctx.vu === 2 && ctx.iteration === 5) for (;;) { /* wedged */ }
  await sleep("20ms");
}
