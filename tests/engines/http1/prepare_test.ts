/**
 * Preparing requests for the http1 engine: URL validation, the exact pre-encoded bytes, the
 * default name, header validation (every issue reported at once), and the error-kind mapping
 * of the errors Deno and node:dns throw.
 */

import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { ConfigError } from "../../../core/errors.ts";
import { classifyError } from "../../../engines/http1/classify.ts";
import {
  createHttp1Engine,
  DEFAULT_TIMEOUT_MS,
  type Http1State,
} from "../../../engines/http1/mod.ts";

const engine = createHttp1Engine();
const bytesOf = (p: { state?: unknown }): string =>
  new TextDecoder().decode((p.state as Http1State).bytes);

Deno.test("prepare: a GET is encoded once with Host and User-Agent", () => {
  const p = engine.prepare({ method: "GET", url: "http://example.test:8080/a/b?q=1#frag" });
  equal(
    bytesOf(p),
    "GET /a/b?q=1 HTTP/1.1\r\nHost: example.test:8080\r\nUser-Agent: rampa/0.1\r\n\r\n",
  );
  equal(p.name, "http://example.test:8080/a/b");
  equal(p.timeoutMs, DEFAULT_TIMEOUT_MS);
  equal(p.keepResponse, false);
  const st = p.state as Http1State;
  deepStrictEqual([st.host, st.port, st.tls, st.isHead], ["example.test", 8080, false, false]);
});

Deno.test("prepare: bodies get Content-Length; user framing headers are replaced", () => {
  const p = engine.prepare({
    method: "POST",
    url: "https://example.test/submit",
    headers: [["Content-Type", "application/json"], ["content-length", "999"], [
      "User-Agent",
      "me",
    ]],
    body: '{"a":"é"}',
    name: "submit",
  });
  equal(
    bytesOf(p),
    "POST /submit HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/json\r\n" +
      'User-Agent: me\r\nContent-Length: 10\r\n\r\n{"a":"é"}',
  );
  equal(p.name, "submit");
  deepStrictEqual([(p.state as Http1State).port, (p.state as Http1State).tls], [443, true]);
  const empty = engine.prepare({ method: "PUT", url: "http://example.test/" });
  ok(bytesOf(empty).includes("Content-Length: 0\r\n"));
});

Deno.test("prepare: IPv6 literals connect without brackets and keep them in Host", () => {
  const p = engine.prepare({ method: "HEAD", url: "http://[::1]:9000/" });
  const st = p.state as Http1State;
  deepStrictEqual([st.host, st.isHead], ["::1", true]);
  ok(bytesOf(p).includes("Host: [::1]:9000\r\n"));
});

Deno.test("prepare: non-HTTP and relative URLs are config errors with the URL quoted", () => {
  for (const url of ["ftp://example.test/", "/relative", "example.test", "ws://x/", ""]) {
    throws(
      () => engine.prepare({ method: "GET", url }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message === `Invalid URL "${url}": expected an absolute http:// or https:// URL`,
    );
  }
});

Deno.test("prepare: every bad method, header and timeout is reported at once", () => {
  throws(
    () =>
      engine.prepare({
        method: "GE T",
        url: "http://example.test/",
        headers: [["Bad Name", "x"], ["X-Inject", "a\r\nEvil: 1"], [
          "Transfer-Encoding",
          "chunked",
        ]],
        timeoutMs: 0,
      }),
    (e: unknown) => e instanceof ConfigError && e.issues.length === 5,
  );
});

Deno.test("classify: errors from Deno and node map to error kinds", () => {
  const named = (name: string, message = "x"): Error => Object.assign(new Error(message), { name });
  const coded = (code: string): Error => Object.assign(new Error(code), { code });
  const table: [unknown, Parameters<typeof classifyError>[1], string][] = [
    [named("ConnectionRefused"), "connect", "refused"],
    [coded("ECONNREFUSED"), "connect", "refused"],
    [coded("ENOTFOUND"), "dns", "dns"],
    [named("Error", "failed to lookup address information"), "connect", "dns"],
    [named("ConnectionReset"), "io", "reset"],
    [named("BrokenPipe"), "io", "reset"],
    [coded("ECONNRESET"), "io", "reset"],
    [named("TimedOut"), "connect", "timeout"],
    [named("InvalidData", "invalid peer certificate"), "tls", "tls"],
    [named("ConnectionReset"), "tls", "tls"],
    [named("Weird"), "io", "other"],
  ];
  for (const [err, phase, kind] of table) equal(classifyError(err, phase), kind, String(err));
});
