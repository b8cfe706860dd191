/**
 * The http1 client against servers that write exact bytes (tests/engines/http1/_raw.ts) and
 * against the shared fault servers: stale keep-alive retry, Connection: close, interim 1xx,
 * HTTP/1.0, dribbled responses, exact byte counts, and every error kind a server can cause.
 */

import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createOutcome, type Outcome } from "../../../engines/http/types.ts";
import { createHttp1Engine } from "../../../engines/http1/mod.ts";
import {
  refusedPort,
  startMalformedServer,
  startPartialServer,
  startResetServer,
  startSilentServer,
} from "../../_servers/faults.ts";
import { ok as okResponse, startRawServer } from "./_raw.ts";

const engine = createHttp1Engine();

async function get(
  client: ReturnType<typeof engine.createClient>,
  url: string,
  timeoutMs = 5000,
): Promise<Outcome> {
  const out = createOutcome();
  await client.send(engine.prepare({ method: "GET", url, keepResponse: true, timeoutMs }), out);
  return out;
}

const text = (o: Outcome): string => new TextDecoder().decode(o.body!);

Deno.test("raw: a keep-alive connection closed while idle is retried once on a fresh one", async () => {
  let firstDone!: () => void;
  const closed = new Promise<void>((r) => firstDone = r);
  const server = startRawServer(async (c) => {
    await c.readHead();
    await c.write(okResponse(`conn${c.index}`));
    if (c.index === 0) {
      c.conn.close(); // no Connection: close header: the client believes it may reuse
      firstDone();
    }
    while (c.index > 0 && await c.readHead() !== null) await c.write(okResponse("more"));
  });
  const client = engine.createClient({ maxConnections: 1 });
  try {
    equal(text(await get(client, server.url)), "conn0");
    await closed;
    await new Promise((r) => setTimeout(r, 20)); // let the FIN arrive
    const retried = await get(client, server.url);
    deepStrictEqual([retried.error, retried.status, text(retried)], [null, 200, "conn1"]);
    // Both writes count when the stale one reached the kernel; a broken pipe counts once.
    const len = new TextEncoder().encode(server.requests[0]).length;
    ok([len, 2 * len].includes(retried.bytesSent), `bytesSent ${retried.bytesSent}`);
    equal(server.accepted(), 2);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: Connection: close is honoured, the next request opens a new connection", async () => {
  const server = startRawServer(async (c) => {
    await c.readHead();
    await c.write(okResponse("bye", "Connection: close\r\n"));
  });
  const client = engine.createClient({ maxConnections: 1 });
  try {
    for (let i = 0; i < 3; i++) equal(text(await get(client, server.url)), "bye");
    equal(server.accepted(), 3);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: interim 1xx responses are skipped and counted in bytesReceived", async () => {
  const interim = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n";
  const final = okResponse("done");
  const server = startRawServer(async (c) => {
    while (await c.readHead() !== null) await c.write(interim + final);
  });
  const client = engine.createClient({});
  try {
    const out = await get(client, server.url);
    deepStrictEqual([out.status, text(out), out.bytesReceived], [
      200,
      "done",
      (interim + final).length,
    ]);
    equal(out.bytesSent, new TextEncoder().encode(server.requests[0]).length);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: an HTTP/1.0 close-delimited body ends at EOF and is not reused", async () => {
  const server = startRawServer(async (c) => {
    await c.readHead();
    await c.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold school");
  });
  const client = engine.createClient({ maxConnections: 1 });
  try {
    for (let i = 0; i < 2; i++) {
      const out = await get(client, server.url);
      deepStrictEqual([out.error, out.status, text(out)], [null, 200, "old school"]);
    }
    equal(server.accepted(), 2);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: a response dribbled byte by byte parses whole", async () => {
  const response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  const server = startRawServer(async (c) => {
    c.conn.setNoDelay(true);
    await c.readHead();
    for (const ch of response) {
      await c.write(ch);
      await new Promise((r) => setTimeout(r, 1));
    }
    await c.readHead();
  });
  const client = engine.createClient({});
  try {
    const out = await get(client, server.url);
    deepStrictEqual([out.error, out.status, text(out), out.bytesReceived], [
      null,
      200,
      "abc",
      response.length,
    ]);
    ok(out.receiving >= 0 && out.waiting >= 0);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("raw: bytes beyond the response make the connection unusable", async () => {
  const server = startRawServer(async (c) => {
    while (await c.readHead() !== null) await c.write(okResponse("a") + "JUNK");
  });
  const client = engine.createClient({ maxConnections: 1 });
  try {
    equal(text(await get(client, server.url)), "a");
    equal(text(await get(client, server.url)), "a");
    equal(server.accepted(), 2);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("faults: each failing server yields its error kind, never a throw", async () => {
  const client = engine.createClient({});
  try {
    const refused = await get(client, `http://127.0.0.1:${await refusedPort()}/`);
    deepStrictEqual([refused.error, refused.status], ["refused", 0]);
    ok(refused.errorMessage.length > 0);

    const silent = await startSilentServer();
    const timeout = await get(client, silent.url, 150);
    await silent.close();
    equal(timeout.error, "timeout");

    const rst = await startResetServer();
    equal((await get(client, rst.url)).error, "reset");
    await rst.close();

    const fin = await startResetServer({ abortive: false });
    equal((await get(client, fin.url)).error, "reset");
    await fin.close();

    const malformed = await startMalformedServer();
    const bad = await get(client, malformed.url);
    await malformed.close();
    deepStrictEqual([bad.error, bad.status], ["malformed", 0]);

    const partial = await startPartialServer();
    const short = await get(client, partial.url);
    await partial.close();
    deepStrictEqual([short.error, short.status], ["reset", 0]);
  } finally {
    client.close();
  }
});
