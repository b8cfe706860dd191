/**
 * Prometheus remote write 1.0 encoding: a `prometheus.WriteRequest` protobuf (built with
 * protobufjs from the message definitions of Prometheus's `prompb/types.proto` and
 * `remote.proto`), compressed with snappy's block format (snappyjs). Both packages are loaded
 * on first use, so a run without this output never pays for them. Native histograms use the
 * `Histogram` message of remote write 1.0 (Prometheus 2.40 and later).
 *
 * @module
 */
import type protobuf from "protobufjs";

/** One label of a series. */
export interface Label {
  name: string;
  value: string;
}

/** A run of consecutive native histogram buckets. */
export interface BucketSpan {
  offset: number;
  length: number;
}

/** A native (sparse, exponential) histogram sample, integer counts. */
export interface NativeHistogram {
  countInt: number;
  sum: number;
  schema: number;
  zeroThreshold: number;
  zeroCountInt: number;
  positiveSpans: BucketSpan[];
  /** Each bucket's count minus the previous bucket's (the first minus 0). */
  positiveDeltas: number[];
  timestamp: number;
}

/** One series with its samples (value, timestamp in ms) or native histograms. */
export interface TimeSeries {
  labels: Label[];
  samples?: { value: number; timestamp: number }[];
  histograms?: NativeHistogram[];
}

const SCHEMA = {
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: { timeseries: { rule: "repeated", type: "TimeSeries", id: 1 } },
        },
        TimeSeries: {
          fields: {
            labels: { rule: "repeated", type: "Label", id: 1 },
            samples: { rule: "repeated", type: "Sample", id: 2 },
            histograms: { rule: "repeated", type: "Histogram", id: 4 },
          },
        },
        Label: { fields: { name: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
        BucketSpan: {
          fields: { offset: { type: "sint32", id: 1 }, length: { type: "uint32", id: 2 } },
        },
        Histogram: {
          oneofs: {
            count: { oneof: ["countInt", "countFloat"] },
            zeroCount: { oneof: ["zeroCountInt", "zeroCountFloat"] },
          },
          fields: {
            countInt: { type: "uint64", id: 1 },
            countFloat: { type: "double", id: 2 },
            sum: { type: "double", id: 3 },
            schema: { type: "sint32", id: 4 },
            zeroThreshold: { type: "double", id: 5 },
            zeroCountInt: { type: "uint64", id: 6 },
            zeroCountFloat: { type: "double", id: 7 },
            positiveSpans: { rule: "repeated", type: "BucketSpan", id: 11 },
            positiveDeltas: { rule: "repeated", type: "sint64", id: 12 },
            timestamp: { type: "int64", id: 15 },
          },
        },
        Sample: {
          fields: { value: { type: "double", id: 1 }, timestamp: { type: "int64", id: 2 } },
        },
      },
    },
  },
};

interface Codec {
  WriteRequest: protobuf.Type;
  compress(b: Uint8Array): Uint8Array;
  uncompress(b: Uint8Array): Uint8Array;
}

let codec: Promise<Codec> | null = null;

/** Loads protobufjs and snappyjs once. */
function loadCodec(): Promise<Codec> {
  codec ??= Promise.all([import("protobufjs"), import("snappyjs")]).then(([pb, sn]) => {
    const root = pb.default.Root.fromJSON(SCHEMA);
    const snappy = sn.default;
    return {
      WriteRequest: root.lookupType("prometheus.WriteRequest"),
      compress: (b) => new Uint8Array(snappy.compress(b)),
      uncompress: (b) => new Uint8Array(snappy.uncompress(b)),
    };
  });
  return codec;
}

/** Encodes series as a remote write body: protobuf, then snappy. */
export async function encodeWriteRequest(
  timeseries: readonly TimeSeries[],
): Promise<Uint8Array<ArrayBuffer>> {
  const { WriteRequest, compress } = await loadCodec();
  const bytes = WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish();
  return compress(bytes).slice();
}

/** Decodes a remote write body (tests). */
export async function decodeWriteRequest(body: Uint8Array): Promise<{ timeseries: TimeSeries[] }> {
  const { WriteRequest, uncompress } = await loadCodec();
  const msg = WriteRequest.decode(uncompress(body));
  return WriteRequest.toObject(msg, { longs: Number }) as { timeseries: TimeSeries[] };
}
