import assert from "node:assert/strict";
import { ConfigError } from "../../../core/errors.ts";
import { createOutcome, type RequestSpec } from "../../../engines/http/types.ts";
import { FetchClient, fetchStateOf } from "../../../engines/http/mod.ts";
import { refusedPort } from "../../_servers/faults.ts";
import { engine, sendOnce, text, withTarget } from "./_fetch_fixtures.ts";

Deno.test("a 200 GET fills status, observed phases and bytes, and leaves the rest NaN", async () => {
  await withTarget(async (url) => {
    const req = engine.prepare({ method: "GET", url: `${url}/` });
    const out = await sendOnce({ method: "GET", url: `${url}/` });
    assert.equal(out.error, null);
    assert.equal(out.status, 200);
    assert.ok(out.started >= out.scheduled && out.ended >= out.started);
    assert.ok(Number.isFinite(out.waiting) && out.waiting >= 0);
    assert.ok(Number.isFinite(out.receiving) && out.receiving >= 0);
    for (const phase of ["blocked", "dns", "connecting", "tls", "sending"] as const) {
      assert.ok(Number.isNaN(out[phase]), `${phase} should be NaN`);
    }
    assert.deepEqual([...engine.observes].sort(), ["receiving", "waiting"]);
    assert.equal(out.bytesSent, fetchStateOf(req).bytesSent);
    assert.ok(out.bytesSent > "GET / HTTP/1.1\r\n\r\n".length);
    assert.ok(out.bytesReceived > "HTTP/1.1 200 OK\r\n\r\nhello".length);
    assert.equal(out.headers, null);
    assert.equal(out.body, null);
  });
});

Deno.test("a POST body is sent once encoded, and keepResponse returns headers and body", async () => {
  await withTarget(async (url) => {
    const out = await sendOnce({
      method: "post",
      url: `${url}/echo`,
      body: "héllo world",
      keepResponse: true,
    });
    assert.equal(out.status, 200);
    assert.equal(text(out), "POST 12");
    const kept = await sendOnce({ method: "GET", url: `${url}/`, keepResponse: true });
    assert.equal(kept.headers?.get("x-test"), "yes");
    assert.equal(text(kept), "hello");
  });
});

Deno.test("sequential requests through one client reuse the connection", async () => {
  await withTarget(async (url) => {
    const client = engine.createClient({ maxConnections: 4 });
    const req = engine.prepare({ method: "GET", url: `${url}/port`, keepResponse: true });
    const ports = new Set<string>();
    try {
      for (let i = 0; i < 3; i++) {
        const out = createOutcome();
        await client.send(req, out);
        assert.equal(out.status, 200);
        ports.add(text(out));
      }
    } finally {
      client.close();
    }
    assert.equal(ports.size, 1, `remote ports seen: ${[...ports].join(", ")}`);
  });
});

Deno.test("maxConnections caps requests in flight", async () => {
  await withTarget(async (url) => {
    const client = engine.createClient({ maxConnections: 1 });
    const req = engine.prepare({ method: "GET", url: `${url}/busy`, keepResponse: true });
    const outs = [createOutcome(), createOutcome(), createOutcome()];
    try {
      await Promise.all(outs.map((out) => client.send(req, out)));
    } finally {
      client.close();
    }
    assert.deepEqual(outs.map((o) => [o.status, text(o)]), [[200, "1"], [200, "1"], [200, "1"]]);
  });
});

Deno.test("a Host header is sent as given", async () => {
  await withTarget(async (url) => {
    const out = await sendOnce({
      method: "GET",
      url: `${url}/host`,
      headers: [["Host", "vhost.example"]],
      keepResponse: true,
    });
    assert.equal(text(out), "vhost.example");
  });
});

Deno.test("a gzip body counts its wire size, not its decoded size", async () => {
  await withTarget(async (url) => {
    const out = await sendOnce({ method: "GET", url: `${url}/gzip`, keepResponse: true });
    assert.equal(out.body?.byteLength, 10_000);
    assert.ok(out.bytesReceived < 1_000, `bytesReceived ${out.bytesReceived}`);
  });
});

Deno.test("prepare validates the URL, method, body and timeout with ConfigError", () => {
  assert.throws(() => engine.prepare({ method: "GET", url: "foo" }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.message, 'Invalid URL "foo": expected an absolute http:// or https:// URL');
    return true;
  });
  for (
    const url of ["ftp://example.com/", "file:///etc/passwd", "/relative", "http://127.0.0.1:6000/"]
  ) {
    assert.throws(() => engine.prepare({ method: "GET", url }), ConfigError, url);
  }
  assert.throws(() => engine.prepare({ method: "GET", url: "http://x/", body: "b" }), ConfigError);
  assert.throws(() => engine.prepare({ method: "GE T", url: "http://x/" }), ConfigError);
  assert.throws(
    () => engine.prepare({ method: "GET", url: "http://x/", timeoutMs: 0 }),
    ConfigError,
  );
  assert.throws(
    () => engine.prepare({ method: "GET", url: "http://x/", headers: [["bad header", "v"]] }),
    ConfigError,
  );
});

Deno.test("prepare fills the defaults", () => {
  const req = engine.prepare({
    method: "put",
    url: "https://example.com:8443/a/b?q=1#frag",
    headers: [["X-A", "1"]],
    body: "abc",
  });
  assert.equal(req.method, "PUT");
  assert.equal(req.name, "https://example.com:8443/a/b");
  assert.equal(req.timeoutMs, 60_000);
  assert.deepEqual(req.headers, [["X-A", "1"]]);
  assert.deepEqual(req.body, new TextEncoder().encode("abc"));
  assert.equal(req.keepResponse, false);
  assert.equal(engine.prepare({ method: "GET", url: "http://x/", name: "n" }).name, "n");
  assert.equal(engine.prepare({ method: "GET", url: "http://x/", body: "" }).body, null);
});

Deno.test("a proxy from the environment is bypassed for loopback targets", async () => {
  const names = ["HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];
  const saved = names.map((name) => [name, Deno.env.get(name)] as const);
  // A proxy that refuses every connection: a request routed through it fails as "refused".
  Deno.env.set("HTTP_PROXY", `http://127.0.0.1:${await refusedPort()}`);
  Deno.env.delete("NO_PROXY");
  Deno.env.delete("no_proxy");
  try {
    await withTarget(async (url) => {
      const spec: RequestSpec = { method: "GET", url: `${url}/`, timeoutMs: 5000 };
      const unprotected = await sendOnce(spec, undefined, new FetchClient({}));
      assert.equal(unprotected.error, "refused", "the proxy variable should apply to loopback");
      const out = await sendOnce(spec);
      assert.equal(out.error, null);
      assert.equal(out.status, 200);
      assert.deepEqual(Deno.env.get("NO_PROXY")?.split(","), ["127.0.0.1", "localhost", "::1"]);
    });
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
});
