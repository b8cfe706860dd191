/**
 * `rampa serve`: runs the embedded target server from the command line, so demos and manual
 * experiments have a target with known latency, errors and stalls without installing nginx.
 *
 * @module
 */
import { ConfigError } from "../../core/errors.ts";
import { parseFlags } from "../flags.ts";
import { formatDuration, parseDuration } from "../../core/units.ts";
import { startTarget, type TargetOptions } from "../../target/mod.ts";

/** Help text for `rampa serve --help`. */
export const SERVE_USAGE: string = `Usage: rampa serve [options]

Runs rampa's built-in target server until interrupted (Ctrl-C or SIGTERM).

Options:
  --port <n>           Port to listen on, 0 for any free port (default 8080)
  --host <name>        Interface to bind (default 127.0.0.1)
  --latency <dur>      Delay added to every request, e.g. 5ms (default 0)
  --jitter <dur>       Uniform +/- jitter around the latency, e.g. 2ms (default 0)
  --error-rate <r>     Share of requests answered 500: 0.01 or 1% (default 0)
  --stall <for/every>  Hold requests during the last <for> of every <every>, e.g. 1s/5s
  --seed <n>           Seed for reproducible error and jitter draws
  --grpc-port <n>      Also serve the gRPC test service (plaintext) on this port, 0 for any
  --print-proto        Print the gRPC test service's .proto and exit
  -h, --help           Show this help

Routes: /, /api/items, /api/items/:id, /status/:code, /delay/:ms, /bytes/:n, /echo,
POST /login, /me, /health (never delayed or failed); WebSocket /ws/echo,
/ws/broadcast?hz=N, /ws/close?after=N; server-sent events /sse?hz=N&n=M.
gRPC (--grpc-port): rampa.target.v1.Target with Echo, Count (server stream), Sum (client
stream), Chat (bidi); faults apply to every call (errors answer UNAVAILABLE).
`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  latency: { type: "string" },
  jitter: { type: "string" },
  "error-rate": { type: "string" },
  stall: { type: "string" },
  seed: { type: "string" },
  "grpc-port": { type: "string" },
  "print-proto": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function parsePort(text: string, flag = "--port"): number {
  const port = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new ConfigError(`Cannot parse ${flag} "${text}": expected an integer from 0 to 65535`);
  }
  return port;
}

/** Accepts `0.01` or `1%`: people think of error rates in percent, configs in fractions. */
function parseErrorRate(text: string): number {
  const t = text.trim();
  const percent = t.endsWith("%");
  const body = percent ? t.slice(0, -1).trim() : t;
  const value = /^\d+(?:\.\d+)?$|^\.\d+$/.test(body) ? Number(body) / (percent ? 100 : 1) : NaN;
  if (!(value >= 0 && value <= 1)) {
    throw new ConfigError(
      `Cannot parse --error-rate "${text}": expected a number from 0 to 1 or a percentage such as 1%`,
    );
  }
  return value;
}

function parseStall(text: string): { forMs: number; everyMs: number } {
  const parts = text.split("/");
  let forMs = NaN;
  let everyMs = NaN;
  if (parts.length === 2) {
    try {
      forMs = parseDuration(parts[0], "--stall");
      everyMs = parseDuration(parts[1], "--stall");
    } catch {
      // Reported below with the whole value, which is what the user typed.
    }
  }
  if (Number.isNaN(forMs) || Number.isNaN(everyMs)) {
    throw new ConfigError(
      `Cannot parse --stall "${text}": expected two durations as <for>/<every>, such as 1s/5s`,
    );
  }
  if (!(forMs > 0 && forMs < everyMs)) {
    throw new ConfigError(
      `Invalid --stall "${text}": the stall must be longer than 0 and shorter than its period`,
    );
  }
  return { forMs, everyMs };
}

function parseSeed(text: string): number {
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) {
    throw new ConfigError(`Cannot parse --seed "${text}": expected an integer`);
  }
  return Number(text);
}

/**
 * Parses `rampa serve` flags into target options without side effects, so tests can check
 * every accepted and rejected value without starting a server.
 */
export function parseServeArgs(
  args: string[],
): TargetOptions & { help: boolean; grpcPort?: number; printProto?: boolean } {
  const { values } = parseFlags("serve", args, OPTIONS);
  const host = values.host ?? "127.0.0.1";
  if (host.trim() === "") throw new ConfigError(`Cannot use --host "${host}": it is empty`);
  const options: TargetOptions & { help: boolean; grpcPort?: number; printProto?: boolean } = {
    help: values.help ?? false,
    hostname: host,
    port: values.port === undefined ? 8080 : parsePort(values.port),
    latencyMs: values.latency === undefined ? 0 : parseDuration(values.latency, "--latency"),
    jitterMs: values.jitter === undefined ? 0 : parseDuration(values.jitter, "--jitter"),
    errorRate: values["error-rate"] === undefined ? 0 : parseErrorRate(values["error-rate"]),
  };
  if (values.stall !== undefined) options.stall = parseStall(values.stall);
  if (values.seed !== undefined) options.seed = parseSeed(values.seed);
  if (values["grpc-port"] !== undefined) {
    options.grpcPort = parsePort(values["grpc-port"], "--grpc-port");
  }
  if (values["print-proto"]) options.printProto = true;
  return options;
}

function describe(options: TargetOptions): string {
  const parts: string[] = [];
  if (options.latencyMs) parts.push(`latency ${formatDuration(options.latencyMs)}`);
  if (options.jitterMs) parts.push(`jitter ${formatDuration(options.jitterMs)}`);
  if (options.errorRate) {
    parts.push(`error rate ${Number((options.errorRate * 100).toPrecision(10))}%`);
  }
  if (options.stall) {
    const { forMs, everyMs } = options.stall;
    parts.push(`stall ${formatDuration(forMs)} every ${formatDuration(everyMs)}`);
  }
  if (options.seed !== undefined) parts.push(`seed ${options.seed}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/**
 * Runs `rampa serve`: prints one "listening" line, serves until SIGINT or SIGTERM, then closes
 * cleanly. Returns the exit code; bad flags throw a ConfigError for the CLI to report.
 */
export async function serveCommand(args: string[]): Promise<number> {
  const { help, grpcPort, printProto, ...options } = parseServeArgs(args);
  if (help) {
    console.log(SERVE_USAGE);
    return 0;
  }
  if (printProto) {
    console.log((await import("../../target/grpc/proto.ts")).TARGET_PROTO);
    return 0;
  }
  const { promise: stopped, resolve: stop } = Promise.withResolvers<void>();
  const onSignal = (): void => stop();
  // SIGTERM cannot be listened to on Windows; Ctrl-C (SIGINT) still works there.
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let target: ReturnType<typeof startTarget>;
  try {
    target = startTarget({ ...options, quiet: true });
  } catch (e) {
    // An address this machine does not have, a name that does not resolve, a port in use.
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(
      `Cannot listen on ${options.hostname ?? "127.0.0.1"}:${options.port ?? 8080}: ${
        e instanceof Error ? e.message : e
      }`,
    );
  }
  const grpc = grpcPort === undefined
    ? null
    : await (await import("../../target/grpc/server.ts")).startGrpcTarget({
      ...options,
      port: grpcPort,
    }).catch(async (e) => {
      await target.close();
      throw new ConfigError(`Cannot serve gRPC on port ${grpcPort}: ${(e as Error).message}`);
    });
  for (const signal of signals) Deno.addSignalListener(signal, onSignal);
  try {
    console.log(`rampa target listening on ${target.url}${describe(options)}`);
    if (grpc) console.log(`rampa gRPC target listening on grpc://${grpc.addr}`);
    await stopped;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
    await target.close();
    await grpc?.close();
  }
  return 0;
}
