/**
 * A REST flow: log in during setup, then each iteration browses items and checks the
 * responses, inside groups, with users picked from a CSV file.
 *
 * Run: deno task rampa run examples/rest_flow.ts --env BASE_URL=http://127.0.0.1:8080
 */
import { check, dataset, group, type Options, sleep, type VuContext } from "rampa";
import { z } from "zod";

export const options: Options = {
  scenarios: {
    browse: {
      executor: "constant-arrival-rate",
      rate: 20,
      timeUnit: "1s",
      duration: "3s",
      preAllocatedVUs: 5,
      maxVUs: 20,
    },
  },
};

const users = await dataset.csv("./data/users.csv", { pick: "sequential" });
const Item = z.object({ id: z.number(), name: z.string(), price: z.number() });

function base(ctx: { env: Readonly<Record<string, string>> }): string {
  return ctx.env.BASE_URL ?? "http://127.0.0.1:8080";
}

/** Logs one user in; every VU gets the token. */
export async function setup(ctx: VuContext): Promise<{ token: string }> {
  const res = await ctx.http.post(`${base(ctx)}/login`, { username: "admin", password: "x" });
  if (res.status !== 200) throw new Error(`login failed with ${res.status}`);
  return res.json<{ token: string }>();
}

export default async function (ctx: VuContext): Promise<void> {
  const user = users.next();
  const auth = { headers: { Authorization: `Bearer ${(ctx.data as { token: string }).token}` } };
  await group("catalog", async () => {
    const list = await ctx.http.get(`${base(ctx)}/api/items`, auth);
    check(list, { "status is 200": (r) => r.status === 200 });
    check.shape(list, z.array(Item), "items have the right shape");
    const id = 1 + (ctx.iteration % 10);
    const one = await ctx.http.get(`${base(ctx)}/api/items/${id}`, { name: "/api/items/:id" });
    check(one, { "item found": (r) => r.status === 200 });
  });
  await group("account", async () => {
    const login = await ctx.http.post(`${base(ctx)}/login`, {
      username: user.username,
      password: user.password,
    });
    check(login, { "login ok": (r) => r.status === 200 });
    const me = await ctx.http.get(`${base(ctx)}/me`);
    check(me, { "session cookie works": (r) => r.status === 200 });
  });
  await sleep(0.01);
}
