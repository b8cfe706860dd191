// Converted from the k6 script helpers.js by rampa convert k6.
import { check, http, type Options, sleep, type VuContext } from "rampa";

/**
 * k6's __ENV outside the scenario function: the process environment. Values given with
 * `rampa run --env K=V` reach only ctx.env; here, set them as environment variables.
 */
const __ENV: Record<string, string | undefined> = Deno.env.toObject();

export const options: Options = { vus: 2, iterations: 4 };

const BASE = __ENV.BASE_URL || "http://127.0.0.1:8080";

// Helpers that make requests: they and their callers become async.
async function login(name) {
  const res = await http.post(`${BASE}/login`, JSON.stringify({ username: name, password: "x" }));
  return res.json<any>().token;
}

function userName(ctx: VuContext) {
  return `user-${ctx.vu}-${ctx.iteration}`;
}

const fetchItem = async (token, id) =>
  await http.get(`${BASE}/api/items/${id}`, {
    headers: { Authorization: `Bearer ${token}` },
    name: "/api/items/:id",
  });

async function browse(token) {
  for (let id = 1; id <= 2; id++) {
    const r = await fetchItem(token, id);
    check(r, { "item ok": (res) => res.status === 200 });
  }
  await pause();
}

async function pause() {
  await sleep(0.005);
}

export default async function (ctx: VuContext) {
  const token = await login(userName(ctx));
  await browse(token);
}
