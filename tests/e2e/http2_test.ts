/**
 * `rampa run --engine http2` end to end: the real CLI against a private nginx speaking HTTP/2
 * over TLS with a throw-away self-signed certificate (hence `--insecure`). nginx's access log
 * is the witness that every request arrived as HTTP/2.0, multiplexed on a few connections.
 */
import { equal, ok } from "node:assert/strict";
import { hasNginx, startNginx } from "../../tools/testing/nginx.ts";
import { generateSelfSignedCert } from "../../tools/testing/tls_cert.ts";
import { count, readSummary, runCli } from "./_cli.ts";

const ignore = !hasNginx();
if (ignore) console.log("SKIP http2 e2e test: /usr/sbin/nginx not installed (nginx-light)");

Deno.test({
  name: "rampa run --engine http2 --insecure sends 400 requests as HTTP/2.0 on a few connections",
  ignore,
  fn: async () => {
    const n = await startNginx({
      http2: true,
      accessLog: true,
      tls: await generateSelfSignedCert(),
    });
    const dir = await Deno.makeTempDir({ prefix: "rampa-e2e-h2-" });
    try {
      const url = `https://127.0.0.1:${n.tlsPort}/`;
      const r = await runCli(
        ["run", url, "--engine", "http2", "--insecure", "--rate", "200/s", "-d", "2s"],
        dir,
      );
      equal(r.code, 0, r.stdout + r.stderr);
      const s = await readSummary(`${dir}/rampa-summary.json`);
      equal(count(s, "http_reqs"), 400);
      equal(s.statuses["200"], 400);
      equal(count(s, "http_req_failed"), 400, "a rate counts every request");
      const failed = s.metrics.http_req_failed;
      ok(failed.type === "rate" && failed.rate === 0, "none failed");
      const tls = s.metrics.http_req_tls_handshaking;
      ok(tls?.type === "trend", "the TLS phase is measured");
      const log = await n.accessLog();
      equal(log.length, 400);
      ok(log.every((e) => e.protocol === "HTTP/2.0" && e.status === 200));
      const connections = new Set(log.map((e) => e.connection)).size;
      // One per load thread by default: a handful at most, never one per request.
      ok(connections >= 1 && connections <= 4, `${connections} connections`);
    } finally {
      await n.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
