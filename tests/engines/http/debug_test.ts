/** `--http-debug` text: what is printed, and that secrets never are. */
import { equal, match, ok } from "node:assert/strict";
import {
  debugBody,
  formatExchange,
  isSecretHeader,
  MAX_DEBUG_BODY,
  MAX_DEBUG_EXCHANGES,
  printExchange,
} from "../../../engines/http/debug.ts";
import { createOutcome, type PreparedRequest } from "../../../engines/http/types.ts";

const enc = new TextEncoder();

function request(url: string, headers: [string, string][], body: string | null): PreparedRequest {
  return {
    method: "POST",
    url: new URL(url),
    headers,
    body: body === null ? null : enc.encode(body),
    timeoutMs: 1000,
    name: "x",
    keepResponse: true,
  };
}

Deno.test("credential headers are secret whatever their case", () => {
  for (const h of ["Authorization", "cookie", "Set-Cookie", "X-Api-Key", "X-Session-Id"]) {
    ok(isSecretHeader(h), h);
  }
  ok(!isSecretHeader("Content-Type"));
});

Deno.test("an exchange prints request and response without secrets", () => {
  const out = createOutcome();
  out.started = 0;
  out.ended = 2.5;
  out.status = 200;
  out.headers = new Headers([["content-type", "application/json"], ["set-cookie", "s=SC1"]]);
  out.body = enc.encode('{"access_token":"T0K","n":1}');
  const text = formatExchange(
    request(
      "http://u:PW@127.0.0.1:1/login?api_key=K1&q=2",
      [["Authorization", "Bearer B1"], ["Content-Type", "application/x-www-form-urlencoded"]],
      "user=a&password=P1",
    ),
    out,
    true,
  );
  for (const s of ["PW", "K1", "B1", "P1", "SC1", "T0K"]) ok(!text.includes(s), `${s} in ${text}`);
  match(text, /^> POST http:\/\/127\.0\.0\.1:1\/login\?api_key=REDACTED&q=2$/m);
  match(text, /^> Authorization: REDACTED$/m);
  match(text, /^user=a&password=REDACTED$/m);
  match(text, /^< 200 \(2\.5 ms\)$/m);
  match(text, /^< set-cookie: REDACTED$/m);
  match(text, /"access_token":"REDACTED","n":1/);
});

Deno.test("without full, bodies are only sized; errors say what failed", () => {
  const out = createOutcome();
  out.error = "refused";
  out.errorMessage = "connection refused";
  const text = formatExchange(request("http://127.0.0.1:1/", [], "abc"), out, false);
  match(text, /^> \[body: 3 bytes\]$/m);
  match(text, /^< no response: refused: connection refused$/m);
});

Deno.test("bodies are cut at 2 KiB, binary ones only described", () => {
  const long = debugBody(enc.encode("a".repeat(MAX_DEBUG_BODY + 10)), "text/plain");
  match(long, /… \(10 more bytes\)$/);
  equal(debugBody(new Uint8Array(5), "image/png"), "[5 bytes of image/png]");
  equal(debugBody(enc.encode("\x1b[31m"), "text/plain"), "\\x1b[31m");
});

Deno.test("printing stops after 1,000 exchanges with one line saying so", () => {
  const printed: string[] = [];
  const state = { shown: 0 };
  const req = request("http://127.0.0.1:1/", [], null);
  for (let i = 0; i < MAX_DEBUG_EXCHANGES + 50; i++) {
    printExchange(state, req, createOutcome(), false, (t) => printed.push(t));
  }
  equal(printed.length, MAX_DEBUG_EXCHANGES + 1);
  match(printed.at(-1)!, /^… further exchanges not shown/);
});
