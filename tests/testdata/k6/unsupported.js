import http from "k6/http";
import ws from "k6/ws";
import encoding from "k6/encoding";
import exec from "k6/execution";
import { check, fail } from "k6";
import { uuidv4, randomIntBetween } from "https://jslib.k6.io/k6-utils/1.4.0/index.js";
import { textSummary } from "https://jslib.k6.io/k6-summary/0.0.2/index.js";

export const options = {
  vus: 1,
  iterations: 1,
  httpDebug: "full",
  userAgent: "my-agent/1.0",
  thresholds: {
    "http_req_duration{expected_response:true}": ["p(95)<300"],
  },
};

export default function () {
  const id = uuidv4();
  const n = randomIntBetween(1, 10);
  const res = http.get(`${__ENV.BASE_URL}/api/items/${n}?id=${id}`);
  if (!check(res, { ok: (r) => r.status === 200 })) fail("item missing");
  console.log(res.cookies, exec.vu.idInTest, exec.scenario.name, exec.instance.vusActive);
  const token = encoding.b64encode("user:pass");
  ws.connect("ws://127.0.0.1:8080/ws/echo", {}, function (socket) {
    socket.on("open", () => socket.send(token));
  });
  [1, 2].forEach((i) => {
    http.get(`${__ENV.BASE_URL}/api/items/${i}`);
  });
  http.post(`${__ENV.BASE_URL}/echo`, { file: http.file("abc", "a.txt") });
}

export function handleSummary(data) {
  return { stdout: textSummary(data, { indent: " " }) };
}
