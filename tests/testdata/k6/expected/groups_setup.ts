// Converted from the k6 script groups_setup.js by rampa convert k6.
/*
 * Log in once in setup(), then browse and check the session in groups.
 */
import { check, group, http, type Options, sleep, type VuContext } from "rampa";

/** k6's fail(): ends the iteration with an error (counted as an iteration error). */
function fail(message?: string): never {
  throw new Error(message);
}

/**
 * k6's __ENV outside the scenario function: the process environment. Values given with
 * `rampa run --env K=V` reach only ctx.env; here, set them as environment variables.
 */
const __ENV: Record<string, string | undefined> = Deno.env.toObject();

export const options: Options = {
  vus: 2,
  iterations: 4,
  setupTimeout: "10s",
};

const BASE = __ENV.BASE_URL || "http://127.0.0.1:8080";

export async function setup() {
  const res = await http.post(
    `${BASE}/login`,
    JSON.stringify({ username: "admin", password: "secret" }),
    { headers: { "Content-Type": "application/json" } },
  );
  if (res.status !== 200) fail(`login failed with ${res.status}`);
  return { token: res.json<any>().token };
}

export default async function (ctx: VuContext) {
  const data = ctx.data as any; // setup()'s result
  const params = {
    headers: { Authorization: `Bearer ${data.token}` },
    name: "items",
  };
  await group("catalog", async function () {
    const list = await http.get(`${BASE}/api/items`, params);
    check(list, { "list ok": (r) => r.status === 200 });
    await group("detail", async () => {
      const id = list.json<any>()[0].id;
      const one = await http.get(`${BASE}/api/items/${id}`, { name: "/api/items/:id" });
      check(one, { "item found": (r) => r.status === 200 });
    });
  });
  await group("account", async function () {
    const me = await http.get(`${BASE}/me`, { headers: { Authorization: `Bearer ${data.token}` } });
    check(me, {
      "me ok": (r) => r.status === 200,
      "json content": (r) => r.headers.get("Content-Type")!.includes("json"),
    });
  });
  await sleep(0.01);
}

export function teardown(data) {
  console.log(`done with token ${data.token.length} chars long`);
}
