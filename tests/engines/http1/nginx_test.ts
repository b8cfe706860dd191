/**
 * The http1 client against a real nginx (Debian's nginx-light) started privately on loopback:
 * sustained keep-alive, gzip'd chunked bodies, HEAD, 204, 304, nginx closing a connection
 * after keepalive_requests, and TLS with a test CA. Skipped with a message when nginx is not
 * installed.
 */

import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { createOutcome, type Outcome } from "../../../engines/http/types.ts";
import { createHttp1Engine } from "../../../engines/http1/mod.ts";
import { hasNginx, type NginxInstance, startNginx } from "../../../tools/testing/nginx.ts";
import { TEST_CA_CERT, TEST_SERVER_TLS } from "./_tls_fixtures.ts";

const engine = createHttp1Engine();
const skip = !hasNginx();
if (skip) {
  console.log("SKIP nginx tests: /usr/sbin/nginx not installed (apt-get install nginx-light)");
}

async function get(
  client: ReturnType<typeof engine.createClient>,
  url: string,
  opts: { method?: string; headers?: [string, string][] } = {},
): Promise<Outcome> {
  const out = createOutcome();
  const req = engine.prepare({
    method: opts.method ?? "GET",
    url,
    headers: opts.headers,
    keepResponse: true,
  });
  await client.send(req, out);
  return out;
}

async function withNginx(
  opts: Parameters<typeof startNginx>[0],
  fn: (n: NginxInstance) => Promise<void>,
): Promise<void> {
  const n = await startNginx(opts);
  try {
    await fn(n);
  } finally {
    await n.stop();
  }
}

Deno.test({
  name: "nginx: 200 requests share one connection and read the 13-byte body",
  ignore: skip,
  fn: () =>
    withNginx({}, async (n) => {
      const client = engine.createClient({ maxConnections: 1 });
      const url = `http://127.0.0.1:${n.port}/`;
      let connected = 0;
      for (let i = 0; i < 200; i++) {
        const out = await get(client, url);
        deepStrictEqual([out.error, out.status, out.body!.length], [null, 200, 13]);
        if (out.connecting !== 0) connected++;
      }
      equal(connected, 1);
      client.close();
    }),
});

Deno.test({
  name: "nginx: gzip'd chunked body, HEAD, 204 and 304 on one connection",
  ignore: skip,
  fn: () =>
    withNginx({}, async (n) => {
      const client = engine.createClient({ maxConnections: 1 });
      const base = `http://127.0.0.1:${n.port}`;
      const gz = await get(client, `${base}/gzip`, { headers: [["Accept-Encoding", "gzip"]] });
      equal(gz.headers!.get("transfer-encoding"), "chunked");
      const plain = await new Response(
        new Blob([gz.body!.slice()]).stream().pipeThrough(new DecompressionStream("gzip")),
      ).text();
      equal(plain, "compress me please ".repeat(20));

      const head = await get(client, `${base}/static/hello.txt`, { method: "HEAD" });
      deepStrictEqual([head.status, head.body!.length], [200, 0]);
      equal(head.headers!.get("content-length"), "13");
      const modified = head.headers!.get("last-modified")!;

      const empty = await get(client, `${base}/empty`);
      deepStrictEqual([empty.status, empty.body!.length], [204, 0]);

      const cached = await get(client, `${base}/static/hello.txt`, {
        headers: [["If-Modified-Since", modified]],
      });
      deepStrictEqual([cached.status, cached.body!.length], [304, 0]);

      const missing = await get(client, `${base}/nope`);
      deepStrictEqual([missing.status, missing.error], [404, null]);
      const all = [gz, head, empty, cached, missing];
      equal(all.filter((o) => o.connecting !== 0).length, 1, "one connection for all");
      client.close();
    }),
});

Deno.test({
  name: "nginx: Connection: close after keepalive_requests is followed transparently",
  ignore: skip,
  fn: () =>
    withNginx({ keepaliveRequests: 3 }, async (n) => {
      const client = engine.createClient({ maxConnections: 1 });
      const outs: Outcome[] = [];
      for (let i = 0; i < 7; i++) outs.push(await get(client, `http://127.0.0.1:${n.port}/`));
      deepStrictEqual(outs.map((o) => o.status), [200, 200, 200, 200, 200, 200, 200]);
      equal(outs[2].headers!.get("connection"), "close");
      equal(outs.filter((o) => o.connecting !== 0).length, 3);
      client.close();
    }),
});

Deno.test({
  name: "nginx: HTTPS with the test CA, insecure without it, and a TLS error otherwise",
  ignore: skip,
  fn: () =>
    withNginx({ tls: TEST_SERVER_TLS }, async (n) => {
      const url = `https://localhost:${n.tlsPort}/`;
      const trusted = createHttp1Engine({ caCerts: [TEST_CA_CERT] }).createClient({});
      const first = await get(trusted, url);
      deepStrictEqual([first.error, first.status, first.body!.length], [null, 200, 13]);
      ok(first.tls > 0 && first.dns >= 0);
      const second = await get(trusted, url);
      deepStrictEqual([second.status, second.tls, second.connecting], [200, 0, 0]);
      trusted.close();

      const insecure = engine.createClient({ insecure: true });
      const out = await get(insecure, `https://127.0.0.1:${n.tlsPort}/`);
      deepStrictEqual([out.error, out.status], [null, 200]);
      equal((await get(insecure, `https://127.0.0.1:${n.tlsPort}/`)).tls, 0);
      insecure.close();

      const strict = engine.createClient({});
      const refused = await get(strict, url);
      deepStrictEqual([refused.error, refused.status], ["tls", 0]);
      strict.close();
    }),
});
