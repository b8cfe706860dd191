/** Preparing requests for the http2 engine: the header block is built once, bad input refused. */

import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { ConfigError } from "../../../core/errors.ts";
import { type Http2State, prepareHttp2 } from "../../../engines/http2/mod.ts";
import { USER_AGENT } from "../../../engines/http1/request.ts";

function stateOf(spec: Parameters<typeof prepareHttp2>[0]): Http2State {
  return prepareHttp2(spec).state as Http2State;
}

Deno.test("prepare builds the pseudo-headers and lower-cases the user's headers", () => {
  const st = stateOf({
    method: "GET",
    url: "https://example.test:8443/a/b?x=1",
    headers: [["X-Trace", " abc "], ["Accept", "text/plain"]],
  });
  deepStrictEqual(st.headers, {
    ":method": "GET",
    ":path": "/a/b?x=1",
    ":scheme": "https",
    ":authority": "example.test:8443",
    "x-trace": "abc",
    "accept": "text/plain",
    "user-agent": USER_AGENT,
  });
  deepStrictEqual([st.origin, st.tls, st.port, st.body], [
    "https://example.test:8443",
    true,
    8443,
    null,
  ]);
});

Deno.test("prepare maps Host to :authority, frames a body, and keeps h2c for http: URLs", () => {
  const st = stateOf({
    method: "POST",
    url: "http://[::1]/p",
    headers: [["Host", "virtual.test"], ["Content-Length", "999"]],
    body: "hello",
  });
  equal(st.headers[":authority"], "virtual.test");
  equal(st.headers["content-length"], "5");
  deepStrictEqual([st.tls, st.port, st.host, st.origin], [false, 80, "::1", "http://[::1]:80"]);
  equal(new TextDecoder().decode(st.body!), "hello");
});

Deno.test("prepare refuses connection-specific headers, CONNECT, bad tokens and bad URLs", () => {
  const issues = (spec: Parameters<typeof prepareHttp2>[0]) => {
    try {
      prepareHttp2(spec);
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    return "";
  };
  const m = issues({
    method: "GET",
    url: "http://127.0.0.1:8080/",
    headers: [["Connection", "keep-alive"], ["Transfer-Encoding", "chunked"], ["TE", "gzip"]],
  });
  for (const h of ["Connection", "Transfer-Encoding", "TE"]) {
    equal(m.includes(`"${h}"`), true, `${h} in: ${m}`);
  }
  equal(issues({ method: "CONNECT", url: "http://127.0.0.1/" }).includes("CONNECT"), true);
  equal(issues({ method: "G T", url: "http://127.0.0.1/" }).includes("Invalid method"), true);
  throws(() => prepareHttp2({ method: "GET", url: "ftp://x/" }), ConfigError);
  throws(
    () => prepareHttp2({ method: "GET", url: "http://127.0.0.1/", timeoutMs: 0 }),
    ConfigError,
  );
});
