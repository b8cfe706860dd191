import http from "k6/http";
import { check } from "k6";
import { SharedArray } from "k6/data";

// Users from a JSON file, loaded once and shared by every VU.
const users = new SharedArray("users", function () {
  return JSON.parse(open("./users.json")).users;
});
const logo = open("./users.json", "b");

export const options = { vus: 3, iterations: 6 };

export default function () {
  const user = users[(__VU - 1) % users.length];
  const res = http.post(
    `${__ENV.BASE_URL}/login`,
    JSON.stringify({ username: user.username, password: user.password }),
  );
  check(res, { "logged in": (r) => r.status === 200 && logo.byteLength > 0 });
}
