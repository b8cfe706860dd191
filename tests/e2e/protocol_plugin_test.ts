import { equal, match, ok } from "node:assert/strict";
import { readSummary, ROOT, runCli } from "./_cli.ts";

const SCENARIO = ROOT + "tests/_support/line_protocol/scenario.ts";

/** A line-echo server rampa did not write: Deno.listen, echoing each line back. */
function echoServer() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      conn.readable.pipeTo(conn.writable).catch(() => {}).finally(() => conns.delete(conn));
    }
  })().catch(() => {});
  return {
    addr: `127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    close: () => {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
    },
  };
}

for (const workers of ["1", "2"]) {
  Deno.test(`a protocol registered from outside core runs on ${workers} worker(s) and shows in console, JSON and HTML`, async () => {
    const server = echoServer();
    const dir = await Deno.makeTempDir();
    try {
      const r = await runCli(
        [
          "run",
          SCENARIO,
          "--workers",
          workers,
          "-e",
          `LINE_ADDR=${server.addr}`,
          "--out",
          "html=report.html",
        ],
        dir,
      );
      equal(r.code, 0, r.stderr + r.stdout);
      const s = await readSummary(`${dir}/rampa-summary.json`);
      const reqs = s.metrics.line_reqs;
      ok(reqs?.type === "counter", "line_reqs in the JSON summary");
      equal(reqs.count, 40);
      const failed = s.metrics.line_req_failed;
      ok(failed?.type === "rate");
      equal(failed.passes, 0, "no line failed");
      const dur = s.metrics.line_req_duration;
      ok(dur?.type === "trend" && dur.count === 40);
      const checks = s.checks.find((c) => c.name === "echoed the line");
      equal(checks?.passes, 40);
      ok(s.sections?.some((x) => x.protocol === "line" && x.title === "Line echo"));
      // Its request family feeds the endpoint list like HTTP's does.
      equal(s.endpoints.find((e) => e.name === server.addr)?.requests, 40);
      match(r.stdout, /line echo/);
      match(r.stdout, /line_req_duration/);
      const html = await Deno.readTextFile(`${dir}/report.html`);
      match(html, /<h2>Line echo<\/h2>/);
      match(html, /line_req_duration/);
    } finally {
      server.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
