import assert from "node:assert/strict";
import type { ErrorKind } from "../../../core/types.ts";
import { classifyFetchError, shortMessage } from "../../../engines/http/classify_error.ts";

/** fetch's shape: TypeError("fetch failed") whose cause holds hyper's text. */
function fetchFailed(cause: string): TypeError {
  return new TypeError("fetch failed", { cause: new Error(cause) });
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

const U = "error sending request for url (http://127.0.0.1:1234/)";
const UR = "error sending request from 127.0.0.1:5000 for http://127.0.0.1:1234/ (127.0.0.1:1234)";

// [what, error, kind, short message] — the texts are what Deno 2.9.6 was seen to throw.
const CASES: [string, unknown, ErrorKind, string][] = [
  [
    "refused",
    fetchFailed(
      `${U}: client error (Connect): tcp connect error: Connection refused (os error 111)`,
    ),
    "refused",
    "tcp connect error: Connection refused (os error 111)",
  ],
  [
    "dns",
    fetchFailed(
      "error sending request for url (http://nonexistent.invalid/): client error (Connect): " +
        "dns error: failed to lookup address information: Name or service not known",
    ),
    "dns",
    "dns error: failed to lookup address information: Name or service not known",
  ],
  [
    "rst",
    fetchFailed("Connection reset by peer (os error 104)"),
    "reset",
    "Connection reset by peer (os error 104)",
  ],
  [
    "fin before answer",
    fetchFailed(`${UR}: client error (SendRequest): connection closed before message completed`),
    "reset",
    "connection closed before message completed",
  ],
  [
    "short body",
    new TypeError("error reading a body from connection"),
    "reset",
    "error reading a body from connection",
  ],
  [
    "garbage",
    fetchFailed(`${UR}: client error (SendRequest): invalid HTTP version parsed`),
    "malformed",
    "invalid HTTP version parsed",
  ],
  [
    "unknown issuer",
    fetchFailed(`${U}: client error (Connect): invalid peer certificate: UnknownIssuer`),
    "tls",
    "invalid peer certificate: UnknownIssuer",
  ],
  [
    "not TLS",
    fetchFailed(
      `${U}: client error (Connect): received corrupt message of type InvalidContentType`,
    ),
    "tls",
    "received corrupt message of type InvalidContentType",
  ],
  [
    "timeout signal",
    new DOMException("The operation was aborted due to timeout", "TimeoutError"),
    "timeout",
    "The operation was aborted due to timeout",
  ],
  [
    "abort signal",
    new DOMException("The signal has been aborted", "AbortError"),
    "aborted",
    "The signal has been aborted",
  ],
  ["node refused", withCode("connect failed", "ECONNREFUSED"), "refused", "connect failed"],
  ["node dns", withCode("getaddrinfo failed", "ENOTFOUND"), "dns", "getaddrinfo failed"],
  ["node reset", withCode("read failed", "ECONNRESET"), "reset", "read failed"],
  ["broken pipe", new Error("Broken pipe (os error 32)"), "reset", "Broken pipe (os error 32)"],
  [
    "connect timeout",
    new Error("Connection timed out (os error 110)"),
    "timeout",
    "Connection timed out (os error 110)",
  ],
  ["closed client", new Error("Bad resource ID"), "other", "Bad resource ID"],
  ["string reason", "custom reason", "other", "custom reason"],
  ["nothing", undefined, "other", "unknown error"],
];

for (const [what, err, kind, message] of CASES) {
  Deno.test(`classifyFetchError: ${what} → ${kind}`, () => {
    assert.deepEqual(classifyFetchError(err), { kind, message });
  });
}

Deno.test("shortMessage keeps one line of bounded length", () => {
  const msg = shortMessage(fetchFailed(`line one\nline two ${"x".repeat(500)}`));
  assert.doesNotMatch(msg, /\n/);
  assert.ok(msg.startsWith("line one line two"));
  assert.equal(msg.length, 200);
});
