import http from "k6/http";
import { Counter, Gauge, Rate, Trend } from "k6/metrics";

export const options = { vus: 1, iterations: 5 };

const orders = new Counter("orders");
const waiting = new Trend("items_waiting", true);
const ok = new Rate("items_ok");
const size = new Gauge("items_size");

export default function () {
  const res = http.get(`${__ENV.BASE_URL}/api/items`);
  orders.add(1, { kind: "browse" });
  waiting.add(res.timings.waiting);
  ok.add(res.status === 200);
  size.add(res.body.length);
  if (res.timings.tls_handshaking > 0) console.log("tls");
}
