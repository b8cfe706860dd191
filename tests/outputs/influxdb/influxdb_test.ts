import assert from "node:assert/strict";
import { builtSummary, recordRun } from "../console/_fixture.ts";
import { createInfluxOutput } from "../../../outputs/influxdb/mod.ts";
import { selectSeries, trendStats } from "../../../core/metrics/snapshot.ts";
import { missing, startInfluxdb } from "../_servers.ts";

const skip = missing("influxd", "influxdb");
if (skip) console.warn(`skipping the InfluxDB server tests: ${skip}`);

async function influxql(base: string, q: string, db = "rampa"): Promise<unknown[][]> {
  const res = await fetch(`${base}/query?${new URLSearchParams({ db, q })}`, { method: "POST" });
  const body = await res.json();
  const result = body.results?.[0];
  assert.ok(!result?.error, JSON.stringify(body));
  return result?.series?.[0]?.values ?? [];
}

Deno.test({
  name: "influxdb line protocol: sum of value equals the summary's counts, p99 per interval",
  ignore: skip !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startInfluxdb();
    try {
      await influxql(server.url, "CREATE DATABASE rampa", "");
      const f = recordRun();
      const summary = builtSummary(f);
      const info = {
        startedAt: new Date(Date.now() - 40_000),
        plannedDurationMs: 30_000,
        scenarios: [],
      };
      // One point per tick (10 s), and one output merging the whole run into one interval.
      const perTick = createInfluxOutput(`${server.url}/rampa`, {
        intervalMs: 10_000,
        required: true,
        testId: "ticks",
      });
      const whole = createInfluxOutput(`${server.url}/rampa`, {
        intervalMs: 30_000,
        required: true,
        testId: "whole",
      });
      for (const out of [perTick, whole]) await out.start(info);
      for (const tick of f.ticks) for (const out of [perTick, whole]) out.push(tick);
      for (const out of [perTick, whole]) await out.stop(summary);
      assert.deepEqual(perTick.stats(), { sent: 3, failed: 0, dropped: 0, lastError: null });
      assert.deepEqual(whole.stats(), { sent: 1, failed: 0, dropped: 0, lastError: null });

      const m = summary.metrics;
      const reqs = m.http_reqs.type === "counter" ? m.http_reqs.count : NaN;
      const [[, total]] = await influxql(
        server.url,
        `SELECT sum("value") FROM "http_reqs" WHERE testid='ticks'`,
      );
      assert.equal(total, reqs);
      const byName = await influxql(
        server.url,
        `SELECT sum("value") FROM "http_reqs" WHERE testid='ticks' GROUP BY "name"`,
      );
      assert.ok(byName.length >= 1);
      const dur = m.http_req_duration.type === "trend" ? m.http_req_duration : null;
      const [[, count]] = await influxql(
        server.url,
        `SELECT sum("count") FROM "http_req_duration" WHERE testid='ticks'`,
      );
      assert.equal(count, dur!.count);
      const failed = m.http_req_failed.type === "rate" ? m.http_req_failed.passes : NaN;
      const [[, fails]] = await influxql(
        server.url,
        `SELECT sum("value") FROM "http_req_failed" WHERE testid='ticks'`,
      );
      assert.equal(fails, failed);
      const points = await influxql(
        server.url,
        `SELECT count("value") FROM "http_reqs" WHERE testid='ticks'`,
      );
      assert.ok(Number(points[0][1]) >= 3);
      // One interval over the whole run, one series: p99 is exactly the summary's.
      const rows = await influxql(
        server.url,
        `SELECT "p99", "count" FROM "http_req_duration" WHERE testid='whole'`,
      );
      const expected = selectSeries(f.result.total, "http_req_duration")
        .filter((d) => d.count > 0)
        .map((d) => [trendStats(d).p99, d.count].join("/"))
        .sort();
      assert.deepEqual(rows.map(([, p99, n]) => `${p99}/${n}`).sort(), expected);
      const [[, total2]] = await influxql(
        server.url,
        `SELECT sum("value") FROM "http_reqs" WHERE testid='whole'`,
      );
      assert.equal(total2, reqs);
      console.log(
        `influxdb: sum(value) of http_reqs ${total} = summary ${reqs}; ` +
          `sum(count) of http_req_duration ${count} = ${dur!.count}; failed ${fails} = ${failed}`,
      );
    } finally {
      await server.stop();
    }
  },
});
