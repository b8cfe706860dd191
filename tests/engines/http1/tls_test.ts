/**
 * The http1 client over TLS against Deno.serve (always available, unlike nginx): trust via
 * `caCerts`, `insecure` through node:tls, certificate failures as "tls", and timeouts and
 * refusals on the insecure path, whose socket is a node:tls adapter rather than a Deno.Conn.
 */

import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createOutcome, type Outcome } from "../../../engines/http/types.ts";
import { createHttp1Engine } from "../../../engines/http1/mod.ts";
import { refusedPort } from "../../_servers/faults.ts";
import { TEST_CA_CERT, TEST_SERVER_TLS } from "./_tls_fixtures.ts";

function serveTls(): { port: number; release: () => void; close: () => Promise<void> } {
  let release!: () => void;
  const held = new Promise<void>((r) => release = r);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {}, ...TEST_SERVER_TLS },
    async (req) => {
      if (new URL(req.url).pathname === "/hold") await held;
      return new Response("secure hello");
    },
  );
  return {
    port: server.addr.port,
    release: () => release(),
    close: async () => {
      release();
      await server.shutdown();
    },
  };
}

async function get(
  client: ReturnType<ReturnType<typeof createHttp1Engine>["createClient"]>,
  url: string,
  timeoutMs = 5000,
): Promise<Outcome> {
  const engine = createHttp1Engine();
  const out = createOutcome();
  await client.send(engine.prepare({ method: "GET", url, keepResponse: true, timeoutMs }), out);
  return out;
}

Deno.test("tls: a certificate from a CA in caCerts is trusted, by name and by IP", async () => {
  const s = serveTls();
  const client = createHttp1Engine({ caCerts: [TEST_CA_CERT] }).createClient({});
  try {
    for (const host of ["localhost", "127.0.0.1"]) {
      const out = await get(client, `https://${host}:${s.port}/`);
      deepStrictEqual([out.error, out.status], [null, 200], out.errorMessage);
      equal(new TextDecoder().decode(out.body!), "secure hello");
      ok(out.tls > 0 && out.connecting >= 0);
    }
    const reused = await get(client, `https://localhost:${s.port}/`);
    deepStrictEqual([reused.tls, reused.connecting, reused.dns], [0, 0, 0]);
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("tls: an untrusted certificate fails as tls; insecure accepts it", async () => {
  const s = serveTls();
  const strict = createHttp1Engine().createClient({});
  const insecure = createHttp1Engine().createClient({ insecure: true });
  try {
    const bad = await get(strict, `https://localhost:${s.port}/`);
    deepStrictEqual([bad.error, bad.status], ["tls", 0]);
    ok(bad.errorMessage.length > 0);
    for (let i = 0; i < 3; i++) {
      const out = await get(insecure, `https://localhost:${s.port}/`);
      deepStrictEqual([out.error, out.status], [null, 200], out.errorMessage);
      equal(new TextDecoder().decode(out.body!), "secure hello");
      if (i === 0) ok(out.tls > 0);
      else equal(out.tls, 0);
    }
  } finally {
    strict.close();
    insecure.close();
    await s.close();
  }
});

Deno.test("tls: insecure clients time out and see refusals like native ones", async () => {
  const s = serveTls();
  const client = createHttp1Engine().createClient({ insecure: true });
  try {
    const slow = await get(client, `https://127.0.0.1:${s.port}/hold`, 100);
    equal(slow.error, "timeout");
    s.release();
    equal((await get(client, `https://127.0.0.1:${s.port}/`)).status, 200);
    const refused = await get(client, `https://127.0.0.1:${await refusedPort()}/`);
    equal(refused.error, "refused");
  } finally {
    client.close();
    await s.close();
  }
});

Deno.test("tls: speaking TLS to a plain HTTP server is a tls error", async () => {
  const plain = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("x"),
  );
  const client = createHttp1Engine().createClient({});
  try {
    const out = await get(client, `https://127.0.0.1:${plain.addr.port}/`);
    equal(out.error, "tls");
  } finally {
    client.close();
    await plain.shutdown();
  }
});
