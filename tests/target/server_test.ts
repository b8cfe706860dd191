import assert from "node:assert/strict";
import { ConfigError } from "../../core/errors.ts";
import { startTarget, type TargetOptions, type TargetServer } from "../../target/mod.ts";

Deno.env.set("NO_PROXY", "127.0.0.1,localhost,::1");

interface Reply {
  status: number;
  headers: Headers;
  body: string;
}

async function call(target: TargetServer, path: string, init?: RequestInit): Promise<Reply> {
  const res = await fetch(`${target.url}${path}`, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

async function withTarget(
  options: TargetOptions,
  fn: (target: TargetServer) => Promise<void>,
): Promise<void> {
  const target = startTarget({ quiet: true, ...options });
  try {
    await fn(target);
  } finally {
    await target.close();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

Deno.test("the root route answers the 13-byte greeting as plain text", async () => {
  await withTarget({}, async (t) => {
    const r = await call(t, "/");
    assert.equal(r.status, 200);
    assert.equal(r.body, "Hello, rampa!");
    assert.equal(r.headers.get("content-length"), "13");
    assert.match(r.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(t.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(t.hostname, "127.0.0.1");
    assert.ok(t.port > 0);
  });
});

Deno.test("the item routes list ten items and find one by id, else a JSON 404", async () => {
  await withTarget({}, async (t) => {
    const list = await call(t, "/api/items");
    assert.equal(list.status, 200);
    assert.equal(list.headers.get("content-type"), "application/json");
    const items = JSON.parse(list.body);
    assert.equal(items.length, 10);
    assert.deepEqual(Object.keys(items[0]).sort(), ["id", "name", "price"]);
    const one = await call(t, "/api/items/1000");
    assert.equal(one.status, 200);
    assert.equal(JSON.parse(one.body).id, 1000);
    for (const bad of ["1001", "abc", "0"]) {
      const r = await call(t, `/api/items/${bad}`);
      assert.equal(r.status, 404, bad);
      assert.ok(JSON.parse(r.body).error, bad);
    }
  });
});

Deno.test("the status route answers the requested status and rejects invalid codes", async () => {
  await withTarget({}, async (t) => {
    for (const code of [200, 201, 418, 503, 599]) {
      const r = await call(t, `/status/${code}`);
      assert.equal(r.status, code);
      assert.equal(r.body, `${code}\n`);
    }
    for (const code of [204, 304]) {
      const r = await call(t, `/status/${code}`);
      assert.equal(r.status, code);
      assert.equal(r.body, "");
    }
    for (const bad of ["600", "99", "abc", "100"]) {
      assert.equal((await call(t, `/status/${bad}`)).status, 400, bad);
    }
  });
});

Deno.test("the delay route waits the requested time and rejects a bad value", async () => {
  await withTarget({}, async (t) => {
    const start = performance.now();
    const r = await call(t, "/delay/60");
    assert.equal(r.status, 200);
    assert.ok(performance.now() - start >= 55);
    assert.equal((await call(t, "/delay/soon")).status, 400);
  });
});

Deno.test("the bytes route sends exactly n octets, capped at 16 MiB", async () => {
  await withTarget({}, async (t) => {
    for (const n of [0, 1, 100_000, 100_000, 5]) {
      const res = await fetch(`${t.url}/bytes/${n}`);
      assert.equal(res.headers.get("content-type"), "application/octet-stream");
      const body = new Uint8Array(await res.arrayBuffer());
      assert.equal(body.length, n);
      if (n > 1) assert.equal(body[1], 1);
    }
    const big = await fetch(`${t.url}/bytes/999999999`);
    assert.equal((await big.arrayBuffer()).byteLength, 16 * 1024 * 1024);
    assert.equal((await call(t, "/bytes/lots")).status, 400);
  });
});

Deno.test("echo returns the method, path, query, headers and body it received", async () => {
  await withTarget({}, async (t) => {
    const r = await call(t, "/echo?a=1&b=two", {
      method: "PUT",
      headers: { "x-test": "yes" },
      body: "payload",
    });
    assert.equal(r.status, 200);
    const echo = JSON.parse(r.body);
    assert.equal(echo.method, "PUT");
    assert.equal(echo.path, "/echo");
    assert.deepEqual(echo.query, { a: "1", b: "two" });
    assert.equal(echo.headers["x-test"], "yes");
    assert.equal(echo.body, "payload");
    assert.equal(JSON.parse((await call(t, "/echo")).body).body, "");
  });
});

Deno.test("login returns a token and a session cookie that /me accepts", async () => {
  await withTarget({}, async (t) => {
    const login = await call(t, "/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "ada", password: "secret" }),
    });
    assert.equal(login.status, 200);
    assert.deepEqual(JSON.parse(login.body), { token: "tok-ada" });
    const cookie = login.headers.get("set-cookie") ?? "";
    assert.match(cookie, /^session=[^;]+; Path=\/$/);
    const byToken = await call(t, "/me", { headers: { authorization: "Bearer tok-ada" } });
    assert.equal(byToken.status, 200);
    assert.deepEqual(JSON.parse(byToken.body), { user: "ada" });
    const byCookie = await call(t, "/me", { headers: { cookie: cookie.split(";")[0] } });
    assert.deepEqual(JSON.parse(byCookie.body), { user: "ada" });
    assert.equal((await call(t, "/me")).status, 401);
    assert.equal((await call(t, "/me", { headers: { authorization: "Bearer x" } })).status, 401);
  });
});

Deno.test("login rejects a bad body with a JSON 400 and other methods with 405", async () => {
  await withTarget({}, async (t) => {
    for (const body of ["not json", "{}", '{"username":"","password":"x"}', "null"]) {
      const r = await call(t, "/login", { method: "POST", body });
      assert.equal(r.status, 400, body);
      assert.ok(JSON.parse(r.body).error, body);
    }
    assert.equal((await call(t, "/login")).status, 405);
    assert.equal((await call(t, "/", { method: "POST", body: "x" })).status, 405);
  });
});

Deno.test("unknown paths answer 404", async () => {
  await withTarget({}, async (t) => {
    for (const path of ["/nope", "/api/items/1/extra", "/status/", "/HEALTH"]) {
      assert.equal((await call(t, path)).status, 404, path);
    }
  });
});

Deno.test("an error rate of 1 fails every request and 0 fails none", async () => {
  await withTarget({ errorRate: 1 }, async (t) => {
    for (let i = 0; i < 20; i++) assert.equal((await call(t, "/api/items")).status, 500);
    assert.equal(t.stats().errors, 20);
  });
  await withTarget({ errorRate: 0 }, async (t) => {
    for (let i = 0; i < 20; i++) assert.equal((await call(t, "/api/items")).status, 200);
    assert.equal(t.stats().errors, 0);
  });
});

Deno.test("a seeded error rate of 0.5 fails 30-70% of 200 requests, the same each run", async () => {
  const run = async (): Promise<number[]> => {
    const statuses: number[] = [];
    await withTarget({ errorRate: 0.5, seed: 42 }, async (t) => {
      for (let i = 0; i < 200; i++) statuses.push((await call(t, "/")).status);
      assert.equal(t.stats().errors, statuses.filter((s) => s === 500).length);
    });
    return statuses;
  };
  const first = await run();
  const failed = first.filter((s) => s === 500).length;
  assert.ok(failed >= 60 && failed <= 140, `${failed} of 200 failed`);
  assert.deepEqual(await run(), first);
});

Deno.test("a latency of 50ms delays each request by at least 45ms", async () => {
  await withTarget({ latencyMs: 50 }, async (t) => {
    const start = performance.now();
    assert.equal((await call(t, "/")).status, 200);
    assert.ok(performance.now() - start >= 45);
  });
});

Deno.test("jitter larger than the latency never breaks a request", async () => {
  await withTarget({ latencyMs: 1, jitterMs: 20, seed: 7 }, async (t) => {
    for (let i = 0; i < 20; i++) assert.equal((await call(t, "/")).status, 200);
  });
});

Deno.test("a request arriving inside a stall window is held until the window ends", async () => {
  const stall = { forMs: 300, everyMs: 600 };
  await withTarget({ stall }, async (t) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const elapsed = performance.now() - t.startedAt;
      const period = Math.floor(elapsed / stall.everyMs);
      let sendAt = period * stall.everyMs + 350;
      if (sendAt < elapsed) sendAt += stall.everyMs;
      await sleep(sendAt - elapsed);
      const sent = performance.now() - t.startedAt;
      const phase = sent % stall.everyMs;
      const windowEnd = sent - phase + stall.everyMs;
      const r = await call(t, "/");
      const done = performance.now() - t.startedAt;
      // A noisy machine may wake too late; only a send well inside the window proves anything.
      if (phase < 300 || phase > 560) continue;
      assert.equal(r.status, 200);
      assert.ok(done >= windowEnd - 20, `done at ${done}, window ends at ${windowEnd}`);
      return;
    }
    assert.fail("never managed to send a request inside a stall window");
  });
});

Deno.test("/health is never delayed, stalled or failed", async () => {
  await withTarget({
    latencyMs: 30_000,
    errorRate: 1,
    stall: { forMs: 59_999, everyMs: 60_000 },
  }, async (t) => {
    const res = await fetch(`${t.url}/health`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "ok");
  });
});

Deno.test("stats count every request once, per route template", async () => {
  await withTarget({}, async (t) => {
    for (const path of ["/api/items/1", "/api/items/2", "/api/items/x", "/", "/nope", "/health"]) {
      await call(t, path);
    }
    assert.deepEqual(t.stats(), {
      requests: 6,
      errors: 0,
      byPath: { "/api/items/:id": 3, "/": 1, "(unmatched)": 1, "/health": 1 },
    });
  });
});

Deno.test("close cancels pending delays, resolves and releases the port", async () => {
  const t = startTarget({ quiet: true, latencyMs: 60_000 });
  const pending = fetch(`${t.url}/delay/60000`).then(
    async (res) => (await res.body?.cancel(), res.status),
    () => 0,
  );
  while (t.stats().requests === 0) await sleep(5);
  await t.close();
  assert.ok([0, 503].includes(await pending));
  await t.close(); // a second close is harmless
  const listener = Deno.listen({ hostname: "127.0.0.1", port: t.port });
  listener.close();
});

Deno.test("aborting the signal closes the server", async () => {
  const controller = new AbortController();
  const t = startTarget({ quiet: true, signal: controller.signal });
  assert.equal((await call(t, "/health")).status, 200);
  controller.abort();
  await t.close();
  await assert.rejects(fetch(`${t.url}/health`));
});

Deno.test("invalid options and a busy port are rejected with a ConfigError", async () => {
  assert.throws(() => startTarget({ errorRate: 1.5 }), ConfigError);
  assert.throws(() => startTarget({ latencyMs: -1 }), ConfigError);
  assert.throws(() => startTarget({ stall: { forMs: 5, everyMs: 5 } }), ConfigError);
  await withTarget({}, (t) => {
    assert.throws(() => startTarget({ quiet: true, port: t.port }), /already in use/);
    return Promise.resolve();
  });
});
