/**
 * The OTLP metrics messages rampa sends (`ExportMetricsServiceRequest` of
 * `opentelemetry/proto/collector/metrics/v1`), defined for protobufjs with the field numbers
 * of the OpenTelemetry protocol: resource, scope, sums, gauges and explicit-bucket histograms.
 * protobufjs is loaded on first use, so runs without this output never pay for it.
 *
 * @module
 */
import type protobuf from "protobufjs";

const kv = { rule: "repeated", type: "KeyValue" } as const;

const SCHEMA = {
  nested: {
    otlp: {
      nested: {
        ExportMetricsServiceRequest: {
          fields: { resourceMetrics: { rule: "repeated", type: "ResourceMetrics", id: 1 } },
        },
        ResourceMetrics: {
          fields: {
            resource: { type: "Resource", id: 1 },
            scopeMetrics: { rule: "repeated", type: "ScopeMetrics", id: 2 },
            schemaUrl: { type: "string", id: 3 },
          },
        },
        Resource: { fields: { attributes: { ...kv, id: 1 } } },
        ScopeMetrics: {
          fields: {
            scope: { type: "InstrumentationScope", id: 1 },
            metrics: { rule: "repeated", type: "Metric", id: 2 },
          },
        },
        InstrumentationScope: {
          fields: { name: { type: "string", id: 1 }, version: { type: "string", id: 2 } },
        },
        Metric: {
          oneofs: { data: { oneof: ["gauge", "sum", "histogram"] } },
          fields: {
            name: { type: "string", id: 1 },
            description: { type: "string", id: 2 },
            unit: { type: "string", id: 3 },
            gauge: { type: "Gauge", id: 5 },
            sum: { type: "Sum", id: 7 },
            histogram: { type: "Histogram", id: 9 },
          },
        },
        Gauge: { fields: { dataPoints: { rule: "repeated", type: "NumberDataPoint", id: 1 } } },
        Sum: {
          fields: {
            dataPoints: { rule: "repeated", type: "NumberDataPoint", id: 1 },
            aggregationTemporality: { type: "int32", id: 2 },
            isMonotonic: { type: "bool", id: 3 },
          },
        },
        Histogram: {
          fields: {
            dataPoints: { rule: "repeated", type: "HistogramDataPoint", id: 1 },
            aggregationTemporality: { type: "int32", id: 2 },
          },
        },
        NumberDataPoint: {
          oneofs: { value: { oneof: ["asDouble", "asInt"] } },
          fields: {
            attributes: { ...kv, id: 7 },
            startTimeUnixNano: { type: "fixed64", id: 2 },
            timeUnixNano: { type: "fixed64", id: 3 },
            asDouble: { type: "double", id: 4 },
            asInt: { type: "sfixed64", id: 6 },
          },
        },
        HistogramDataPoint: {
          fields: {
            attributes: { ...kv, id: 9 },
            startTimeUnixNano: { type: "fixed64", id: 2 },
            timeUnixNano: { type: "fixed64", id: 3 },
            count: { type: "fixed64", id: 4 },
            sum: { type: "double", id: 5 },
            bucketCounts: { rule: "repeated", type: "fixed64", id: 6 },
            explicitBounds: { rule: "repeated", type: "double", id: 7 },
            min: { type: "double", id: 11 },
            max: { type: "double", id: 12 },
          },
        },
        KeyValue: {
          fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } },
        },
        AnyValue: {
          oneofs: { value: { oneof: ["stringValue", "boolValue", "intValue", "doubleValue"] } },
          fields: {
            stringValue: { type: "string", id: 1 },
            boolValue: { type: "bool", id: 2 },
            intValue: { type: "int64", id: 3 },
            doubleValue: { type: "double", id: 4 },
          },
        },
      },
    },
  },
};

let type: Promise<protobuf.Type> | null = null;

/** The request message type (loads protobufjs on first use). */
export function exportMetricsServiceRequest(): Promise<protobuf.Type> {
  type ??= import("protobufjs").then((pb) =>
    pb.default.Root.fromJSON(SCHEMA).lookupType("otlp.ExportMetricsServiceRequest")
  );
  return type;
}

/** AGGREGATION_TEMPORALITY_CUMULATIVE: every point holds the total since the start. */
export const CUMULATIVE = 2;
