// Converted from the k6 script stages.js by rampa convert k6.
import { check, http, type Options, sleep, type VuContext } from "rampa";

export const options: Options = {
  stages: [
    { duration: "300ms", target: 2 },
    { duration: "300ms", target: 0 },
  ],
};

export default async function (ctx: VuContext) {
  const res = await http.get(`${ctx.env.BASE_URL}/health`);
  check(res, { healthy: (r) => r.status === 200 });
  await http.post(`${ctx.env.BASE_URL}/echo`, "ping");
  await sleep(0.05);
}
