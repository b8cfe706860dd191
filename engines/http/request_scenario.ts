/**
 * The ad-hoc scenario behind `rampa run <url>`: every iteration is one request, sent through
 * one engine client whose pool is sized to the VU cap. Per-VU outcome records are reused, so an
 * iteration allocates nothing of its own beyond what the engine needs.
 *
 * @module
 */
import {
  createOutcome,
  type Engine,
  type EngineClient,
  type Outcome,
  type PreparedRequest,
  resetOutcome,
} from "./types.ts";
import type { Executor } from "../../core/executors/executor.ts";
import type { ScenarioRun } from "../../core/run/runner.ts";
import type { HttpRecorder } from "./recorder.ts";
import type { ResponseChecker } from "./response_checks.ts";
import { DEFAULT_MAX_REDIRECTS, nextHop, redirectTarget } from "./redirect.ts";

/** Options of a single-request scenario. */
export interface RequestScenarioOptions {
  readonly name: string;
  readonly engine: Engine;
  readonly request: PreparedRequest;
  readonly executor: Executor;
  readonly recorder: HttpRecorder;
  /** Connection cap (the VU cap). */
  readonly maxConnections: number;
  /** Connections per origin for multiplexing engines (http2), see ClientOptions. */
  readonly connections?: number;
  readonly insecure?: boolean;
  /**
   * Called once when the target looks unreachable: every attempt so far failed to connect
   * (refused or DNS) and there were at least `UNREACHABLE_AFTER` of them.
   */
  readonly onUnreachable?: (message: string) => void;
  /** Connections to open before the run (pre-allocated VUs), so bursts need no connects. */
  readonly warmConnections?: number;
  /** A target list: each iteration sends one of these (`request` is the first). */
  readonly requests?: readonly PreparedRequest[];
  /** How `requests` are chosen: in turn, or at random. @default "round-robin" */
  readonly pick?: "round-robin" | "random";
  /** Ad-hoc response checks (`--expect-*`), when any were asked for. */
  readonly check?: ResponseChecker | null;
  /**
   * Redirects followed per iteration, each hop recorded as a request of its own; the checks
   * judge the last response. @default 10
   */
  readonly maxRedirects?: number;
  /** Wraps the engine's client (the thread's `--rps` cap, `--http-debug`); none by default. */
  readonly wrap?: (client: EngineClient) => EngineClient;
}

/** Distinct redirect hops an ad-hoc run keeps prepared and named; further ones are "(other)". */
export const MAX_REDIRECT_HOPS = 32;

interface PreparedHop {
  readonly req: PreparedRequest;
  readonly endpoint: number;
}

/** Connections a rehearsal pre-connects to its stand-in, at most. */
const REHEARSAL_CONNECTIONS = 16;

/** Attempts, all failing to connect, after which a target counts as unreachable. */
export const UNREACHABLE_AFTER = 20;

/** Creates the scenario. */
export function createRequestScenario(opts: RequestScenarioOptions): ScenarioRun {
  const { engine, request, recorder } = opts;
  const check = opts.check ?? null;
  const list = opts.requests?.length ? opts.requests : [request];
  const endpoints = list.map((r) => recorder.endpoint({ name: r.name, method: r.method }));
  const random = opts.pick === "random";
  let turn = 0;
  let client: EngineClient | null = null;
  const slots: Outcome[] = [];
  // Closed loop only: each VU's usual pace, for the coordinated-omission-corrected trend.
  const closed = opts.executor.plan().peakRate === null;
  const paces: number[] = [];
  let reached = 0;
  let refused = 0;
  let reported = false;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  // Hops prepared once per (request, status, target): a redirect usually points to one place.
  const hops = new Map<string, PreparedHop>();

  /** The hop after `from`'s `status` redirect to `to`, or why it cannot be followed. */
  const hopAfter = (from: PreparedRequest, status: number, to: URL): PreparedHop | string => {
    const key = `${from.method} ${from.url.href} ${status} ${to.href}`;
    const known = hops.get(key);
    if (known !== undefined) return known;
    const h = nextHop(
      { method: from.method, url: from.url.href, headers: [...from.headers], payload: from.body },
      status,
      to,
    );
    let req: PreparedRequest;
    try {
      req = engine.prepare({
        method: h.method,
        url: h.url,
        headers: h.headers,
        body: h.payload,
        timeoutMs: from.timeoutMs,
        keepResponse: from.keepResponse,
      });
    } catch (err) {
      return `Cannot follow the redirect to ${to.href}: ${(err as Error).message}`;
    }
    const full = hops.size >= MAX_REDIRECT_HOPS;
    const hop = {
      req,
      endpoint: recorder.endpoint({ name: full ? "(other)" : req.name, method: req.method }),
    };
    if (!full) hops.set(key, hop);
    return hop;
  };

  const clientOptions = {
    insecure: opts.insecure,
    maxConnections: opts.maxConnections,
    connections: opts.connections,
  };
  const open = (): EngineClient => {
    if (client !== null) return client;
    const c = engine.createClient(clientOptions);
    return client = opts.wrap ? opts.wrap(c) : c;
  };

  /** Pre-connects `c` for the run: `connections` idle ones, shared among the origins. */
  const preconnect = async (c: EngineClient, connections: number): Promise<number> => {
    if (!c.warm) return 0;
    const origins = new Map<string, PreparedRequest>();
    for (const r of list) if (!origins.has(r.url.origin)) origins.set(r.url.origin, r);
    const each = Math.max(1, Math.ceil(connections / origins.size));
    let open = 0;
    for (const r of origins.values()) open += await c.warm(r, each);
    return open;
  };

  return {
    name: opts.name,
    executor: opts.executor,
    startTimeMs: 0,
    target: `${request.method} ${request.url.href}`,
    async prepare(): Promise<void> {
      const c = open();
      if (opts.warmConnections && c.warm) {
        const t0 = performance.now();
        // Every origin of a target list gets its share of the warm connections.
        const open = await preconnect(c, opts.warmConnections);
        // Not one connection, and the dials ran into the pre-connect deadline: the target takes
        // connections but never completes them (e.g. https:// to a plain-HTTP port). Say so
        // now instead of letting every request time out.
        if (open === 0 && performance.now() - t0 >= 9_000) {
          opts.onUnreachable?.(
            `no connection to ${request.url.host} completed within 10 s of pre-connecting ` +
              `(${request.url.protocol === "https:" ? "is it really HTTPS?" : "is it answering?"})`,
          );
        }
      }
    },
    async rehearse(): Promise<(() => Promise<void>) | null> {
      // --rps and --http-debug would count and print the rehearsal as the run's own requests.
      if (client !== null || opts.wrap || !engine.rehearsal) return null;
      const r = engine.rehearsal(list, clientOptions);
      if (r === null) return null;
      client = r.client;
      // Pre-connected like the run's pool (a few suffice: the stand-in answers at once).
      if (opts.warmConnections) {
        await preconnect(r.client, Math.min(opts.warmConnections, REHEARSAL_CONNECTIONS));
      }
      return async () => {
        client = null;
        turn = 0;
        reached = 0;
        refused = 0;
        reported = false;
        paces.length = 0;
        await r.end();
      };
    },
    async iterate(vu: number, scheduled: number, interrupt: AbortSignal): Promise<void> {
      const out = slots[vu] ??= createOutcome();
      resetOutcome(out, scheduled);
      const at = list.length === 1
        ? 0
        : random
        ? (Math.random() * list.length) | 0
        : turn++ % list.length;
      const first = list[at];
      await (client ?? open()).send(first, out, interrupt);
      let pace = NaN;
      if (closed) {
        const latency = out.ended - out.scheduled;
        const p = paces[vu];
        pace = p ?? latency;
        // The pace follows ordinary responses; a stall (4× the pace) must not become the pace.
        if (out.error === null) {
          paces[vu] = p === undefined ? latency : latency <= 4 * p ? p * 0.9 + latency * 0.1 : p;
        }
      }
      let req = first;
      let ep = endpoints[at];
      for (let n = 0; maxRedirects > 0; n++) {
        const to = out.error === null && out.status >= 300 && out.status < 400
          ? redirectTarget(out.status, out.headers?.get("location") ?? null, req.url.href)
          : null;
        if (to === null) break;
        const next = n < maxRedirects ? hopAfter(req, out.status, to) : null;
        if (typeof next !== "object" || next === null) {
          out.error = "other";
          out.errorMessage = next ??
            `Stopped after ${maxRedirects} redirects at ${req.name}: raise --max-redirects or ` +
              "fix the redirect loop";
          break;
        }
        recorder.record(ep, out, pace);
        pace = NaN; // a hop is not scheduled: no back-fill for it
        req = next.req;
        ep = next.endpoint;
        resetOutcome(out, performance.now());
        await (client ?? open()).send(req, out, interrupt);
      }
      recorder.record(ep, out, pace);
      if (check && out.error !== "aborted") check(out);
      if (out.error === "refused" || out.error === "dns") {
        if (++refused >= UNREACHABLE_AFTER && reached === 0 && !reported && opts.onUnreachable) {
          reported = true;
          opts.onUnreachable(
            `Cannot reach ${first.url.origin}: ${out.errorMessage || out.error}`,
          );
        }
      } else reached++;
    },
    close(): void {
      client?.close();
      client = null;
    },
  };
}
