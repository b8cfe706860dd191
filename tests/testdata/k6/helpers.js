import http from "k6/http";
import { check, sleep } from "k6";

export const options = { vus: 2, iterations: 4 };

const BASE = __ENV.BASE_URL || "http://127.0.0.1:8080";

// Helpers that make requests: they and their callers become async.
function login(name) {
  const res = http.post(`${BASE}/login`, JSON.stringify({ username: name, password: "x" }));
  return res.json().token;
}

function userName() {
  return `user-${__VU}-${__ITER}`;
}

const fetchItem = (token, id) =>
  http.get(`${BASE}/api/items/${id}`, {
    headers: { Authorization: `Bearer ${token}` },
    tags: { name: "/api/items/:id" },
  });

function browse(token) {
  for (let id = 1; id <= 2; id++) {
    const r = fetchItem(token, id);
    check(r, { "item ok": (res) => res.status === 200 });
  }
  pause();
}

function pause() {
  sleep(0.005);
}

export default function () {
  const token = login(userName());
  browse(token);
}
