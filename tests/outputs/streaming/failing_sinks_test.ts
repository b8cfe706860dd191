import assert from "node:assert/strict";
import { builtSummary, recordRun } from "../console/_fixture.ts";
import { createPrometheusOutput } from "../../../outputs/prometheus/mod.ts";
import { createInfluxOutput } from "../../../outputs/influxdb/mod.ts";
import { RampaError } from "../../../core/errors.ts";
import { freePort, startHttp } from "../_servers.ts";

const f = recordRun();
const summary = builtSummary(f);
const info = { startedAt: new Date(Date.now() - 40_000), plannedDurationMs: 30_000, scenarios: [] };

Deno.test({
  name: "a dead, a failing and a slow sink: push never blocks, stop is bounded, drops counted",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fail500 = startHttp(() => new Response("boom", { status: 500 }));
    const slow = startHttp(async (req) => {
      await new Promise((r) => {
        const t = setTimeout(r, 10_000);
        req.signal.addEventListener("abort", () => {
          clearTimeout(t);
          r(null);
        });
      });
      return new Response("late");
    });
    const dead = `http://127.0.0.1:${freePort()}`;
    try {
      const warnings: string[] = [];
      const mk = (url: string, required = false) =>
        createPrometheusOutput(`http://user:s3cretpass@${url.slice(7)}/api/v1/write`, {
          intervalMs: 10_000,
          required,
          testId: "fail",
          attemptTimeoutMs: 1_000,
          flushTimeoutMs: 2_500,
          warn: (l) => warnings.push(l),
        });
      const outs = [mk(dead), mk(fail500.url), mk(slow.url), mk(fail500.url, true)];
      for (const o of outs) await o.start(info);
      let worstPush = 0;
      for (const tick of f.ticks) {
        for (const o of outs) {
          const t0 = performance.now();
          o.push(tick);
          worstPush = Math.max(worstPush, performance.now() - t0);
        }
      }
      const t0 = performance.now();
      const results = await Promise.allSettled(outs.map((o) => o.stop(summary)));
      const stopMs = performance.now() - t0;
      assert.ok(stopMs < 4_000, `stop took ${stopMs} ms`);
      assert.ok(worstPush < 50, `push took ${worstPush} ms`);
      assert.deepEqual(results.slice(0, 3).map((r) => r.status), [
        "fulfilled",
        "fulfilled",
        "fulfilled",
      ]);
      const req = results[3];
      assert.ok(req.status === "rejected" && req.reason instanceof RampaError);
      assert.equal((req.reason as RampaError).exitCode, 9);
      const [d, e, s] = outs.map((o) => o.stats());
      assert.equal(d.sent, 0);
      assert.equal(d.dropped, 3);
      assert.match(d.lastError!, /refused|connect/i);
      assert.equal(e.sent, 0);
      assert.equal(e.dropped, 3);
      // Up to 3 attempts per batch; how many fit in the flush deadline depends on the machine.
      assert.ok(e.failed >= 3 && e.failed <= 9, `failed ${e.failed}`);
      assert.equal(e.lastError, "HTTP 500: boom");
      assert.equal(s.sent, 0);
      assert.ok(s.dropped >= 3, JSON.stringify(s));
      assert.match(s.lastError!, /no answer within 1000 ms|abort/i);
      // Once per sink, never the password.
      assert.equal(warnings.length, 4, warnings.join("\n"));
      for (const text of [...warnings, ...outs.map((o) => o.describe()), String(req.reason)]) {
        assert.ok(!text.includes("s3cretpass"), text);
      }
      assert.match(
        outs[0].describe(),
        /^prometheus \(http:\/\/\*\*\*@127\.0\.0\.1:\d+\/api\/v1\/write/,
      );
      console.log(
        `failing sinks: worst push ${worstPush.toFixed(2)} ms, stop ${stopMs.toFixed(0)} ms; ` +
          `dead ${JSON.stringify(d)}; 500 ${JSON.stringify(e)}; slow ${JSON.stringify(s)}`,
      );
    } finally {
      await fail500.stop();
      await slow.stop();
    }
  },
});

Deno.test("influxdb: the token is never printed, and a URL without a database is refused", () => {
  const out = createInfluxOutput("http://127.0.0.1:8086/b?x", {
    intervalMs: 5_000,
    required: false,
    token: "tok-123456",
    org: "o",
  });
  assert.ok(!out.describe().includes("tok-123456"), out.describe());
  assert.throws(
    () => createInfluxOutput("http://127.0.0.1:8086/", { intervalMs: 5_000, required: false }),
    /expected http:\/\/host:8086\/DATABASE/,
  );
});
