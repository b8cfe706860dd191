/*
 * Log in once in setup(), then browse and check the session in groups.
 */
import http from "k6/http";
import { check, fail, group, sleep } from "k6";

export const options = {
  vus: 2,
  iterations: 4,
  setupTimeout: "10s",
};

const BASE = __ENV.BASE_URL || "http://127.0.0.1:8080";

export function setup() {
  const res = http.post(
    `${BASE}/login`,
    JSON.stringify({ username: "admin", password: "secret" }),
    { headers: { "Content-Type": "application/json" } },
  );
  if (res.status !== 200) fail(`login failed with ${res.status}`);
  return { token: res.json().token };
}

export default function (data) {
  const params = {
    headers: { Authorization: `Bearer ${data.token}` },
    tags: { name: "items" },
  };
  group("catalog", function () {
    const list = http.get(`${BASE}/api/items`, params);
    check(list, { "list ok": (r) => r.status === 200 });
    group("detail", () => {
      const id = list.json()[0].id;
      const one = http.get(`${BASE}/api/items/${id}`, { tags: { name: "/api/items/:id" } });
      check(one, { "item found": (r) => r.status === 200 });
    });
  });
  group("account", function () {
    const me = http.get(`${BASE}/me`, { headers: { Authorization: `Bearer ${data.token}` } });
    check(me, {
      "me ok": (r) => r.status === 200,
      "json content": (r) => r.headers["Content-Type"].includes("json"),
    });
  });
  sleep(0.01);
}

export function teardown(data) {
  console.log(`done with token ${data.token.length} chars long`);
}
