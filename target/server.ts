/**
 * rampa's embedded target: a real `Deno.serve` HTTP server with injectable latency, jitter,
 * errors and periodic stalls. Demos, tests and benchmarks need a target whose misbehaviour is
 * known in advance, so rampa's measurements can be checked against it.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { matchRoute, type RouteContext } from "./routes.ts";

/** A periodic stall: the last `forMs` of every `everyMs` period (from server start). */
export interface StallOptions {
  readonly forMs: number;
  readonly everyMs: number;
}

/** How the target listens and misbehaves. Every field has a harmless default. */
export interface TargetOptions {
  /** Interface to bind; loopback by default so a demo never exposes itself. */
  hostname?: string;
  /** Port to bind; 0 (the default) picks a free one, read back from {@link TargetServer}. */
  port?: number;
  /** Delay added to every faulty route, ms. */
  latencyMs?: number;
  /** Uniform ± jitter around `latencyMs`, ms; the total delay never goes below 0. */
  jitterMs?: number;
  /** Probability (0..1) of answering 500 instead of the route's answer. */
  errorRate?: number;
  /** Periodic stall windows in which requests are held until the window ends. */
  stall?: StallOptions;
  /** Seed for the error/jitter draws, so a test sees the same faults every run. */
  seed?: number;
  /** Aborting closes the server, like {@link TargetServer.close}. */
  signal?: AbortSignal;
  /** Suppress Deno.serve's "Listening on" line (the CLI prints its own). */
  quiet?: boolean;
}

/** Request counters since start. */
export interface TargetStats {
  /** Every request received, `/health` included. */
  requests: number;
  /** Requests per route template (`/api/items/:id`, never raw ids), unknown paths as `(unmatched)`. */
  byPath: Record<string, number>;
  /** Injected errors (500s drawn from `errorRate`), not statuses a route was asked for. */
  errors: number;
}

/** A running target. */
export interface TargetServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly hostname: string;
  readonly port: number;
  /** `performance.now()` when the server started listening: the origin of the stall periods. */
  readonly startedAt: number;
  /** A copy of the counters, safe to keep. */
  stats(): TargetStats;
  /** Cancels pending delays, stops listening and resolves when the server has finished. */
  close(): Promise<void>;
}

/**
 * mulberry32: a tiny, fast PRNG. Good enough for fault draws and fully reproducible from a
 * 32-bit seed, which `Math.random` cannot be.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function check(options: TargetOptions): void {
  const nonNegative = (v: number | undefined, what: string): void => {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new ConfigError(`Invalid ${what} "${v}": expected a number of milliseconds >= 0`);
    }
  };
  nonNegative(options.latencyMs, "latency");
  nonNegative(options.jitterMs, "jitter");
  const rate = options.errorRate;
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
    throw new ConfigError(`Invalid error rate "${rate}": expected a number from 0 to 1`);
  }
  const port = options.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new ConfigError(`Invalid port "${port}": expected an integer from 0 to 65535`);
  }
  const stall = options.stall;
  if (
    stall && !(stall.forMs > 0 && stall.everyMs > stall.forMs && Number.isFinite(stall.everyMs))
  ) {
    throw new ConfigError(
      `Invalid stall "${stall.forMs}ms/${stall.everyMs}ms": the stall must be longer than 0 and shorter than its period`,
    );
  }
}

/**
 * Cancellable sleeps: every pending timer is tracked so close() can clear it. They do not
 * follow `request.signal`: touching it makes Deno 2.9 print a legacy-abort warning, and every
 * sleep here is bounded anyway (latency, stall window, 60 s delay cap).
 */
class Timers implements RouteContext {
  #pending = new Set<() => void>();
  #closed = false;

  sleep(ms: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (completed: boolean): void => {
        clearTimeout(id);
        this.#pending.delete(cancel);
        resolve(completed);
      };
      const cancel = (): void => done(false);
      const id = setTimeout(() => done(true), ms);
      this.#pending.add(cancel);
    });
  }

  cancelAll(): void {
    this.#closed = true;
    for (const cancel of [...this.#pending]) cancel();
  }
}

const text = (body: string, status: number): Response =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/** Starts the target. Throws a ConfigError for invalid options or a port already in use. */
export function startTarget(options: TargetOptions = {}): TargetServer {
  check(options);
  const latency = options.latencyMs ?? 0;
  const jitter = options.jitterMs ?? 0;
  const errorRate = options.errorRate ?? 0;
  const stall = options.stall;
  const random = options.seed === undefined ? Math.random : mulberry32(options.seed);
  const timers = new Timers();
  const counts = { requests: 0, errors: 0, byPath: new Map<string, number>() };
  let startedAt = performance.now();

  const handler = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const route = matchRoute(url.pathname);
    counts.requests++;
    counts.byPath.set(route.template, (counts.byPath.get(route.template) ?? 0) + 1);
    if (!route.faulty) return route.handle(req, url, timers);
    // Draw both faults on arrival so a seeded run's draws follow arrival order.
    const fail = errorRate > 0 && random() < errorRate;
    const delay = jitter > 0 ? Math.max(0, latency + (random() * 2 - 1) * jitter) : latency;
    if (stall) {
      const phase = (performance.now() - startedAt) % stall.everyMs;
      const windowStart = stall.everyMs - stall.forMs;
      if (phase >= windowStart && !(await timers.sleep(stall.everyMs - phase))) {
        return text("Server closing\n", 503);
      }
    }
    if (!(await timers.sleep(delay))) return text("Server closing\n", 503);
    if (fail) {
      counts.errors++;
      return text("Injected error\n", 500);
    }
    return route.handle(req, url, timers);
  };

  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port ?? 0,
      onListen: options.quiet ? () => {} : undefined,
      onError: (error) => text(`Internal error: ${error}\n`, 500),
    }, handler);
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      const where = `${options.hostname ?? "127.0.0.1"}:${options.port ?? 0}`;
      throw new ConfigError(`Cannot listen on ${where}: the address is already in use`);
    }
    throw error;
  }
  startedAt = performance.now();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      options.signal?.removeEventListener("abort", onAbort);
      timers.cancelAll();
      await server.shutdown();
      await server.finished;
    })();
    return closing;
  };
  const onAbort = (): void => void close();
  if (options.signal?.aborted) void close();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  const { hostname, port } = server.addr;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${port}`,
    hostname,
    port,
    startedAt,
    stats: (): TargetStats => ({
      requests: counts.requests,
      errors: counts.errors,
      byPath: Object.fromEntries(counts.byPath),
    }),
    close,
  };
}
