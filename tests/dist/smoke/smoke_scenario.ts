/**
 * The scenario every release binary runs before it is published (.github/workflows/release.yml
 * copies this file and its helper out of the repository first): it imports `"rampa"` and
 * `"zod"` through the binary's own import map and a helper by relative path, and fails (exit 3)
 * unless every check passed and the load arrived.
 *
 * Run: rampa run smoke_scenario.ts --env BASE_URL=http://127.0.0.1:8080 (a `rampa serve` target)
 *
 * @module
 */
import { check, type Options, type VuContext } from "rampa";
import { z } from "zod";
import { Item, targetUrl } from "./smoke_helper.ts";

/** 60 arrivals over 3 s, every check must pass. */
export const options: Options = {
  scenarios: {
    smoke: {
      executor: "constant-arrival-rate",
      rate: 20,
      timeUnit: "1s",
      duration: "3s",
      preAllocatedVUs: 4,
      maxVUs: 20,
    },
  },
  thresholds: {
    checks: ["rate==1"],
    http_reqs: ["count>=50"],
    http_req_failed: ["rate==0"],
  },
};

/** One request to the target's item list, checked for status and shape. */
export default async function (ctx: VuContext): Promise<void> {
  const res = await ctx.http.get(targetUrl(ctx.env, "/api/items"));
  check(res, { "status is 200": (r) => r.status === 200 });
  check.shape(res, z.array(Item), "items have the right shape");
}
