// Converted from the k6 script form_body.js by rampa convert k6.
import { check, http, type Options, type VuContext } from "rampa";

export const options: Options = { vus: 1, iterations: 2 };

export default async function (ctx: VuContext) {
  // k6 sends an object body as an HTML form.
  const res = await http.post(`${ctx.env.BASE_URL}/echo`, { form: { user: "ada", age: 36 } });
  check(res, { "form sent": (r) => r.json<any>().body === "user=ada&age=36" });

  const fields = { q: "shoes" };
  const withParams = await http.post(`${ctx.env.BASE_URL}/echo`, { form: fields }, {
    headers: { "X-Trace": "1" },
    timeout: 5000,
    maxRedirects: 0,
  });
  check(withParams, {
    "form header": (r) => r.json<any>().headers["content-type"] === "application/x-www-form-urlencoded",
  });
}
