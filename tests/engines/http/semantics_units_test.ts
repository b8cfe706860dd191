/**
 * The pure parts of `ctx.http`'s semantics: expected-status rules, the next redirect hop,
 * body encodings and decoding, plus lazy decoding seen from a request (a corrupt gzip body
 * fails only when read, never the request).
 */

import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import zlib from "node:zlib";
import { encodeBody } from "../../../engines/http/body.ts";
import { loadDecoder } from "../../../engines/http/decode.ts";
import { compileExpected, DEFAULT_EXPECTED } from "../../../engines/http/expected.ts";
import { nextHop, redirectTarget } from "../../../engines/http/redirect.ts";
import { createHttpApi } from "../../../engines/http/api.ts";
import { httpEngine } from "../../../engines/http/protocol.ts";
import type { ConfigError } from "../../../core/errors.ts";
import { testVu } from "../_vu.ts";
import { startSemanticsServer } from "./_semantics_server.ts";

Deno.test("expected statuses: the default is 200-399; codes and ranges combine", () => {
  deepStrictEqual([199, 200, 302, 399, 400, 0].map(DEFAULT_EXPECTED), [
    false,
    true,
    true,
    true,
    false,
    false,
  ]);
  const m = compileExpected([{ min: 200, max: 204 }, 404]);
  deepStrictEqual([200, 204, 205, 404, 302].map(m), [true, true, false, true, false]);
  throws(() => compileExpected([99, { min: 300, max: 200 }]), (e: ConfigError) => {
    equal(e.issues.length, 2);
    return true;
  });
});

Deno.test("redirect hops: 303 and 302 drop the body, 307 keeps it, other origins lose credentials", () => {
  const hop = {
    method: "POST",
    url: "http://a.test/x",
    headers: [["Content-Type", "text/plain"], ["Authorization", "t"], ["X-K", "v"]] as [
      string,
      string,
    ][],
    payload: "body",
  };
  equal(redirectTarget(302, "/y?q=1", hop.url)?.href, "http://a.test/y?q=1");
  equal(redirectTarget(200, "/y", hop.url), null);
  equal(redirectTarget(302, "ftp://b.test/", hop.url), null);
  equal(redirectTarget(304, "/y", hop.url), null);
  const see = nextHop(hop, 303, new URL("http://a.test/y"));
  deepStrictEqual([see.method, see.payload, see.headers.map(([k]) => k)], [
    "GET",
    null,
    ["Authorization", "X-K"],
  ]);
  const temp = nextHop(hop, 307, new URL("http://b.test/y"));
  deepStrictEqual([temp.method, temp.payload, temp.headers.map(([k]) => k)], [
    "POST",
    "body",
    ["Content-Type", "X-K"],
  ]);
  equal(nextHop({ ...hop, method: "HEAD", payload: null }, 301, new URL(hop.url)).method, "HEAD");
});

Deno.test("bodies: forms, JSON, bytes and multipart get their content types", async () => {
  deepStrictEqual(await encodeBody({ form: { a: [1, 2], b: "x y" } }), {
    payload: "a=1&a=2&b=x+y",
    contentType: "application/x-www-form-urlencoded",
  });
  deepStrictEqual(await encodeBody({ form: "not an object" }), {
    payload: '{"form":"not an object"}',
    contentType: "application/json",
  });
  deepStrictEqual(await encodeBody([1]), { payload: "[1]", contentType: "application/json" });
  deepStrictEqual(await encodeBody("s"), { payload: "s", contentType: null });
  deepStrictEqual(await encodeBody(null), { payload: null, contentType: null });
  const fd = new FormData();
  fd.append("f", new Blob(["abc"]), "a.bin");
  const m = await encodeBody(fd);
  ok(m.contentType?.startsWith("multipart/form-data; boundary="), m.contentType ?? "");
  ok(new TextDecoder().decode(m.payload as Uint8Array).includes('filename="a.bin"'));
});

Deno.test("decoding: stacked codings are undone last first; unknown ones are named", async () => {
  const decode = await loadDecoder();
  const text = new TextEncoder().encode("hello ".repeat(50));
  const both = zlib.brotliCompressSync(zlib.gzipSync(text));
  deepStrictEqual(decode(new Uint8Array(both), "gzip, br"), text);
  const raw = zlib.deflateRawSync(text);
  deepStrictEqual(decode(new Uint8Array(raw), "deflate"), text);
  throws(() => decode(text, "zstd"), /Cannot decode Content-Encoding "zstd"/);
  throws(() => decode(text, "gzip"), /Cannot decode a gzip response body/);
});

for (const engine of ["http1", "http2"]) {
  Deno.test(`${engine}: a corrupt gzip body fails only when read, not the request`, async () => {
    const s = startSemanticsServer();
    const t = testVu([], { engine });
    const http = createHttpApi(() => t.vu, httpEngine);
    try {
      const r = await http.get(`${s.url}/bad-gzip`);
      equal(r.status, 200);
      equal(r.error, null);
      equal(t.sum("http_req_failed"), 0);
      throws(() => r.text(), /Cannot decode a gzip response body/);
    } finally {
      (t.vu.slots.get("http") as { client: { close(): void } }).client.close();
      await s.close();
    }
  });
}

Deno.test("fetch: a redirect to a port fetch refuses ends the chain with a clear error", async () => {
  const s = startSemanticsServer();
  const t = testVu([], { engine: "fetch" });
  const http = createHttpApi(() => t.vu, httpEngine);
  try {
    const r = await http.get(`${s.url}/to-bad-port`);
    equal(r.status, 302);
    equal(r.error, "other");
    ok(r.errorMessage.startsWith("Cannot follow the redirect to http://127.0.0.1:6000/x"));
    equal(t.sum("http_req_failed", { status: "302", error: "other" }), 1);
  } finally {
    (t.vu.slots.get("http") as { client: { close(): void } }).client.close();
    await s.close();
  }
});
