// Converted from the k6 script metrics.js by rampa convert k6.
import { Counter, Gauge, http, type Options, Rate, Trend, type VuContext } from "rampa";

export const options: Options = { vus: 1, iterations: 5 };

const orders = new Counter("orders");
const waiting = new Trend("items_waiting", true);
const ok = new Rate("items_ok");
const size = new Gauge("items_size");

export default async function (ctx: VuContext) {
  const res = await http.get(`${ctx.env.BASE_URL}/api/items`);
  orders.add(1, { kind: "browse" });
  waiting.add(res.timings.waiting);
  ok.add(res.status === 200);
  size.add(res.text().length);
  if (res.timings.tls > 0) console.log("tls");
}
