import assert from "node:assert/strict";
import { builtSummary, recordRun } from "../console/_fixture.ts";
import {
  createPrometheusOutput,
  DEFAULT_BUCKETS,
  NATIVE_SCHEMA,
} from "../../../outputs/prometheus/mod.ts";
import { missing, startPrometheus } from "../_servers.ts";

const skip = missing("prometheus", "prometheus");
if (skip) console.warn(`skipping the Prometheus server tests: ${skip}`);

async function query(
  base: string,
  q: string,
): Promise<{ metric: Record<string, string>; value: number }[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = await res.json();
  assert.equal(body.status, "success", JSON.stringify(body));
  return body.data.result.map((r: { metric: Record<string, string>; value: [number, string] }) => ({
    metric: r.metric,
    value: Number(r.value[1]),
  }));
}

Deno.test({
  name: "prometheus remote write: totals equal the summary, p99 from buckets within a bucket",
  ignore: skip !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startPrometheus();
    try {
      const f = recordRun();
      const summary = builtSummary(f);
      const out = createPrometheusOutput(`${server.url}/api/v1/write`, {
        intervalMs: 10_000,
        required: true,
        testId: "prom-e2e",
      });
      // Samples must fall within the TSDB's head window: the run "started" 40 s ago.
      await out.start({
        startedAt: new Date(Date.now() - 40_000),
        plannedDurationMs: 30_000,
        scenarios: [],
      });
      for (const tick of f.ticks) out.push(tick);
      await out.stop(summary);
      assert.deepEqual(out.stats(), { sent: 3, failed: 0, dropped: 0, lastError: null });

      const m = summary.metrics;
      const reqs = m.http_reqs.type === "counter" ? m.http_reqs.count : NaN;
      const [total] = await query(server.url, 'sum(rampa_http_reqs_total{testid="prom-e2e"})');
      assert.equal(total.value, reqs);
      const failed = m.http_req_failed.type === "rate" ? m.http_req_failed : null;
      const [fails] = await query(
        server.url,
        'sum(rampa_http_req_failed_total{testid="prom-e2e"})',
      );
      assert.equal(fails.value, failed!.passes);
      const dropped = m.dropped_iterations.type === "counter" ? m.dropped_iterations.count : NaN;
      const [drops] = await query(
        server.url,
        'sum(rampa_dropped_iterations_total{testid="prom-e2e"})',
      );
      assert.equal(drops.value, dropped);
      // Tags are labels: one series per endpoint and status.
      const byName = await query(
        server.url,
        'sum by (name, method) (rampa_http_reqs_total{testid="prom-e2e"})',
      );
      assert.equal(byName.length, 3);
      assert.equal(byName.reduce((a, r) => a + r.value, 0), reqs);
      const [vus] = await query(server.url, 'sum(rampa_vus{testid="prom-e2e"})');
      assert.equal(vus.value, 12);

      const dur = m.http_req_duration.type === "trend" ? m.http_req_duration : null;
      const [count] = await query(
        server.url,
        'sum(rampa_http_req_duration_count{testid="prom-e2e"})',
      );
      assert.equal(count.value, dur!.count);
      const [p99] = await query(
        server.url,
        'histogram_quantile(0.99, sum by (le) (rampa_http_req_duration_bucket{testid="prom-e2e"}))',
      );
      // Within the bucket holding the summary's p99 (histogram_quantile interpolates in it).
      const hi = DEFAULT_BUCKETS.findIndex((b) => b >= dur!.p99);
      const lo = hi > 0 ? DEFAULT_BUCKETS[hi - 1] : 0;
      assert.ok(p99.value >= lo && p99.value <= DEFAULT_BUCKETS[hi], `${p99.value} vs ${dur!.p99}`);
      // Every query of the Grafana dashboard runs against these series and finds data.
      const dash = JSON.parse(
        await Deno.readTextFile(
          new URL("../../../docs/grafana/rampa-prometheus.json", import.meta.url),
        ),
      );
      let queries = 0;
      for (const panel of dash.panels) {
        for (const t of panel.targets) {
          const expr = t.expr.replaceAll("$testid", "prom-e2e").replaceAll(
            "$__rate_interval",
            "1m",
          );
          const rows = await query(server.url, expr);
          assert.ok(rows.length > 0, `no data for ${panel.title}: ${expr}`);
          queries++;
        }
      }
      console.log(
        `prometheus: ${queries} dashboard queries return data; http_reqs ${total.value} = summary ${reqs}; p99 from buckets ` +
          `${p99.value.toFixed(2)} ms vs summary ${dur!.p99.toFixed(2)} ms ` +
          `(bucket ${lo}–${DEFAULT_BUCKETS[hi]} ms, error ${(p99.value - dur!.p99).toFixed(2)} ms)`,
      );
    } finally {
      await server.stop();
    }
  },
});

Deno.test({
  name: "prometheus native histograms: count exact, p99 within one native bucket (≤ 9%)",
  ignore: skip !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startPrometheus(["--enable-feature=native-histograms"]);
    try {
      const f = recordRun();
      const summary = builtSummary(f);
      const out = createPrometheusOutput(`${server.url}/api/v1/write`, {
        intervalMs: 10_000,
        required: true,
        testId: "native",
        native: true,
      });
      await out.start({
        startedAt: new Date(Date.now() - 40_000),
        plannedDurationMs: 30_000,
        scenarios: [],
      });
      for (const tick of f.ticks) out.push(tick);
      await out.stop(summary);
      assert.deepEqual(out.stats(), { sent: 3, failed: 0, dropped: 0, lastError: null });
      const dur = summary.metrics.http_req_duration;
      assert.ok(dur.type === "trend");
      const [count] = await query(
        server.url,
        'histogram_count(sum(rampa_http_req_duration{testid="native"}))',
      );
      assert.equal(count.value, dur.count);
      const [p99] = await query(
        server.url,
        'histogram_quantile(0.99, sum(rampa_http_req_duration{testid="native"}))',
      );
      const err = Math.abs(p99.value - dur.p99) / dur.p99;
      assert.ok(err <= 2 ** (2 ** -NATIVE_SCHEMA) - 1, `${p99.value} vs ${dur.p99}`);
      const [reqs] = await query(server.url, 'sum(rampa_http_reqs_total{testid="native"})');
      assert.equal(
        reqs.value,
        summary.metrics.http_reqs.type === "counter" ? summary.metrics.http_reqs.count : NaN,
      );
      console.log(
        `prometheus native: count ${count.value} = ${dur.count}; p99 ${p99.value.toFixed(2)} ms ` +
          `vs summary ${dur.p99.toFixed(2)} ms (${(err * 100).toFixed(1)}%)`,
      );
    } finally {
      await server.stop();
    }
  },
});
