/**
 * The ad-hoc scenario behind `rampa run grpc://host:port/pkg.Service/Method` (ghz's shape):
 * one unary call per arrival on one channel per load thread (HTTP/2 multiplexes the calls),
 * the request from `--data` or cycled through the lines of `--data-file`, metadata from
 * `--metadata`/`-H`, the deadline from `--timeout`. `grpc_req_duration` counts from each
 * arrival's scheduled start.
 *
 * Everything the user can get wrong (URL, proto, service, method, data) is checked by
 * {@link validateGrpcAdHoc} on the main thread before any load, as one ConfigError.
 *
 * @module
 */
import { ConfigError, ExitCode, RampaError } from "../../core/errors.ts";
import type { AdHocContext, AdHocRequest, ProtocolOptions } from "../../core/protocol/types.ts";
import type { ScenarioRun } from "../../core/run/runner.ts";
import type { GrpcMetadata } from "./client.ts";

/** Attempts, all failing to reach the server, after which it counts as unreachable. */
const UNREACHABLE_AFTER = 20;

/** The ad-hoc request, parsed (plain data apart from nothing: files are read here). */
export interface GrpcAdHoc {
  /** `host:port` to dial. */
  readonly addr: string;
  /** `pkg.Service/Method`. */
  readonly method: string;
  readonly tls: boolean;
  readonly protos: readonly string[];
  readonly importPaths: readonly string[];
  /** Request messages, cycled. */
  readonly messages: readonly unknown[];
  readonly metadata: GrpcMetadata;
  /** `--cacert` PEM text, when given. */
  readonly caCert?: string;
}

function list(v: unknown): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
}

/**
 * Parses the URL and `--proto`/`--data*`/`--metadata`/`--tls`/`--cacert` (reading files
 * relative to the working directory); throws a ConfigError listing every problem.
 */
export function parseGrpcAdHoc(r: AdHocRequest): GrpcAdHoc {
  const f = r.flags;
  const issues: string[] = [];
  let addr = "";
  let method = "";
  let scheme = "grpc:";
  try {
    const u = new URL(r.url);
    scheme = u.protocol;
    addr = u.host;
    method = decodeURIComponent(u.pathname.replace(/^\/+/, ""));
    if (!u.port) issues.push(`Cannot use "${r.url}": expected a port, as in grpc://host:50051/…`);
  } catch {
    issues.push(`Cannot parse URL "${r.url}": expected grpc://host:port/pkg.Service/Method`);
  }
  if (addr && !/^[^/]+\/[^/]+$/.test(method) && !/^[\w.]+\.\w+$/.test(method)) {
    issues.push(
      `Cannot call "${r.url}": expected the method in the path, as in grpc://${addr}/pkg.Service/Method`,
    );
  }
  // HTTP-only flags would be silently ignored: say so instead.
  if (r.body !== null) {
    issues.push("--body and --body-file do not apply to grpc:// URLs: use --data");
  }
  if (r.method !== "GET") issues.push(`-X ${r.method} does not apply to grpc:// URLs`);
  if (r.expect.statuses.length || r.expect.headers.length || r.expect.bodyJson) {
    issues.push("--expect-* flags do not apply to grpc:// URLs (use a scenario with check())");
  }
  // No --proto: the services are discovered by server reflection.
  const protos = list(f.proto);
  if (protos.length === 0 && f["import-path"] !== undefined) {
    issues.push("--import-path needs --proto");
  }
  if (f.data !== undefined && f["data-file"] !== undefined) {
    issues.push("Use either --data or --data-file, not both");
  }
  const messages: unknown[] = [];
  if (typeof f.data === "string") {
    try {
      messages.push(JSON.parse(f.data));
    } catch (e) {
      issues.push(`Cannot parse --data as JSON: ${(e as Error).message}`);
    }
  } else if (typeof f["data-file"] === "string") {
    const file = f["data-file"];
    let text = "";
    try {
      text = Deno.readTextFileSync(file);
    } catch (e) {
      issues.push(`Cannot read --data-file "${file}": ${(e as Error).message}`);
    }
    text.split("\n").forEach((line, i) => {
      if (!line.trim()) return;
      try {
        messages.push(JSON.parse(line));
      } catch (e) {
        issues.push(`Cannot parse line ${i + 1} of --data-file "${file}": ${(e as Error).message}`);
      }
    });
    if (text && messages.length === 0) issues.push(`--data-file "${file}" has no message`);
  } else messages.push({});
  const metadata: Record<string, string[]> = {};
  const add = (k: string, v: string) => (metadata[k.toLowerCase()] ??= []).push(v);
  for (const m of list(f.metadata)) {
    const i = m.indexOf(":");
    if (i <= 0) issues.push(`Cannot parse --metadata "${m}": expected "key: value"`);
    else add(m.slice(0, i).trim(), m.slice(i + 1).trim());
  }
  for (const [k, v] of r.headers) add(k, v);
  let caCert: string | undefined;
  if (typeof f.cacert === "string") {
    try {
      caCert = Deno.readTextFileSync(f.cacert);
    } catch (e) {
      issues.push(`Cannot read --cacert "${f.cacert}": ${(e as Error).message}`);
    }
  }
  if (issues.length) throw new ConfigError(issues);
  return {
    addr,
    method,
    tls: scheme === "grpcs:" || f.tls === true || caCert !== undefined,
    protos,
    importPaths: list(f["import-path"]),
    messages,
    metadata,
    caCert,
  };
}

/**
 * The methods of the request's `--proto` files, or else of the server's reflection. Throws a
 * ConfigError when neither works, or a RampaError with exit 8 when the server cannot be reached
 * to ask.
 */
async function methodsOf(a: GrpcAdHoc, insecure: boolean) {
  const { loadProtoFiles } = await import("./loader.ts");
  if (a.protos.length) {
    try {
      return loadProtoFiles(a.protos, a.importPaths);
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
  }
  const { reflect } = await import("./reflection.ts");
  const r = await reflect(a.addr, { tls: a.tls, insecure, caCert: a.caCert }, 10_000);
  if (r.methods) return r.methods;
  const { classify } = await import("./client.ts");
  const { statusName } = await import("./metrics.ts");
  if (classify(r.code, r.error, false).statusTag === "0") {
    throw new RampaError(`Cannot reach ${a.addr}: ${r.error}`, ExitCode.TARGET_UNREACHABLE);
  }
  throw new ConfigError(
    `Cannot discover the services of ${a.addr} by reflection (${
      statusName(r.code)
    }: ${r.error}): give --proto <file.proto>`,
  );
}

/** Checks an ad-hoc gRPC request: URL, flags, proto, method, messages. */
export async function validateGrpcAdHoc(r: AdHocRequest, o: ProtocolOptions): Promise<void> {
  const a = parseGrpcAdHoc(r);
  const { findMethod, unknownMethod } = await import("./loader.ts");
  const methods = await methodsOf(a, o.insecure);
  const m = findMethod(methods, a.method);
  if (!m) throw new ConfigError(unknownMethod(methods, a.method));
  if (m.requestStream || m.responseStream) {
    throw new ConfigError(
      `Cannot call ${m.name} ad hoc: it is a streaming method (use a scenario with ctx.grpc)`,
    );
  }
  const issues: string[] = [];
  a.messages.forEach((msg, i) => {
    try {
      m.serialize(msg);
    } catch (e) {
      issues.push(
        `Cannot encode ${
          r.flags.data !== undefined ? "--data" : `message ${i + 1}`
        } as ${m.name}'s request: ${(e as Error).message}`,
      );
    }
  });
  if (issues.length) throw new ConfigError(issues);
}

/** Builds the ad-hoc gRPC scenario (in the load thread). */
export async function createGrpcAdHoc(r: AdHocRequest, ctx: AdHocContext): Promise<ScenarioRun> {
  const a = parseGrpcAdHoc(r);
  const { findMethod } = await import("./loader.ts");
  const { GrpcClient } = await import("./client.ts");
  const ch = await import("./channel.ts");
  const { GrpcRecorder } = await import("./recorder.ts");
  const rt = ctx.runtime;
  // Each load thread reflects for itself (the run description carries no descriptors).
  const methods = await methodsOf(a, rt.options.insecure);
  const method = findMethod(methods, a.method)!.name;
  const recorder = new GrpcRecorder(rt.registry, rt.evidence, ctx.tags);
  const channel = ch.openChannel(a.addr, {
    tls: a.tls,
    insecure: rt.options.insecure,
    caCert: a.caCert,
  });
  let interrupt: AbortSignal | undefined;
  const client = new GrpcClient(channel, methods, {
    recorder,
    group: () => "",
    metadata: a.metadata,
    interrupt: () => interrupt,
  }, false);
  const opts = { timeout: r.timeoutMs, name: r.name ?? undefined };
  // Strided like the arrivals, so several load threads together still cycle the messages in order.
  let k = ctx.segment.index;
  const stride = ctx.segment.count;
  let refused = 0;
  let reached = 0;
  let reported = false;
  return {
    name: "default",
    executor: ctx.executor,
    startTimeMs: 0,
    target: `GRPC ${r.url}`,
    async prepare(): Promise<void> {
      // Dial before the clock starts; a failure here is left to the calls to report.
      await ch.waitConnected(channel, 5000);
    },
    async iterate(_vu: number, scheduled: number, signal: AbortSignal): Promise<void> {
      interrupt = signal;
      const msg = a.messages[k % a.messages.length];
      k += stride;
      const res = await client.invoke(method, msg, opts, scheduled);
      if (res.error === "refused" || res.error === "dns") {
        if (++refused >= UNREACHABLE_AFTER && reached === 0 && !reported) {
          reported = true;
          ctx.onUnreachable(`Cannot reach ${a.addr}: ${res.message || res.error}`);
        }
      } else reached++;
    },
    close(): void {
      client.close();
    },
  };
}
