import assert from "node:assert/strict";
import { recordRun } from "../console/_fixture.ts";
import {
  decodeWriteRequest,
  encodeWriteRequest,
  promName,
  seriesOf,
} from "../../../outputs/prometheus/mod.ts";
import { redactUrl } from "../../../outputs/_sink.ts";
import { cumulativeCounts } from "../../../outputs/_stream.ts";
import { selectSeries } from "../../../core/metrics/snapshot.ts";

Deno.test("remote write bodies round-trip through protobuf and snappy", async () => {
  const ts = [{
    labels: [{ name: "__name__", value: "rampa_http_reqs_total" }, { name: "testid", value: "t" }],
    samples: [{ value: 14961, timestamp: 1_736_935_230_000 }],
  }];
  assert.deepEqual((await decodeWriteRequest(await encodeWriteRequest(ts))).timeseries, ts);
});

Deno.test("series: counters _total, trends as cumulative buckets, labels sorted, testid", () => {
  const f = recordRun();
  const total = f.ticks[2].total;
  const series = seriesOf(total, "run1", 1000, [10, 100]);
  const names = new Set(series.map((s) => s.labels.find((l) => l.name === "__name__")!.value));
  for (const n of ["rampa_http_reqs_total", "rampa_vus", "rampa_http_req_duration_bucket"]) {
    assert.ok(names.has(n), n);
  }
  assert.ok(names.has("rampa_http_req_failed_samples_total"));
  for (const s of series) {
    const keys = s.labels.map((l) => l.name);
    assert.deepEqual(keys, [...keys].sort());
    assert.ok(keys.includes("testid"));
  }
  const d = selectSeries(total, "http_req_duration").find((x) => x.count > 0)!;
  const [le10, le100] = cumulativeCounts(d.hist, [10, 100]);
  assert.ok(le10 <= le100 && le100 <= d.count);
  assert.equal(promName("http_req_duration"), "http_req_duration");
  assert.equal(promName("a.b-c"), "a_b_c");
});

Deno.test("credentials are redacted from targets", () => {
  assert.equal(
    redactUrl("https://user:pw@influx.example:8086/db?token=abc&org=o"),
    "https://***@influx.example:8086/db?token=***&org=o",
  );
  assert.equal(
    redactUrl("http://127.0.0.1:9090/api/v1/write"),
    "http://127.0.0.1:9090/api/v1/write",
  );
});
