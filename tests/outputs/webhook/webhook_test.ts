import assert from "node:assert/strict";
import { builtSummary, recordRun } from "../console/_fixture.ts";
import { signBody } from "../../../outputs/webhook/mod.ts";
import { createOutput } from "../../../outputs/registry.ts";
import { startHttp } from "../_servers.ts";

Deno.test({
  name: "webhook: intervals and the summary, signed, retried after a 503",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const got: { event: string; body: string; sig: string | null }[] = [];
    let calls = 0;
    const server = startHttp(async (req) => {
      const body = await req.text();
      if (++calls === 2) return new Response("try later", { status: 503 });
      got.push({
        event: req.headers.get("x-rampa-event") ?? "",
        body,
        sig: req.headers.get("x-rampa-signature"),
      });
      return new Response(null, { status: 204 });
    });
    try {
      const f = recordRun();
      const summary = builtSummary(f);
      const errs: string[] = [];
      const secret = "whsec-very-secret";
      const out = createOutput(`webhook=${server.url}/hook?interval=10s&required=true`, {
        color: false,
        quiet: true,
        tty: false,
        targetRate: null,
        env: { get: (k) => (k === "RAMPA_WEBHOOK_SECRET" ? secret : undefined) },
        writeErr: (t) => errs.push(t),
      }) as ReturnType<typeof createOutput> & { stats(): Record<string, unknown> };
      assert.ok(!out.describe().includes(secret));
      await out.start({ startedAt: new Date(), plannedDurationMs: 30_000, scenarios: [] });
      for (const tick of f.ticks) out.push(tick);
      await out.stop(summary);
      assert.deepEqual(got.map((g) => g.event), ["interval", "interval", "interval", "summary"]);
      for (const g of got) assert.equal(g.sig, `sha256=${await signBody(secret, g.body)}`);
      assert.deepEqual(JSON.parse(got[3].body), JSON.parse(JSON.stringify(summary)));
      const reqs = got.slice(0, 3).flatMap((g) => JSON.parse(g.body).series)
        .filter((s: { metric: string }) => s.metric === "http_reqs")
        .reduce((a: number, s: { value: number }) => a + s.value, 0);
      assert.equal(
        reqs,
        summary.metrics.http_reqs.type === "counter" ? summary.metrics.http_reqs.count : 0,
      );
      const stats = out.stats();
      assert.equal(stats.sent, 4);
      assert.equal(stats.failed, 1);
      assert.equal(stats.dropped, 0);
      assert.equal(errs.length, 1);
      assert.match(errs[0], /failing: HTTP 503: try later; retrying 3 time\(s\)/);
      assert.ok(!errs[0].includes(secret));
    } finally {
      await server.stop();
    }
  },
});
