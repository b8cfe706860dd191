/**
 * gRPC server reflection, server side (`grpc.reflection.v1` and `v1alpha`), for rampa's own
 * test servers: lists the services and answers descriptors by symbol or file name from what
 * `@grpc/proto-loader` already holds (each type's serialized FileDescriptorProtos), so
 * `rampa run grpc://…` without `--proto`, grpcurl and ghz can discover the embedded target.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type * as grpc from "@grpc/grpc-js";
import type * as protoLoader from "@grpc/proto-loader";
import { descriptorNames, reflectionProto } from "../../engines/grpc/reflection.ts";
import { packageFromText } from "../../engines/grpc/loader.ts";

type Req = Record<string, unknown>;

/** Adds the reflection services for the services of `def` to `server`. */
export function addReflection(server: grpc.Server, def: protoLoader.PackageDefinition): void {
  const services: string[] = [];
  const bySymbol = new Map<string, Buffer[]>();
  const byFile = new Map<string, Buffer>();
  for (const [name, value] of Object.entries(def)) {
    const fds = "format" in value
      ? (value as protoLoader.MessageTypeDefinition<unknown, unknown>).fileDescriptorProtos
      : Object.values(value as protoLoader.ServiceDefinition)[0]?.requestType
        .fileDescriptorProtos;
    if (!fds) continue;
    if (!("format" in value)) services.push(name);
    bySymbol.set(name, fds);
    for (const fd of fds) byFile.set(descriptorNames(fd).name, fd);
  }
  const answer = (req: Req): Req => {
    const base = { valid_host: "", original_request: req };
    const files = (list: Buffer[] | undefined) =>
      list ? { ...base, file_descriptor_response: { file_descriptor_proto: list } } : null;
    let out: Req | null = null;
    if (typeof req.list_services === "string" && req.message_request === "list_services") {
      out = { ...base, list_services_response: { service: services.map((name) => ({ name })) } };
    } else if (req.message_request === "file_containing_symbol") {
      const sym = String(req.file_containing_symbol);
      // A method or nested symbol: its service or message is the longest known prefix.
      let s = sym;
      while (s && !bySymbol.has(s)) s = s.slice(0, Math.max(0, s.lastIndexOf(".")));
      out = files(bySymbol.get(s));
    } else if (req.message_request === "file_by_filename") {
      const fd = byFile.get(String(req.file_by_filename));
      out = files(fd ? [fd] : undefined);
    } else {
      return { ...base, error_response: { error_code: 12, error_message: "not supported" } };
    }
    return out ?? { ...base, error_response: { error_code: 5, error_message: "not found" } };
  };
  for (const version of ["v1", "v1alpha"] as const) {
    const rdef = packageFromText(reflectionProto(version));
    server.addService(
      rdef[`grpc.reflection.${version}.ServerReflection`] as grpc.ServiceDefinition,
      {
        ServerReflectionInfo(call: grpc.ServerDuplexStream<Req, Req>) {
          call.on("data", (req: Req) => call.write(answer(req)));
          call.on("end", () => call.end());
        },
      },
    );
  }
}
