/**
 * The http1 pool against a raw server on 127.0.0.1, which sees connections (not only
 * requests): warm() opens connections without sending anything, within the cap, and sends reuse
 * them; idle connections past idleTimeoutMs are reaped, except the minIdle and warmed floors.
 */

import { equal } from "node:assert/strict";
import { createOutcome, type EngineClient, type Outcome } from "../../../engines/http/types.ts";
import {
  createHttp1Engine,
  Http1Client,
  MAX_DIALS_IN_FLIGHT,
  TOP_UP_PER_SWEEP,
} from "../../../engines/http1/mod.ts";
import { unwatch } from "../../../engines/http1/sweeper.ts";
import { ok as okResponse, type RawServer, startRawServer } from "./_raw.ts";

const engine = createHttp1Engine();

interface PoolServer {
  readonly raw: RawServer;
  /** Client ports of the connections accepted: one per connection. */
  readonly ports: Set<number>;
  /** Connections the client closed. */
  readonly closed: () => number;
  /** Answers the requests to `/hold` held so far. */
  release(): void;
  close(): Promise<void>;
}

/** A keep-alive server; `/hold` is answered only after `release()` (or 5 s at most). */
function poolServer(): PoolServer {
  const ports = new Set<number>();
  let closed = 0;
  let release!: () => void;
  const held = new Promise<void>((r) => release = r);
  const safety = setTimeout(() => release(), 5000); // bound every test in time
  const raw = startRawServer(async (c) => {
    ports.add(c.conn.remoteAddr.port);
    try {
      while (true) {
        const head = await c.readHead();
        if (head === null) return;
        if (head.startsWith("GET /hold ")) await held;
        await c.write(okResponse("hi"));
      }
    } finally {
      closed++;
    }
  });
  return {
    raw,
    ports,
    closed: () => closed,
    release: () => release(),
    close: async () => {
      clearTimeout(safety);
      release();
      await raw.close();
    },
  };
}

/** Polls `cond` until it holds or 5 s pass (the server sees connections a moment later). */
async function until(cond: () => boolean): Promise<void> {
  const end = performance.now() + 5000;
  while (!cond() && performance.now() < end) await sleep(20);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function get(url: string) {
  return engine.prepare({ method: "GET", url, timeoutMs: 5000 });
}

/** Sends `n` requests at once. */
async function sendAll(client: EngineClient, url: string, n: number): Promise<Outcome[]> {
  const req = get(url);
  const outs = Array.from({ length: n }, () => createOutcome());
  await Promise.all(outs.map((o) => client.send(req, o)));
  for (const o of outs) equal(o.error, null, o.errorMessage);
  return outs;
}

Deno.test("pool: warm opens connections without requests, and sends reuse them", async () => {
  const s = poolServer();
  const client: EngineClient = engine.createClient({});
  try {
    equal(await client.warm?.(get(s.raw.url), 8), 8);
    await until(() => s.ports.size === 8);
    equal(s.ports.size, 8);
    equal(s.raw.requests.length, 0);
    const outs = await sendAll(client, s.raw.url, 8);
    for (const o of outs) {
      equal(o.status, 200);
      equal(o.connecting, 0); // reused: no connect phase
    }
    equal(s.raw.accepted(), 8);
    equal(s.raw.requests.length, 8);
    // Already warm: nothing more is opened.
    equal(await client.warm?.(get(s.raw.url), 8), 8);
    equal(s.raw.accepted(), 8);
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("pool: warm never exceeds the cap, counting the connections already open", async () => {
  const a = poolServer();
  const b = poolServer();
  const client = new Http1Client({ maxConnections: 4 });
  try {
    equal(await client.warm(get(a.raw.url), 2), 2);
    equal(await client.warm(get(a.raw.url), 8), 4);
    // The cap is full: another origin gets nothing (warm evicts no idle connection).
    equal(await client.warm(get(b.raw.url), 2), 0);
    await until(() => a.raw.accepted() === 4);
    equal(a.raw.accepted(), 4);
    equal(b.raw.accepted(), 0);
    await sendAll(client, a.raw.url, 4);
    equal(a.raw.accepted(), 4);
  } finally {
    client.close();
    await a.close();
    await b.close();
  }
});

Deno.test("pool: warm against a refused port resolves 0 and frees its slots", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  const s = poolServer();
  const client = new Http1Client({ maxConnections: 2 });
  try {
    equal(await client.warm(get(`http://127.0.0.1:${port}/`), 2), 0);
    equal(await client.warm(get(s.raw.url), 2), 2);
  } finally {
    client.close();
    await s.close();
  }
});

/** Opens `n` connections by holding `n` concurrent requests, then lets them all go idle. */
async function burst(client: EngineClient, s: PoolServer, n: number): Promise<void> {
  const sent = sendAll(client, `${s.raw.url}hold`, n);
  await until(() => s.raw.requests.length >= n);
  s.release();
  await sent;
}

Deno.test("pool: idle connections past idleTimeoutMs are reaped down to minIdle", async () => {
  const s = poolServer();
  const client = new Http1Client({ idleTimeoutMs: 200, minIdle: 2 });
  try {
    await burst(client, s, 6);
    equal(s.raw.accepted(), 6);
    await until(() => s.closed() === 4);
    equal(s.closed(), 4);
    await sleep(700); // longer than the timeout and the reap interval: still minIdle left
    equal(s.closed(), 4);
    equal(await client.warm(get(s.raw.url), 0), 2);
    await sendAll(client, s.raw.url, 2);
    equal(s.raw.accepted(), 6);
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("pool: a warmed pool is not reaped below its warmed count", async () => {
  const s = poolServer();
  const client = new Http1Client({ idleTimeoutMs: 200 });
  try {
    equal(await client.warm(get(s.raw.url), 3), 3);
    await burst(client, s, 6); // 3 warmed + 3 new, and 3 dialed ahead while all were busy
    await until(() => s.raw.accepted() === 9);
    equal(s.raw.accepted(), 9);
    await until(() => s.closed() === 6);
    equal(s.closed(), 6);
    await sleep(700);
    equal(s.closed(), 6);
    equal(await client.warm(get(s.raw.url), 0), 3);
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("pool: a warmed origin whose idle connections are all taken is topped up off the clock", async () => {
  const s = poolServer();
  const client = new Http1Client({});
  try {
    equal(await client.warm(get(s.raw.url), 4), 4);
    // Every warmed connection busy: the pool dials 4 more by itself, before any send needs one.
    const held = sendAll(client, `${s.raw.url}hold`, 4);
    await until(() => s.raw.accepted() === 8);
    equal(s.raw.accepted(), 8);
    equal(s.raw.requests.length, 4);
    // The next burst finds them ready: nothing is dialed inside a request.
    const outs = await sendAll(client, s.raw.url, 4);
    for (const o of outs) equal(o.connecting > 0, false);
    s.release();
    await held;
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("pool: dialing ahead is spread over sweeps, TOP_UP_PER_SWEEP at a time", async () => {
  const s = poolServer();
  const client = new Http1Client({});
  unwatch(client); // swept by hand below, so dials can be counted per tick
  const n = TOP_UP_PER_SWEEP * 3;
  try {
    equal(await client.warm(get(s.raw.url), n), n);
    const held = sendAll(client, `${s.raw.url}hold`, n);
    await until(() => s.raw.requests.length === n);
    // Every warmed connection busy: each tick dials a few, not the whole floor at once.
    for (const tick of [1, 2]) {
      client.sweep(performance.now());
      await until(() => s.raw.accepted() === n + tick * TOP_UP_PER_SWEEP);
      await sleep(50); // time for any dial past the per-tick limit to show up
      equal(s.raw.accepted(), n + tick * TOP_UP_PER_SWEEP);
    }
    // Idle is back above half the floor: no more dialing ahead.
    client.sweep(performance.now());
    await sleep(50);
    equal(s.raw.accepted(), n + 2 * TOP_UP_PER_SWEEP);
    s.release();
    await held;
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("pool: a burst dials at most MAX_DIALS_IN_FLIGHT at once; the rest wait for a slot", async () => {
  // https:// to a server that accepts and never answers the TLS hello: every dial hangs (until
  // the request's timeout), so the dials in flight can be counted at the server.
  const raw = startRawServer(async (c) => {
    const buf = new Uint8Array(4096);
    while ((await c.conn.read(buf).catch(() => null)) !== null) { /* never answer */ }
  });
  const client = new Http1Client({ insecure: true });
  const n = MAX_DIALS_IN_FLIGHT + 8;
  try {
    const req = engine.prepare({
      method: "GET",
      url: raw.url.replace("http:", "https:"),
      timeoutMs: 1500,
    });
    const outs = Array.from({ length: n }, () => createOutcome());
    const all = Promise.all(outs.map((o) => client.send(req, o)));
    await until(() => raw.accepted() >= MAX_DIALS_IN_FLIGHT);
    await sleep(200); // time for any dial past the limit to show up
    equal(raw.accepted(), MAX_DIALS_IN_FLIGHT);
    await all;
    for (const o of outs) equal(o.error, "timeout");
    // The 8 over the limit spent their time waiting for a slot, not dialing.
    equal(outs.filter((o) => o.blocked > 1000).length, 8);
  } finally {
    client.close();
    await raw.close();
  }
});

Deno.test("pool: with the default idle timeout, idle connections outlive a second", async () => {
  const s = poolServer();
  const client = new Http1Client({});
  try {
    await burst(client, s, 3);
    await sleep(1000);
    equal(s.closed(), 0);
    equal(await client.warm(get(s.raw.url), 0), 3);
  } finally {
    client.close();
    await s.close();
  }
});
