import { check, group, http, Trend } from "rampa";
const BASE = Deno.env.get("TARGET") ?? "http://127.0.0.1:8080";
const cart = new Trend("cart_ms", true);
export const options = {
  scenarios: {
    readers: {
      executor: "shared-iterations",
      vus: 2,
      iterations: 20,
      exec: "read",
      tags: { team: "catalog" },
    },
    writers: {
      executor: "per-vu-iterations",
      vus: 2,
      iterations: 3,
      exec: "write",
      startTime: "100ms",
    },
  },
};
export async function read() {
  await group("browse", async () => {
    const r = await http.get(`${BASE}/api/items`);
    check(r, { "browse ok": (res) => res.status === 200 });
  });
}
export async function write() {
  const t0 = performance.now();
  await group("checkout", async () => {
    await group("pay", async () => {
      const r = await http.post(`${BASE}/echo`, { amount: 5 });
      check(r, { "paid": (res) => res.status === 200 || `status ${res.status}` });
    });
  });
  cart.add(performance.now() - t0);
}
