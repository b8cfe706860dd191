/**
 * `ctx.http` against a real nginx (Debian's nginx-light), on each engine: nginx's own gzip
 * output is decoded by `text()`, and its directory redirect (301 to the trailing slash) is
 * followed, with the hop recorded. HTTP/2 runs against nginx's h2c port.
 */

import { equal, ok } from "node:assert/strict";
import { createHttpApi } from "../../../engines/http/api.ts";
import { httpEngine } from "../../../engines/http/protocol.ts";
import { hasNginx, startNginx } from "../../../tools/testing/nginx.ts";
import { testVu } from "../_vu.ts";

const haveNginx = hasNginx();
if (!haveNginx) console.warn("nginx is not installed: nginx semantics tests skipped");

for (const engine of ["http1", "fetch", "http2"]) {
  Deno.test({
    name: `${engine}: nginx's gzip body is decoded and its directory redirect followed`,
    ignore: !haveNginx,
    async fn() {
      const n = await startNginx({ http2: engine === "http2" });
      const t = testVu([], { engine });
      const http = createHttpApi(() => t.vu, httpEngine);
      try {
        await Deno.mkdir(`${n.dir}/static/sub`);
        await Deno.writeTextFile(`${n.dir}/static/sub/index.html`, "sub index\n");
        const base = `http://127.0.0.1:${n.port}`;

        const gz = await http.get(`${base}/gzip`, { headers: { "Accept-Encoding": "gzip" } });
        equal(gz.status, 200);
        equal(gz.headers.get("content-encoding"), "gzip");
        equal(gz.text(), "compress me please ".repeat(20));

        const dir = await http.get(`${base}/static/sub`);
        equal(dir.status, 200);
        equal(dir.text(), "sub index\n");
        ok(dir.url.endsWith("/static/sub/"), dir.url);
        equal(t.sum("http_reqs", { name: `${base}/static/sub`, status: "301" }), 1);
        equal(t.sum("http_reqs", { name: `${base}/static/sub/`, status: "200" }), 1);
      } finally {
        const slot = t.vu.slots.get("http") as { client: { close(): void } | null } | undefined;
        slot?.client?.close();
        await n.stop();
      }
    },
  });
}
