// Converted from the k6 script unsupported.js by rampa convert k6: review each "rampa-convert:" comment.
import { check, http, type Options, type VuContext } from "rampa";
// rampa-convert: "k6/ws" is not converted: rampa's WebSocket client is ctx.ws / ws from "rampa" with another API (connect, send, receive, close; see docs/websocket.md): rewrite this part by hand
// import ws from "k6/ws";
// rampa-convert: "k6/encoding" is not converted: use the web globals btoa()/atob() (or TextEncoder) for base64
// import encoding from "k6/encoding";
// rampa-convert: remote module https://jslib.k6.io/k6-summary/0.0.2/index.js is a k6 jslib: replace it (an npm package or your own code), since it may import k6 modules
// import { textSummary } from "https://jslib.k6.io/k6-summary/0.0.2/index.js";

/** k6's fail(): ends the iteration with an error (counted as an iteration error). */
function fail(message?: string): never {
  throw new Error(message);
}

/** k6-utils' uuidv4(). */
function uuidv4(): string {
  return crypto.randomUUID();
}

/** k6-utils' randomIntBetween(): an integer from min to max, both included. */
function randomIntBetween(min: number, max: number): number {
  return Math.floor(Math.random() * (max - min + 1)) + min;
}

export const options: Options = {
  vus: 1,
  iterations: 1,
  // rampa-convert: option "httpDebug" removed: rampa has no HTTP debug printing
  // rampa-convert: option "userAgent" removed: set a User-Agent header per request
  thresholds: {
    // rampa-convert: threshold "http_req_duration{expected_response:true}": rampa has no expected_response tag; its http_req_duration counts every response (filter by {status:200} instead)
    "http_req_duration{status:200}": ["p(95)<300"],
  },
};

export default async function (ctx: VuContext) {
  const id = uuidv4();
  const n = randomIntBetween(1, 10);
  const res = await http.get(`${ctx.env.BASE_URL}/api/items/${n}?id=${id}`);
  if (!check(res, { ok: (r) => r.status === 200 })) fail("item missing");
  // rampa-convert: response.cookies does not exist in rampa (it has status, headers, text(), json(), timings, error)
  // rampa-convert: exec.instance.vusActive is not converted: ctx has vu, iteration, scenario
  console.log(res.cookies, ctx.vu, ctx.scenario, exec.instance.vusActive);
  // rampa-convert: encoding.b64encode() comes from "k6/encoding": not converted
  const token = encoding.b64encode("user:pass");
  // rampa-convert: ws.connect() comes from "k6/ws": not converted
  ws.connect("ws://127.0.0.1:8080/ws/echo", {}, function (socket) {
    socket.on("open", () => socket.send(token));
  });
  // rampa-convert: this callback now waits for requests, but forEach() does not wait for it: use a for…of loop (or await Promise.all(… .map(…)))
  [1, 2].forEach(async (i) => {
    await http.get(`${ctx.env.BASE_URL}/api/items/${i}`);
  });
  // rampa-convert: http.file(): send a FormData body with the file as a Blob (multipart/form-data)
  await http.post(`${ctx.env.BASE_URL}/echo`, { file: http.file("abc", "a.txt") });
}

// rampa-convert: rampa never calls handleSummary: use --out json=…, html=…, junit=… or a webhook
export function handleSummary(data) {
  return { stdout: textSummary(data, { indent: " " }) };
}
