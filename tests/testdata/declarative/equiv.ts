/** The flow of equiv.yaml, in TypeScript: the equivalence test runs both. */
import { check, dataset, group, type Options, sleep, type VuContext } from "rampa";

export const options: Options = {
  scenarios: { flow: { executor: "per-vu-iterations", vus: 3, iterations: 6 } },
};

const users = await dataset.csv("../../../examples/data/users.csv", { pick: "sequential" });

export default async function (ctx: VuContext): Promise<void> {
  const user = users.next();
  const t = ctx.env.TARGET;
  const token = await group("login", async () => {
    const r = await ctx.http.post(`${t}/login`, {
      username: user.username,
      password: user.password,
    });
    check(r, {
      "login status 200": (x) => x.status === 200,
      "login extract token": (x) => typeof x.json<{ token?: string }>().token === "string",
    });
    return r.json<{ token: string }>().token;
  });
  await group("me", async () => {
    const r = await ctx.http.get(`${t}/me`, { headers: { Authorization: `Bearer ${token}` } });
    check(r, {
      "me status 200": (x) => x.status === 200,
      'me contains ""user""': (x) => x.text().includes('"user"'),
    });
  });
  await group("item", async () => {
    const r = await ctx.http.get(`${t}/api/items/${ctx.iteration}`, { name: "/api/items/:id" });
    check(r, { "item status 200": (x) => x.status === 200 });
  });
  await group("missing", async () => {
    const r = await ctx.http.get(`${t}/status/404`);
    check(r, { "missing status 200": (x) => x.status === 200 });
  });
  await sleep("5ms");
}
