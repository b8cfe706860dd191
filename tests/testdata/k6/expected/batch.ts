// Converted from the k6 script batch.js by rampa convert k6.
import { check, http, type Options } from "rampa";

/**
 * k6's __ENV outside the scenario function: the process environment. Values given with
 * `rampa run --env K=V` reach only ctx.env; here, set them as environment variables.
 */
const __ENV: Record<string, string | undefined> = Deno.env.toObject();

export const options: Options = { vus: 1, iterations: 3 };

const BASE = __ENV.BASE_URL;

export default async function () {
  const responses = await http.batch([
    ["GET", `${BASE}/api/items/1`, null, { name: "item" }],
    `${BASE}/health`,
    { method: "POST", url: `${BASE}/echo`, body: "hello" },
  ]);
  check(responses[0], { "batch item": (r) => r.status === 200 });
  check(responses[2], { "batch echo": (r) => r.json<any>().body === "hello" });

  await http.put(`${BASE}/echo`, JSON.stringify({ a: 1 }));
  await http.del(`${BASE}/echo`);
  await http.request("PATCH", `${BASE}/echo`, "x", { name: "patch" });
  await http.request("OPTIONS", `${BASE}/echo`);
  const head = await http.head(`${BASE}/health`);
  check(head, { "head ok": (r) => r.status === 200 });
}
