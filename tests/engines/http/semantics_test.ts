/**
 * `ctx.http` behaves like a real client on every engine (http1, fetch, http2 over h2c):
 * redirects followed and each hop recorded, encoded bodies decoded on read, expected statuses
 * deciding `http_req_failed`, batches, form and multipart bodies, timeouts, responseType.
 */

import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { createHttpApi, type HttpApi, setExpectedStatuses } from "../../../engines/http/api.ts";
import { httpEngine } from "../../../engines/http/protocol.ts";
import type { ProtocolOptions } from "../../../core/protocol/types.ts";
import { type TestVu, testVu } from "../_vu.ts";
import { PAYLOAD, type SemanticsServer, startSemanticsServer } from "./_semantics_server.ts";

const ENGINES = ["http1", "fetch", "http2"] as const;

interface Ctx {
  http: HttpApi;
  t: TestVu;
  a: SemanticsServer;
  b: SemanticsServer;
}

/** Runs `fn` with two servers (b is the cross-origin one) and a VU on `engine`. */
async function withServers(
  engine: string,
  options: Partial<ProtocolOptions>,
  fn: (c: Ctx) => Promise<void>,
): Promise<void> {
  const b = startSemanticsServer();
  const a = startSemanticsServer(b.url);
  const t = testVu([], { engine, ...options });
  const http = createHttpApi(() => t.vu, httpEngine);
  try {
    await fn({ http, t, a, b });
  } finally {
    const slot = t.vu.slots.get("http") as { client: { close(): void } | null } | undefined;
    slot?.client?.close();
    await Promise.all([a.close(), b.close()]);
  }
}

for (const engine of ENGINES) {
  const test = (name: string, fn: (c: Ctx) => Promise<void>, o: Partial<ProtocolOptions> = {}) =>
    Deno.test(`${engine}: ${name}`, () => withServers(engine, o, fn));

  test("a chain of 3 redirects is followed, each hop recorded with its own name", async (c) => {
    const r = await c.http.get(`${c.a.url}/chain/3`);
    equal(r.status, 200);
    equal(r.url, `${c.a.url}/chain/0`);
    deepStrictEqual(r.json(), { done: true });
    for (const n of [3, 2, 1]) {
      equal(c.t.sum("http_reqs", { name: `${c.a.url}/chain/${n}`, status: "302" }), 1);
    }
    equal(c.t.sum("http_reqs", { name: `${c.a.url}/chain/0`, status: "200" }), 1);
    equal(c.t.sum("http_reqs"), 4);
    equal(c.t.sum("http_req_failed", {}, "value"), 0);
  });

  test("a redirect loop stops at the limit with a clear error on the last hop", async (c) => {
    const r = await c.http.get(`${c.a.url}/loop`, { maxRedirects: 3 });
    equal(r.status, 302);
    equal(r.error, "other");
    ok(r.errorMessage.includes("Stopped after 3 redirects"), r.errorMessage);
    equal(c.a.hits.get("/loop"), 4); // the request and 3 redirects
    equal(c.t.sum("http_reqs", { status: "302" }), 4);
    equal(c.t.sum("http_reqs", { status: "302", error: "other" }), 1);
  });

  test("the run's maxRedirects applies; 0 returns the 3xx as an expected answer", async (c) => {
    const r = await c.http.get(`${c.a.url}/chain/2`);
    equal(r.status, 302);
    equal(r.error, null);
    equal(c.t.sum("http_reqs"), 1);
    equal(c.t.sum("http_reqs", { expected_response: "true" }), 1);
  }, { maxRedirects: 0 });

  test("303 turns a POST into a GET without body; 307 and 308 keep both", async (c) => {
    const see = await c.http.post(`${c.a.url}/see-other`, "payload");
    deepStrictEqual([see.json<{ method: string }>().method, see.json<{ body: string }>().body], [
      "GET",
      "",
    ]);
    equal(see.json<{ contentType: string | null }>().contentType, null);
    const found = await c.http.post(`${c.a.url}/found`, { a: 1 });
    equal(found.json<{ method: string }>().method, "GET");
    for (const p of ["/temp", "/perm"]) {
      const r = await c.http.put(`${c.a.url}${p}`, { a: 1 });
      const e = r.json<{ method: string; body: string; contentType: string }>();
      deepStrictEqual([e.method, e.body, e.contentType], ["PUT", '{"a":1}', "application/json"]);
    }
    equal(c.t.sum("http_reqs", { status: "303", method: "POST" }), 1);
    equal(c.t.sum("http_reqs", { status: "307", method: "PUT" }), 1);
    equal(c.t.sum("http_reqs", { status: "308", method: "PUT" }), 1);
  });

  test("a cross-origin hop reaches the other origin, without the Authorization header", async (c) => {
    const r = await c.http.get(`${c.a.url}/to-other`, { headers: { Authorization: "Bearer x" } });
    const e = r.json<{ origin: string; authorization: string | null }>();
    equal(e.origin, c.b.url);
    equal(e.authorization, null);
    equal(c.b.hits.get("/echo"), 1);
    equal(c.t.sum("http_reqs", { name: `${c.b.url}/echo` }), 1);
  });

  test("cookies set by a redirect are sent on the next hop", async (c) => {
    const r = await c.http.get(`${c.a.url}/set-cookie`);
    equal(r.json<{ cookie: string }>().cookie, "a=1");
  });

  test("gzip, deflate and br bodies are decoded by json()", async (c) => {
    for (const coding of ["gzip", "deflate", "br"]) {
      const r = await c.http.get(`${c.a.url}/enc/${coding}`, {
        headers: { "Accept-Encoding": coding },
      });
      equal(r.headers.get("content-encoding"), coding);
      deepStrictEqual(r.json(), PAYLOAD, coding);
    }
  });

  test("expected statuses: per request, per thread, and the default 200-399", async (c) => {
    await c.http.get(`${c.a.url}/status/404`, { expectedStatuses: [404] });
    equal(c.t.sum("http_req_failed", { status: "404", expected_response: "true" }, "count"), 1);
    equal(c.t.sum("http_req_failed", {}, "value"), 0);
    await c.http.get(`${c.a.url}/status/404`);
    equal(c.t.sum("http_req_failed", { status: "404", expected_response: "false" }), 1);
    setExpectedStatuses({ min: 200, max: 299 }, 404);
    try {
      await c.http.get(`${c.a.url}/status/404`);
      await c.http.get(`${c.a.url}/status/500`);
    } finally {
      setExpectedStatuses();
    }
    equal(c.t.sum("http_req_failed", { status: "404", expected_response: "true" }, "count"), 2);
    equal(c.t.sum("http_req_failed", { status: "500" }), 1);
  });

  test("the run's expectedStatuses decide failures too", async (c) => {
    await c.http.get(`${c.a.url}/status/404`);
    await c.http.get(`${c.a.url}/status/200`);
    equal(c.t.sum("http_req_failed"), 1);
    equal(c.t.sum("http_req_failed", { status: "200", expected_response: "false" }), 1);
  }, { expectedStatuses: [404] });

  test("batch: results in order, sent concurrently", async (c) => {
    const t0 = performance.now();
    const rs = await c.http.batch([
      `${c.a.url}/slow/300`,
      ["GET", `${c.a.url}/slow/200`],
      { method: "POST", url: `${c.a.url}/form`, body: { form: { q: "1" } } },
      ["GET", `${c.a.url}/slow/100`, null, { name: "slow100" }],
    ]);
    const took = performance.now() - t0;
    deepStrictEqual(rs.map((r) => r.status), [200, 200, 200, 200]);
    deepStrictEqual(rs.map((r) => r.json()), [
      { slow: 300 },
      { slow: 200 },
      { q: "1" },
      { slow: 100 },
    ]);
    ok(took < 550, `batch took ${took.toFixed(0)} ms: not concurrent`);
    ok(c.a.maxInFlight() >= 3, `at most ${c.a.maxInFlight()} in flight`);
    equal(c.t.sum("http_reqs", { name: "slow100" }), 1);
    await rejects(() => c.http.batch([42 as unknown as string]), TypeError);
  });

  test("forms: URLSearchParams, { form }, and multipart FormData with a file", async (c) => {
    const a = await c.http.post(`${c.a.url}/form`, new URLSearchParams({ x: "1", y: "a b" }));
    deepStrictEqual(a.json(), { x: "1", y: "a b" });
    const b = await c.http.post(`${c.a.url}/form`, { form: { n: 2, ok: true } });
    deepStrictEqual(b.json(), { n: "2", ok: "true" });
    const fd = new FormData();
    fd.append("title", "report");
    fd.append("file", new File(["file contents\n"], "data.txt", { type: "text/plain" }));
    const m = await c.http.post(`${c.a.url}/upload`, fd);
    deepStrictEqual(m.json(), {
      title: "report",
      file: { file: "data.txt", size: 14, text: "file contents\n" },
    });
    const j = await c.http.post(`${c.a.url}/echo`, { plain: "object" });
    equal(j.json<{ contentType: string }>().contentType, "application/json");
  });

  test("a per-request timeout ends the request as timeout", async (c) => {
    const r = await c.http.get(`${c.a.url}/slow/400`, { timeout: 150 });
    equal(r.status, 0);
    equal(r.error, "timeout");
    ok(r.timings.duration < 350, `took ${r.timings.duration} ms`);
    equal(c.t.sum("http_reqs", { error: "timeout" }), 1);
  });

  test("responseType none drops the body; tags go on every hop", async (c) => {
    const r = await c.http.get(`${c.a.url}/chain/1`, { responseType: "none", tags: { k: "v" } });
    equal(r.status, 200);
    equal(r.body.byteLength, 0);
    equal(c.t.sum("http_reqs", { k: "v" }), 2);
  });
}

Deno.test("the proto tag names the protocol of http1 and http2 requests", async () => {
  for (const [engine, proto] of [["http1", "HTTP/1.1"], ["http2", "HTTP/2.0"]]) {
    await withServers(engine, {}, async (c) => {
      await c.http.get(`${c.a.url}/status/200`);
      equal(c.t.sum("http_reqs", { proto }), 1, engine);
    });
  }
});

Deno.test("http2: the run's connections option spreads a VU's streams over that many", async () => {
  for (const [connections, want] of [[undefined, 1], [3, 3]] as const) {
    await withServers("http2", { connections }, async (c) => {
      await c.http.batch(Array.from({ length: 9 }, () => `${c.a.url}/slow/50`));
      equal(c.a.peers.size, want, `connections ${connections}`);
    });
  }
});
