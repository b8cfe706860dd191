import { check, http, type Options, type VuContext } from "rampa";
export const options: Options = {
  scenarios: { a: { executor: "constant-vus", vus: 1, duration: "1s" } },
};
export default async function (ctx: VuContext) {
  const r = await ctx.http.get("http://127.0.0.1/");
  check(r, { ok: (x) => x.status === 200 });
  await http.get("http://x/");
}
