// Converted from the k6 script shared_array.js by rampa convert k6.
import { check, http, type Options, type VuContext } from "rampa";

// Users from a JSON file, loaded once and shared by every VU.
const users = (function () {
  return JSON.parse(Deno.readTextFileSync(new URL("./users.json", import.meta.url))).users;
})();
const logo = Deno.readFileSync(new URL("./users.json", import.meta.url));

export const options: Options = { vus: 3, iterations: 6 };

export default async function (ctx: VuContext) {
  const user = users[(ctx.vu - 1) % users.length];
  const res = await http.post(
    `${ctx.env.BASE_URL}/login`,
    JSON.stringify({ username: user.username, password: user.password }),
  );
  check(res, { "logged in": (r) => r.status === 200 && logo.byteLength > 0 });
}
