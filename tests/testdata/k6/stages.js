import * as k6 from "k6";
import { get, post } from "k6/http";

export const options = {
  stages: [
    { duration: "300ms", target: 2 },
    { duration: "300ms", target: 0 },
  ],
};

export default function () {
  const res = get(`${__ENV.BASE_URL}/health`);
  k6.check(res, { healthy: (r) => r.status === 200 });
  post(`${__ENV.BASE_URL}/echo`, "ping");
  k6.sleep(0.05);
}
