import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import {
  createCsvOutput,
  CSV_HEADER,
  csvOutputFromTarget,
  type CsvOutputOptions,
} from "../../../outputs/csv/mod.ts";
import type { RunInfo, Tick } from "../../../core/run/output.ts";
import { ConfigError, ExitCode, RampaError } from "../../../core/errors.ts";
import { MetricRegistry } from "../../../core/metrics/registry.ts";
import { addCounter, addTrend } from "../../../core/metrics/registry.ts";
import { HTTP_METRICS } from "../../../engines/http/metrics.ts";
import { builtSummary, recordRun } from "../console/_fixture.ts";

/** The columns as docs/outputs.md documents them. */
const DOCUMENTED = [
  "time",
  "elapsed_s",
  "interval_s",
  "metric",
  "tags",
  "count",
  "rate",
  "min",
  "p50",
  "p90",
  "p95",
  "p99",
  "max",
  "value",
];

const info: RunInfo = {
  startedAt: new Date("2025-01-15T10:00:00.000Z"),
  plannedDurationMs: 30_000,
  scenarios: [{ name: "checkout", executor: "constant-arrival-rate" }],
};
const run = recordRun();
const summary = builtSummary(run);

type Row = Record<string, string>;

/** Runs a CSV output over `ticks` into a temp file and returns the raw text and parsed rows. */
async function writeCsv(
  ticks: readonly Tick[],
  options: CsvOutputOptions = {},
): Promise<{ text: string; rows: Row[] }> {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/out.csv`;
    const out = createCsvOutput(path, options);
    await out.start(info);
    for (const t of ticks) out.push(t);
    await out.stop(summary);
    const text = await Deno.readTextFile(path);
    return { text, rows: parse(text, { columns: true }) as Row[] };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function sumOf(rows: readonly Row[], metric: string, column: string): number {
  return rows.filter((r) => r.metric === metric).reduce((a, r) => a + Number(r[column]), 0);
}

Deno.test("csv output starts with the documented header row", async () => {
  const { text, rows } = await writeCsv(run.ticks);
  assert.equal(CSV_HEADER, DOCUMENTED.join(",") + "\r\n");
  assert.ok(text.startsWith(CSV_HEADER));
  assert.deepEqual(Object.keys(rows[0]), DOCUMENTED);
});

Deno.test("csv output writes one row per interval, metric and tag set", async () => {
  const { rows } = await writeCsv(run.ticks);
  const expected = run.ticks.reduce((n, t) => n + t.delta.series.size, 0);
  assert.equal(rows.length, expected);
  const keys = new Set(rows.map((r) => `${r.elapsed_s}|${r.metric}|${r.tags}`));
  assert.equal(keys.size, rows.length);
  assert.deepEqual([...new Set(rows.map((r) => r.elapsed_s))], ["10", "20", "30"]);
  assert.ok(rows.every((r) => r.interval_s === "10"));
});

Deno.test("csv time is the wall time of the interval end", async () => {
  const { rows } = await writeCsv(run.ticks);
  const times = [...new Set(rows.map((r) => r.time))];
  assert.deepEqual(times, [
    "2025-01-15T10:00:10.000Z",
    "2025-01-15T10:00:20.000Z",
    "2025-01-15T10:00:30.000Z",
  ]);
});

Deno.test("summing csv count of http_reqs gives the summary's request total", async () => {
  const { rows } = await writeCsv(run.ticks);
  const reqs = summary.metrics.http_reqs;
  assert.equal(reqs.type, "counter");
  assert.equal(sumOf(rows, "http_reqs", "count"), reqs.count);
  assert.equal(reqs.count, 14_961);
});

Deno.test("csv counts of every counter, rate and trend add up to the summary", async () => {
  const { rows } = await writeCsv(run.ticks);
  for (const [name, m] of Object.entries(summary.metrics)) {
    if (m.type === "gauge") continue;
    assert.equal(sumOf(rows, name, "count"), m.count, name);
  }
  const failed = summary.metrics.http_req_failed;
  assert.equal(failed.type, "rate");
  assert.equal(sumOf(rows, "http_req_failed", "value"), failed.passes);
});

Deno.test("csv kinds fill their documented columns", async () => {
  const { rows } = await writeCsv(run.ticks);
  const trend = rows.find((r) => r.metric === "http_req_duration")!;
  const t = ["min", "p50", "p90", "p95", "p99", "max"].map((c) => Number(trend[c]));
  assert.ok(t.every((v, i) => i === 0 || v >= t[i - 1]), `ordered: ${t}`);
  assert.equal(trend.value, "");
  assert.equal(Number(trend.rate), Number(trend.count) / 10);

  const counter = rows.find((r) => r.metric === "data_sent")!;
  assert.equal(counter.value, counter.count);
  assert.equal(Number(counter.rate), Number(counter.value) / 10);
  assert.equal(counter.p50, "");

  const rate = rows.find((r) => r.metric === "http_req_failed")!;
  const share = Number(rate.value) / Number(rate.count);
  assert.ok(Math.abs(Number(rate.rate) - share) < 1e-6);
  assert.ok(Number(rate.rate) <= 1);

  const vus = rows.filter((r) => r.metric === "vus").map((r) => r.value);
  assert.deepEqual(vus, ["9", "31", "12"]);
  assert.equal(rows.find((r) => r.metric === "vus")!.rate, "");
});

Deno.test("csv tags are k=v pairs sorted by key, empty without tags", async () => {
  const { rows } = await writeCsv(run.ticks);
  assert.equal(rows.find((r) => r.metric === "event_loop_lag")!.tags, "");
  assert.equal(rows.find((r) => r.metric === "iterations")!.tags, "scenario=checkout");
  const req = rows.find((r) => r.metric === "http_reqs")!.tags.split(";");
  assert.deepEqual(req.map((p) => p.split("=")[0]), [...req.map((p) => p.split("=")[0])].sort());
});

Deno.test("csv quotes tag values with commas, quotes and line breaks (RFC 4180)", async () => {
  const reg = new MetricRegistry();
  for (const d of HTTP_METRICS) reg.define(d);
  const name = 'search?q="a,b"\nnext';
  addCounter(reg.series("http_reqs", { name, method: "GET" }), 1);
  addTrend(reg.series("http_req_duration", { name, method: "GET" }), 12.5);
  const delta = reg.drain();
  const { text, rows } = await writeCsv([{
    elapsedMs: 1000,
    intervalMs: 1000,
    delta,
    total: delta,
  }]);
  assert.ok(text.includes(`"method=GET;name=search?q=""a,b""\nnext"`));
  assert.equal(rows.length, 2);
  assert.equal(rows[0].tags, `method=GET;name=${name}`);
  assert.equal(rows[0].metric, "http_req_duration");
  assert.equal(rows[0].p50, "12.5");
});

Deno.test("csv interval option merges ticks into longer intervals", async () => {
  const { rows } = await writeCsv(run.ticks, { intervalMs: 20_000 });
  assert.deepEqual([...new Set(rows.map((r) => `${r.elapsed_s}/${r.interval_s}`))], [
    "20/20",
    "30/10",
  ]);
  assert.equal(sumOf(rows, "http_reqs", "count"), 14_961);
  assert.deepEqual(rows.filter((r) => r.metric === "vus").map((r) => r.value), ["31", "12"]);
});

Deno.test("csv target parses ?interval= and rejects unknown options", () => {
  assert.equal(csvOutputFromTarget("out.csv").describe(), "csv (out.csv)");
  assert.equal(csvOutputFromTarget("out.csv?interval=5s").describe(), "csv (out.csv, every 5s)");
  assert.throws(() => csvOutputFromTarget("out.csv?every=5s"), ConfigError);
  assert.throws(() => csvOutputFromTarget("out.csv?interval=5x"), ConfigError);
  assert.throws(() => csvOutputFromTarget("out.csv?interval=0"), ConfigError);
});

Deno.test("csv output fails at start with exit 9 when the path cannot be written", async () => {
  const out = createCsvOutput("/nonexistent-dir-for-rampa/out.csv");
  await assert.rejects(
    async () => await out.start(info),
    (e: unknown) => e instanceof RampaError && e.exitCode === ExitCode.OUTPUT_FAILED,
  );
});
