import { equal } from "node:assert/strict";
import { redactUrl } from "../../core/redact.ts";

Deno.test("userinfo is dropped and secret query values are replaced", () => {
  equal(
    redactUrl("http://user:PASSW0RDX@127.0.0.1:8080/a?token=SECRET456&q=1&api_key=k"),
    "http://127.0.0.1:8080/a?token=REDACTED&q=1&api_key=REDACTED",
  );
});

Deno.test("a URL without secrets comes back unchanged, byte for byte", () => {
  equal(redactUrl("http://127.0.0.1:8080/a?q=1"), "http://127.0.0.1:8080/a?q=1");
  equal(redactUrl("not a url"), "not a url");
});
