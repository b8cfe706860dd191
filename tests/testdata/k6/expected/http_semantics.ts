// Converted from the k6 script http_semantics.js by rampa convert k6.
import { check, http, type Options, type VuContext } from "rampa";

export const options: Options = { vus: 1, iterations: 2 };

// A 404 is an answer here, not a failure.
http.setExpectedStatuses({ min: 200, max: 399 }, 404);

export default async function (ctx: VuContext) {
  const missing = await http.get(`${ctx.env.BASE_URL}/status/404`);
  check(missing, { "404 expected": (r) => r.status === 404 });

  const teapot = await http.get(`${ctx.env.BASE_URL}/status/418`, {
    expectedStatuses: [418],
    responseType: "none",
  });
  check(teapot, { "418 expected": (r) => r.status === 418 });

  const moved = await http.get(`${ctx.env.BASE_URL}/status/302`, { maxRedirects: 0 });
  check(moved, { "302 kept": (r) => r.status === 302 });

  const fields = { q: "2" };
  const [a, b] = await http.batch([
    ["POST", `${ctx.env.BASE_URL}/echo`, { form: { q: "1" } }],
    {
      method: "POST",
      url: `${ctx.env.BASE_URL}/echo`,
      body: { form: fields },
      params: { name: "batch-form", timeout: 5000 },
    },
  ]);
  check(a, { "batch form": (r) => r.json<any>().body === "q=1" });
  check(b, { "batch form object": (r) => r.json<any>().body === "q=2" });
}
