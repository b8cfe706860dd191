/**
 * `.proto` loading: files (with import paths) or source text become a table of methods by
 * their full name. Loaded once per distinct set of files in a thread, so VUs that connect
 * every iteration do not parse again.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import { isAbsolute, resolve } from "node:path";
import * as protoLoader from "@grpc/proto-loader";
import protobuf from "protobufjs";

/** One RPC method, ready to call through a generic grpc-js client. */
export interface MethodInfo {
  /** `pkg.Service/Method`, the metric name. */
  readonly name: string;
  /** `/pkg.Service/Method`, the HTTP/2 path. */
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly serialize: (value: unknown) => Buffer;
  readonly deserialize: (bytes: Buffer) => unknown;
}

/** The methods of every service the loaded files define, by `pkg.Service/Method`. */
export type MethodTable = ReadonlyMap<string, MethodInfo>;

/**
 * How messages map to JS values: field names as written in the `.proto` (what users copy),
 * 64-bit integers and enums as strings (no precision loss), defaults filled in, oneofs named.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

const cache = new Map<string, MethodTable>();

/** The methods of every service in a package definition. */
export function tableOf(def: protoLoader.PackageDefinition): MethodTable {
  const out = new Map<string, MethodInfo>();
  for (const [service, value] of Object.entries(def)) {
    // Message and enum types carry `format`; services are maps of method definitions.
    if ("format" in value) continue;
    for (const m of Object.values(value as protoLoader.ServiceDefinition)) {
      const name = `${service}/${m.path.slice(m.path.lastIndexOf("/") + 1)}`;
      out.set(name, {
        name,
        path: m.path,
        requestStream: m.requestStream,
        responseStream: m.responseStream,
        serialize: m.requestSerialize as (v: unknown) => Buffer,
        deserialize: m.responseDeserialize as (b: Buffer) => unknown,
      });
    }
  }
  return out;
}

/**
 * Loads `.proto` files (relative ones against `base`); `importPaths` are where `import`
 * statements are looked up (the files' own folders come first). Throws an Error whose message
 * says which file failed and why.
 */
export function loadProtoFiles(
  files: readonly string[],
  importPaths: readonly string[] = [],
  base = Deno.cwd(),
): MethodTable {
  const abs = files.map((f) => isAbsolute(f) ? f : resolve(base, f));
  const dirs = importPaths.map((d) => isAbsolute(d) ? d : resolve(base, d));
  const key = JSON.stringify([abs, dirs]);
  const hit = cache.get(key);
  if (hit) return hit;
  for (const f of abs) {
    try {
      if (!Deno.statSync(f).isFile) throw new Error("not a file");
    } catch (e) {
      throw new Error(`Cannot read proto file "${f}": ${e instanceof Error ? e.message : e}`);
    }
  }
  let def: protoLoader.PackageDefinition;
  try {
    def = protoLoader.loadSync(abs, { ...LOADER_OPTIONS, includeDirs: dirs });
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new Error(`Cannot load proto ${abs.map((f) => `"${f}"`).join(", ")}: ${msg}`);
  }
  const t = tableOf(def);
  cache.set(key, t);
  return t;
}

/** The package definition of `.proto` source text (for servers: `addService`). */
export function packageFromText(text: string): protoLoader.PackageDefinition {
  const root = protobuf.parse(text, { keepCase: true }).root;
  return protoLoader.fromJSON(root.toJSON(), LOADER_OPTIONS);
}

/** Loads `.proto` source text (no imports). */
export function loadProtoText(text: string): MethodTable {
  const key = "text\u0000" + text;
  const hit = cache.get(key);
  if (hit) return hit;
  const t = tableOf(packageFromText(text));
  cache.set(key, t);
  return t;
}

/** The method `name` (`pkg.Service/Method`, also with a leading `/` or a `.` before the method). */
export function findMethod(methods: MethodTable, name: string): MethodInfo | null {
  let n = name.startsWith("/") ? name.slice(1) : name;
  if (!n.includes("/")) {
    const dot = n.lastIndexOf(".");
    if (dot > 0) n = n.slice(0, dot) + "/" + n.slice(dot + 1);
  }
  return methods.get(n) ?? null;
}

/** Explains why `name` is not a method of `methods` (unknown service or method). */
export function unknownMethod(methods: MethodTable, name: string): string {
  const n = name.replace(/^\//, "");
  const service = n.includes("/") ? n.slice(0, n.indexOf("/")) : n.slice(0, n.lastIndexOf("."));
  const services = [...new Set([...methods.keys()].map((k) => k.slice(0, k.indexOf("/"))))];
  if (!services.includes(service)) {
    return `Unknown gRPC service "${service}" in "${name}": the proto defines ${
      services.length ? services.map((s) => `"${s}"`).join(", ") : "no service"
    }`;
  }
  const ms = [...methods.keys()].filter((k) => k.startsWith(service + "/"));
  return `Unknown gRPC method "${name}": ${service} has ${ms.map((m) => `"${m}"`).join(", ")}`;
}
