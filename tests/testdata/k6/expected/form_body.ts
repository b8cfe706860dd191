// Converted from the k6 script form_body.js by rampa convert k6: review each "rampa-convert:" comment.
import { check, http, type Options, type VuContext } from "rampa";

/** k6 sends an object body as a form; rampa would send it as JSON. */
function formBody(fields: Record<string, unknown>): string {
  return new URLSearchParams(
    Object.entries(fields).map(([k, v]) => [k, String(v)]),
  ).toString();
}

export const options: Options = { vus: 1, iterations: 2 };

export default async function (ctx: VuContext) {
  // k6 sends an object body as an HTML form.
  const res = await http.post(`${ctx.env.BASE_URL}/echo`, formBody({ user: "ada", age: 36 }), { headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  check(res, { "form sent": (r) => r.json<any>().body === "user=ada&age=36" });

  const fields = { q: "shoes" };
  const withParams = await http.post(`${ctx.env.BASE_URL}/echo`, formBody(fields), {
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Trace": "1" },
    timeout: 5000,
    // rampa-convert: request param "redirects" removed: rampa does not follow redirects
  });
  check(withParams, {
    "form header": (r) => r.json<any>().headers["content-type"] === "application/x-www-form-urlencoded",
  });
}
