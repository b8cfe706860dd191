/**
 * The http1 client against Deno.serve on 127.0.0.1: keep-alive reuse, kept responses, bodies,
 * timeouts, aborts, the connection cap and its `blocked` phase, several origins per client.
 */

import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createOutcome, type Outcome } from "../../../engines/http/types.ts";
import { createHttp1Engine } from "../../../engines/http1/mod.ts";

const engine = createHttp1Engine();

interface TestServer {
  url: string;
  /** Distinct client ports seen: one per connection. */
  peers: Set<number>;
  release: () => void;
  close: () => Promise<void>;
}

/** Deno.serve with a few routes; `/hold` waits until `release()` (or 5 s at most). */
function serve(): TestServer {
  const peers = new Set<number>();
  let release!: () => void;
  const held = new Promise<void>((r) => release = r);
  const safety = setTimeout(() => release(), 5000); // bound every test in time
  const big = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req, info) => {
      peers.add(info.remoteAddr.port);
      const path = new URL(req.url).pathname;
      if (path === "/echo") return new Response(await req.arrayBuffer(), { status: 201 });
      if (path === "/big") return new Response(big);
      if (path === "/hold") {
        await held;
        return new Response("held");
      }
      if (path === "/slow") {
        await new Promise((r) => setTimeout(r, 30));
        return new Response("slow");
      }
      return new Response("hello\n", { headers: { "x-test": "yes" } });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    peers,
    release: () => release(),
    close: async () => {
      clearTimeout(safety);
      release();
      await server.shutdown();
    },
  };
}

async function send(
  client: ReturnType<typeof engine.createClient>,
  url: string,
  opts: { method?: string; body?: string; keep?: boolean; timeoutMs?: number } = {},
  signal?: AbortSignal,
): Promise<Outcome> {
  const req = engine.prepare({
    method: opts.method ?? "GET",
    url,
    body: opts.body,
    keepResponse: opts.keep ?? true,
    timeoutMs: opts.timeoutMs,
  });
  const out = createOutcome();
  await client.send(req, out, signal);
  return out;
}

Deno.test("client: requests reuse one keep-alive connection and report reuse as 0 ms phases", async () => {
  const s = serve();
  const client = engine.createClient({ maxConnections: 1 });
  try {
    const first = await send(client, `${s.url}/`);
    equal(first.error, null, first.errorMessage);
    equal(first.status, 200);
    equal(new TextDecoder().decode(first.body!), "hello\n");
    equal(first.headers!.get("X-Test"), "yes");
    for (const phase of ["dns", "connecting", "sending", "waiting", "receiving"] as const) {
      ok(first[phase] >= 0, `${phase} observed on a new connection`);
    }
    equal(first.tls, 0);
    for (let i = 0; i < 5; i++) {
      const again = await send(client, `${s.url}/`, { keep: false });
      equal(again.status, 200);
      deepStrictEqual([again.dns, again.connecting, again.tls, again.blocked], [0, 0, 0, 0]);
      deepStrictEqual([again.headers, again.body], [null, null]);
      ok(again.started <= again.ended);
    }
    equal(s.peers.size, 1);
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("client: POST bodies are sent with Content-Length and echoed back", async () => {
  const s = serve();
  const client = engine.createClient({});
  try {
    const out = await send(client, `${s.url}/echo`, { method: "POST", body: "ping ✓" });
    equal(out.status, 201);
    equal(new TextDecoder().decode(out.body!), "ping ✓");
    const empty = await send(client, `${s.url}/echo`, { method: "POST" });
    deepStrictEqual([empty.status, empty.body!.length], [201, 0]);
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("client: a 1 MiB body arrives intact; HEAD gets no body", async () => {
  const s = serve();
  const client = engine.createClient({ maxConnections: 1 });
  try {
    const big = await send(client, `${s.url}/big`);
    equal(big.body!.length, 1024 * 1024);
    ok(big.body!.every((b, i) => b === i % 251));
    ok(big.bytesReceived > 1024 * 1024);
    const head = await send(client, `${s.url}/big`, { method: "HEAD" });
    deepStrictEqual([head.status, head.body!.length, head.error], [200, 0, null]);
    const after = await send(client, `${s.url}/`);
    equal(after.status, 200);
    equal(s.peers.size, 1);
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("client: a request past its timeout fails as timeout and its connection is replaced", async () => {
  const s = serve();
  const client = engine.createClient({ maxConnections: 1 });
  try {
    const out = await send(client, `${s.url}/hold`, { timeoutMs: 100 });
    deepStrictEqual([out.error, out.status], ["timeout", 0]);
    ok(out.ended >= out.started);
    s.release();
    const next = await send(client, `${s.url}/`);
    deepStrictEqual([next.error, next.status], [null, 200]);
    equal(s.peers.size, 2);
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("client: the caller's signal aborts in flight and before sending", async () => {
  const s = serve();
  const client = engine.createClient({});
  try {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const out = await send(client, `${s.url}/hold`, {}, ctl.signal);
    equal(out.error, "aborted");
    const pre = await send(client, `${s.url}/`, {}, ctl.signal);
    deepStrictEqual([pre.error, pre.bytesSent], ["aborted", 0]);
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("client: past maxConnections sends wait for a free connection (blocked)", async () => {
  const s = serve();
  const client = engine.createClient({ maxConnections: 2 });
  try {
    const outs = await Promise.all(Array.from({ length: 8 }, () => send(client, `${s.url}/slow`)));
    for (const o of outs) deepStrictEqual([o.error, o.status], [null, 200]);
    ok(s.peers.size <= 2, `opened ${s.peers.size} connections`);
    ok(outs.filter((o) => o.blocked > 0).length >= 6, "six sends had to wait");
    ok(outs.every((o) => o.blocked >= 0));
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("client: a blocked send times out while waiting", async () => {
  const s = serve();
  const client = engine.createClient({ maxConnections: 1 });
  try {
    const holding = send(client, `${s.url}/hold`);
    const waiting = await send(client, `${s.url}/`, { timeoutMs: 50 });
    deepStrictEqual([waiting.error, waiting.bytesSent], ["timeout", 0]);
    ok(waiting.blocked > 0);
    s.release();
    equal((await holding).status, 200);
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("client: one client serves several origins within its cap", async () => {
  const a = serve(), b = serve();
  const client = engine.createClient({ maxConnections: 1 });
  try {
    for (let i = 0; i < 4; i++) {
      const out = await send(client, `${i % 2 === 0 ? a.url : b.url}/`);
      deepStrictEqual([out.error, out.status], [null, 200]);
    }
    const both = await Promise.all([send(client, `${a.url}/`), send(client, `${b.url}/`)]);
    deepStrictEqual(both.map((o) => o.status), [200, 200]);
  } finally {
    client.close();
    await a.close();
    await b.close();
  }
});

Deno.test("client: a closed client fails sends instead of throwing", async () => {
  const s = serve();
  const client = engine.createClient({});
  client.close();
  const out = await send(client, `${s.url}/`);
  equal(out.error, "other");
  await s.close();
});

Deno.test("client: a request not prepared by this engine is an error value", async () => {
  const client = engine.createClient({});
  const out = createOutcome();
  const url = new URL("http://127.0.0.1:1/");
  const foreign = { method: "GET", url, headers: [], body: null, timeoutMs: 1000, name: "x" };
  await client.send({ ...foreign, keepResponse: false }, out);
  equal(out.error, "other");
  client.close();
});

Deno.test("client: closing a client ends its in-flight requests as aborted", async () => {
  const s = serve();
  const client = engine.createClient({ maxConnections: 1 });
  try {
    const inFlight = send(client, `${s.url}/hold`);
    const waiting = send(client, `${s.url}/`);
    await new Promise((r) => setTimeout(r, 50));
    client.close();
    deepStrictEqual([(await inFlight).error, (await waiting).error], ["aborted", "aborted"]);
  } finally {
    await s.close();
  }
});
