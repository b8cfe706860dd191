import assert from "node:assert/strict";
import { createOutcome } from "../../../engines/http/types.ts";
import { INSECURE_HINT } from "../../../engines/http/mod.ts";
import {
  refusedPort,
  startMalformedServer,
  startPartialServer,
  startResetServer,
  startSilentServer,
} from "../../_servers/faults.ts";
import { engine, sendOnce, withFault, withTarget } from "./_fetch_fixtures.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

Deno.test("connection refused is error kind refused, with nothing sent", async () => {
  const out = await sendOnce({ method: "GET", url: `http://127.0.0.1:${await refusedPort()}/` });
  assert.equal(out.error, "refused");
  assert.equal(out.status, 0);
  assert.equal(out.bytesSent, 0);
  assert.match(out.errorMessage, /refused/i);
  assert.doesNotMatch(out.errorMessage, /\n/);
});

Deno.test("an unresolvable host is error kind dns", async () => {
  // .invalid never resolves (RFC 6761); the timeout only bounds a resolver that hangs.
  const out = await sendOnce({
    method: "GET",
    url: "http://nonexistent.invalid/",
    timeoutMs: 5000,
  });
  assert.ok(out.error === "dns" || out.error === "timeout", `got ${out.error}`);
});

Deno.test("a server that never answers is error kind timeout", async () => {
  await withFault(startSilentServer, async (s) => {
    const out = await sendOnce({ method: "GET", url: s.url, timeoutMs: 300 });
    assert.equal(out.error, "timeout");
    assert.match(out.errorMessage, /300 ms/);
    assert.ok(Number.isNaN(out.waiting));
  });
});

Deno.test("a connection reset (RST) and a close without answer are error kind reset", async () => {
  await withFault(startResetServer, async (s) => {
    const out = await sendOnce({ method: "GET", url: s.url, timeoutMs: 5000 });
    assert.equal(out.error, "reset");
    assert.match(out.errorMessage, /reset/i);
  });
  await withFault(() => startResetServer({ abortive: false }), async (s) => {
    const out = await sendOnce({ method: "GET", url: s.url, timeoutMs: 5000 });
    assert.equal(out.error, "reset");
  });
});

Deno.test("garbage instead of HTTP is error kind malformed", async () => {
  await withFault(startMalformedServer, async (s) => {
    const out = await sendOnce({ method: "GET", url: s.url, timeoutMs: 5000 });
    assert.equal(out.error, "malformed");
    assert.equal(out.status, 0);
  });
});

Deno.test("a body shorter than its Content-Length is error kind reset, status kept", async () => {
  await withFault(startPartialServer, async (s) => {
    const out = await sendOnce({ method: "GET", url: s.url, timeoutMs: 5000 });
    assert.equal(out.error, "reset");
    assert.equal(out.status, 200);
    assert.ok(Number.isFinite(out.waiting));
  });
});

Deno.test("TLS to a server that does not speak it is error kind tls", async () => {
  await withTarget(async (url) => {
    const https = url.replace("http:", "https:") + "/";
    const out = await sendOnce({ method: "GET", url: https, timeoutMs: 5000 });
    assert.equal(out.error, "tls");
    const insecure = await sendOnce(
      { method: "GET", url: https, timeoutMs: 5000 },
      undefined,
      engine.createClient({ insecure: true }),
    );
    assert.ok(insecure.errorMessage.endsWith(INSECURE_HINT));
  });
});

Deno.test("the caller's abort is error kind aborted, before or during the response", async () => {
  await withFault(startSilentServer, async (s) => {
    const ctrl = new AbortController();
    const pending = sendOnce({ method: "GET", url: s.url, timeoutMs: 10_000 }, ctrl.signal);
    setTimeout(() => ctrl.abort(), 100);
    assert.equal((await pending).error, "aborted");
    assert.equal(
      (await sendOnce({ method: "GET", url: s.url }, AbortSignal.abort())).error,
      "aborted",
    );
  });
  await withTarget(async (url) => {
    // Abort once the response head is in (the engine sets status before reading the body),
    // so "during the body" does not depend on how fast this machine is.
    const client = engine.createClient({});
    const out = createOutcome();
    const ctrl = new AbortController();
    const req = engine.prepare({ method: "GET", url: `${url}/stall`, timeoutMs: 10_000 });
    const pending = client.send(req, out, ctrl.signal);
    try {
      while (out.status === 0 && out.error === null) await sleep(5);
      ctrl.abort();
      await pending;
    } finally {
      client.close();
    }
    assert.equal(out.error, "aborted");
    assert.equal(out.status, 200);
  });
});

Deno.test("closing a client aborts its requests in flight and refuses new ones", async () => {
  await withFault(startSilentServer, async (s) => {
    const client = engine.createClient({});
    const req = engine.prepare({ method: "GET", url: s.url, timeoutMs: 10_000 });
    const out = createOutcome();
    const pending = client.send(req, out);
    setTimeout(() => client.close(), 100);
    await pending;
    assert.equal(out.error, "aborted");
    const late = createOutcome();
    await client.send(req, late);
    assert.equal(late.error, "aborted");
  });
});
