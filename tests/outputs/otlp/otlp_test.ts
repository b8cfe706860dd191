import assert from "node:assert/strict";
import protobuf from "protobufjs";
import { builtSummary, recordRun } from "../console/_fixture.ts";
import { createOtlpOutput } from "../../../outputs/otlp/mod.ts";
import { startHttp } from "../_servers.ts";

// The receiver's own schema, from the .proto text of opentelemetry-proto's metrics service
// (the fields rampa uses), parsed by protobufjs: independent of the output's definitions.
const PROTO = `
syntax = "proto3";
package opentelemetry.proto.collector.metrics.v1;
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; }
message Metric {
  string name = 1; string description = 2; string unit = 3;
  oneof data { Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; }
}
enum AggregationTemporality { UNSPECIFIED = 0; DELTA = 1; CUMULATIVE = 2; }
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; AggregationTemporality aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; AggregationTemporality aggregation_temporality = 2; }
message NumberDataPoint {
  repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  oneof value { double as_double = 4; sfixed64 as_int = 6; }
  uint32 flags = 8;
}
message HistogramDataPoint {
  repeated KeyValue attributes = 9; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  fixed64 count = 4; optional double sum = 5; repeated fixed64 bucket_counts = 6;
  repeated double explicit_bounds = 7; uint32 flags = 10; optional double min = 11; optional double max = 12;
}
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
`;
const Request = protobuf.parse(PROTO).root.lookupType(
  "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest",
);

// deno-lint-ignore no-explicit-any
type Json = any;

function check(req: Json, summary: ReturnType<typeof builtSummary>): string {
  const rm = req.resourceMetrics[0];
  const res = Object.fromEntries(
    rm.resource.attributes.map((a: Json) => [a.key, a.value.stringValue]),
  );
  assert.deepEqual(res, { "service.name": "rampa", "rampa.test_id": "otlp-e2e" });
  const metrics = new Map<string, Json>(rm.scopeMetrics[0].metrics.map((m: Json) => [m.name, m]));
  const m = summary.metrics;
  const reqs = metrics.get("http_reqs");
  assert.ok(reqs.sum.isMonotonic);
  assert.ok(
    reqs.sum.aggregationTemporality === 2 || reqs.sum.aggregationTemporality === "CUMULATIVE",
  );
  const total = reqs.sum.dataPoints.reduce((a: number, p: Json) => a + p.asDouble, 0);
  assert.equal(total, m.http_reqs.type === "counter" ? m.http_reqs.count : NaN);
  const failed = metrics.get("http_req_failed").sum.dataPoints.reduce(
    (a: number, p: Json) => a + p.asDouble,
    0,
  );
  assert.equal(failed, m.http_req_failed.type === "rate" ? m.http_req_failed.passes : NaN);
  assert.ok(metrics.get("vus").gauge);
  const dur = metrics.get("http_req_duration");
  assert.equal(dur.unit, "ms");
  let count = 0;
  for (const p of dur.histogram.dataPoints) {
    const n = Number(p.count);
    count += n;
    assert.equal(p.bucketCounts.reduce((a: number, c: Json) => a + Number(c), 0), n);
    assert.equal(p.bucketCounts.length, p.explicitBounds.length + 1);
    const names = p.attributes.map((a: Json) => a.key).sort();
    assert.ok(names.includes("name") && names.includes("method"), names.join());
  }
  assert.equal(count, m.http_req_duration.type === "trend" ? m.http_req_duration.count : NaN);
  return `http_reqs ${total}, http_req_duration count ${count}, ${metrics.size} metrics`;
}

for (const encoding of ["protobuf", "json"] as const) {
  Deno.test({
    name: `otlp (${encoding}): a receiver decodes names, kinds and totals equal to the summary`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const bodies: { type: string | null; bytes: Uint8Array }[] = [];
      const server = startHttp(async (req) => {
        bodies.push({
          type: req.headers.get("content-type"),
          bytes: new Uint8Array(await req.arrayBuffer()),
        });
        return new Response(null, { status: 200 });
      });
      try {
        const f = recordRun();
        const summary = builtSummary(f);
        const out = createOtlpOutput(`${server.url}/v1/metrics`, {
          intervalMs: 10_000,
          required: true,
          encoding,
          testId: "otlp-e2e",
        });
        await out.start({ startedAt: new Date(), plannedDurationMs: 30_000, scenarios: [] });
        for (const tick of f.ticks) out.push(tick);
        await out.stop(summary);
        assert.deepEqual(out.stats(), { sent: 3, failed: 0, dropped: 0, lastError: null });
        assert.equal(bodies.length, 3);
        const last = bodies[2];
        let req: Json;
        if (encoding === "json") {
          assert.equal(last.type, "application/json");
          req = JSON.parse(new TextDecoder().decode(last.bytes));
        } else {
          assert.equal(last.type, "application/x-protobuf");
          req = Request.toObject(Request.decode(last.bytes), { longs: String, enums: Number });
        }
        console.log(`otlp ${encoding}: ${check(req, summary)}`);
      } finally {
        await server.stop();
      }
    },
  });
}
