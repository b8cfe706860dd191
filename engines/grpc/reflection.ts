/**
 * gRPC server reflection, client side: when no `.proto` is given, ask the server for the
 * descriptors of its services (`grpc.reflection.v1`, falling back to `v1alpha`), fetch any
 * imported file it left out, and build the method table from the descriptor set. The
 * reflection service's own messages are declared here as text, so nothing is read from disk.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as protoLoader from "@grpc/proto-loader";
import { type ChannelOptions, grpc, openChannel } from "./channel.ts";
import { LOADER_OPTIONS, loadProtoText, type MethodTable, tableOf } from "./loader.ts";

/** The reflection protocol (the same messages under `v1` and `v1alpha`). */
export function reflectionProto(version: "v1" | "v1alpha"): string {
  return `syntax = "proto3";
package grpc.reflection.${version};
service ServerReflection {
  rpc ServerReflectionInfo(stream ServerReflectionRequest) returns (stream ServerReflectionResponse);
}
message ServerReflectionRequest {
  string host = 1;
  oneof message_request {
    string file_by_filename = 3;
    string file_containing_symbol = 4;
    ExtensionRequest file_containing_extension = 5;
    string all_extension_numbers_of_type = 6;
    string list_services = 7;
  }
}
message ExtensionRequest { string containing_type = 1; int32 extension_number = 2; }
message ServerReflectionResponse {
  string valid_host = 1;
  ServerReflectionRequest original_request = 2;
  oneof message_response {
    FileDescriptorResponse file_descriptor_response = 4;
    ExtensionNumberResponse all_extension_numbers_response = 5;
    ListServiceResponse list_services_response = 6;
    ErrorResponse error_response = 7;
  }
}
message FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }
message ExtensionNumberResponse { string base_type_name = 1; repeated int32 extension_number = 2; }
message ListServiceResponse { repeated ServiceResponse service = 1; }
message ServiceResponse { string name = 1; }
message ErrorResponse { int32 error_code = 1; string error_message = 2; }
`;
}

interface Response {
  file_descriptor_response?: { file_descriptor_proto: Buffer[] } | null;
  list_services_response?: { service: { name: string }[] } | null;
  error_response?: { error_code: number; error_message: string } | null;
}

/** Reads a FileDescriptorProto's `name` (field 1) and `dependency` list (field 3). */
export function descriptorNames(fd: Uint8Array): { name: string; deps: string[] } {
  const dec = new TextDecoder();
  let i = 0;
  let name = "";
  const deps: string[] = [];
  const varint = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = fd[i++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  while (i < fd.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const len = varint();
      if (field === 1) name = dec.decode(fd.subarray(i, i + len));
      else if (field === 3) deps.push(dec.decode(fd.subarray(i, i + len)));
      i += len;
    } else break;
  }
  return { name, deps };
}

/** A FileDescriptorSet (field 1, repeated bytes) of these FileDescriptorProtos. */
function descriptorSet(files: Iterable<Uint8Array>): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const len: number[] = [];
    let n = f.length;
    while (n >= 0x80) {
      len.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    len.push(n);
    parts.push(Buffer.from([0x0a, ...len]), Buffer.from(f));
  }
  return Buffer.concat(parts);
}

/** What reflection found: the methods, or why there are none. */
export type ReflectionResult =
  | { readonly methods: MethodTable; readonly error?: undefined; readonly code?: undefined }
  | { readonly methods?: undefined; readonly error: string; readonly code: number };

async function ask(
  client: grpc.Client,
  version: "v1" | "v1alpha",
  timeoutMs: number,
): Promise<ReflectionResult> {
  const m = loadProtoText(reflectionProto(version)).get(
    `grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
  )!;
  const call = client.makeBidiStreamRequest(
    m.path,
    m.serialize,
    m.deserialize,
    new grpc.Metadata(),
    {
      deadline: Date.now() + timeoutMs,
    },
  );
  const replies: Response[] = [];
  const waiters: ((r: Response | null) => void)[] = [];
  let status: grpc.StatusObject | null = null;
  call.on("data", (r: Response) => {
    const w = waiters.shift();
    if (w) w(r);
    else replies.push(r);
  });
  call.on("error", () => {});
  call.on("status", (s: grpc.StatusObject) => {
    status = s;
    for (const w of waiters.splice(0)) w(null);
  });
  const request = (req: Record<string, string>): Promise<Response | null> => {
    call.write(req);
    const r = replies.shift();
    if (r) return Promise.resolve(r);
    if (status) return Promise.resolve(null);
    return new Promise((resolve) => waiters.push(resolve));
  };
  const failed = (): ReflectionResult => {
    const s = status as grpc.StatusObject | null;
    return { error: s?.details || "the reflection stream ended", code: s?.code ?? 2 };
  };
  try {
    const list = await request({ list_services: "*" });
    if (!list) return failed();
    if (list.error_response) {
      return { error: list.error_response.error_message, code: list.error_response.error_code };
    }
    const services = (list.list_services_response?.service ?? []).map((s) => s.name)
      .filter((s) => !s.startsWith("grpc.reflection."));
    const files = new Map<string, Uint8Array>();
    const add = (r: Response | null) => {
      for (const fd of r?.file_descriptor_response?.file_descriptor_proto ?? []) {
        files.set(descriptorNames(fd).name, fd);
      }
    };
    for (const s of services) add(await request({ file_containing_symbol: s }));
    // Servers usually send a file with its imports; fetch whatever is still missing.
    for (let round = 0; round < 16; round++) {
      const missing = [...files.values()].flatMap((fd) => descriptorNames(fd).deps)
        .filter((d) => !files.has(d));
      if (missing.length === 0) break;
      for (const d of new Set(missing)) {
        const r = await request({ file_by_filename: d });
        if (!r || r.error_response) {
          return { error: `The server's reflection does not know "${d}"`, code: 5 };
        }
        add(r);
      }
    }
    const def = protoLoader.loadFileDescriptorSetFromBuffer(
      descriptorSet(files.values()),
      LOADER_OPTIONS,
    );
    return { methods: tableOf(def) };
  } finally {
    call.end();
    call.cancel();
  }
}

/**
 * Asks the server at `addr` for its services by reflection. Never rejects: a server without
 * reflection gives `{ error, code: 12 }` (UNIMPLEMENTED), an unreachable one code 14.
 */
export async function reflect(
  addr: string,
  opts: ChannelOptions,
  timeoutMs = 10_000,
): Promise<ReflectionResult> {
  const client = openChannel(addr, opts);
  try {
    const v1 = await ask(client, "v1", timeoutMs);
    if (v1.error === undefined || v1.code !== grpc.status.UNIMPLEMENTED) return v1;
    return await ask(client, "v1alpha", timeoutMs);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), code: grpc.status.INTERNAL };
  } finally {
    client.close();
  }
}
