/**
 * The HTTP protocol, as it registers with core: the `http_req_*` family, the engines
 * (`http1`, the lean default, and `fetch`), `ctx.http`, the `http:`/`https:` ad-hoc schemes
 * and the HTTP summary section. Nothing in core names any of it.
 *
 * @module
 */
import { ConfigError } from "../../core/errors.ts";
import type {
  AdHocContext,
  AdHocRequest,
  Protocol,
  ProtocolOptions,
} from "../../core/protocol/types.ts";
import type { ScenarioRun } from "../../core/run/runner.ts";
import type { Plan } from "../../core/types.ts";
import { createHttp1Engine } from "../http1/mod.ts";
import { createHttp2Engine } from "../http2/engine.ts";
import { createHttpApi, HTTP, httpSlot, runExpected } from "./api.ts";
import { createFetchEngine } from "./fetch_engine.ts";
import { HTTP_METRICS } from "./metrics.ts";
import { HttpRecorder } from "./recorder.ts";
import { createRequestScenario } from "./request_scenario.ts";
import {
  type BodyValidator,
  createResponseChecker,
  needsResponse,
  type ResponseExpectations,
} from "./response_checks.ts";
import type { Engine, EngineClient } from "./types.ts";
import { needsWrap, wrapClient } from "./client_wrap.ts";

/** The HTTP engines, by `--engine` name; the first is the default. */
export const HTTP_ENGINES: Readonly<Record<string, () => Engine>> = {
  http1: () => createHttp1Engine(),
  fetch: () => createFetchEngine(),
  http2: () => createHttp2Engine(),
};

/** Makes the engine named `name`, falling back to the default for another protocol's name. */
export function httpEngine(name: string): Engine {
  return (HTTP_ENGINES[name] ?? HTTP_ENGINES.http1)();
}

function expectations(r: AdHocRequest, validate: BodyValidator | null): ResponseExpectations {
  const b = r.expect.bodyJson;
  return {
    statuses: r.expect.statuses,
    headers: r.expect.headers,
    body: b ? { name: `body matches ${b.file}`, validate: validate ?? (() => null) } : null,
  };
}

/**
 * Connections to open before the clock starts: closed loop, one per VU; open loop, enough for
 * the arrivals of a 40 ms burst. What piles up behind a stall of the generator (a GC pause, a
 * late wake-up, a descheduled thread on a shared VM) would otherwise dial inside its latency:
 * 10 ms left 40–110 connections to be opened mid-run at 5,000/s on a 2-core VM (issue 13); the
 * http1 pool also tops itself back up off the clock after a burst. At most 512, so a slow
 * test's first request is not held up by dialing.
 */
export function warmCount(plan: Plan): number {
  const want = plan.peakRate === null ? plan.peakVUs : Math.ceil(plan.peakRate / 25);
  return Math.min(512, plan.peakVUs, Math.max(1, want));
}

function prepare(r: AdHocRequest, engine: Engine, keepResponse: boolean) {
  return engine.prepare({
    method: r.method,
    url: r.url,
    headers: r.headers.map(([k, v]) => [k, v]),
    body: r.body,
    timeoutMs: r.timeoutMs,
    name: r.name ?? undefined,
    keepResponse,
  });
}

async function adHoc(r: AdHocRequest, ctx: AdHocContext): Promise<ScenarioRun> {
  const rt = ctx.runtime;
  const engine = httpEngine(rt.options.engine);
  const b = r.expect.bodyJson;
  const validate = b
    ? await (await import("./json_schema.ts")).compileJsonSchema(b.schema, b.file)
    : null;
  const exp = expectations(r, validate);
  const recorder = new HttpRecorder(rt.registry, rt.evidence, ctx.tags, true, {
    proto: engine.proto,
    expected: runExpected(rt.options) ?? undefined,
  });
  const plan = ctx.executor.plan();
  // --http-debug prints response headers (and bodies with =full): the engine must keep them.
  const keep = needsResponse(exp) || rt.options.httpDebug !== undefined;
  const requests = (r.targets ?? []).map((t) =>
    prepare({ ...r, method: t.method, url: t.url, headers: t.headers, body: t.body }, engine, keep)
  );
  return createRequestScenario({
    name: "default",
    engine,
    request: requests[0] ?? prepare(r, engine, keep),
    ...(requests.length > 1 ? { requests, pick: r.pick ?? "round-robin" } : {}),
    executor: ctx.executor,
    recorder,
    maxConnections: Math.max(1, plan.peakVUs),
    connections: rt.options.connections,
    maxRedirects: rt.options.maxRedirects,
    insecure: rt.options.insecure,
    onUnreachable: ctx.onUnreachable,
    check: createResponseChecker(exp, rt.registry, ctx.tags, rt.evidence),
    warmConnections: warmCount(plan),
    ...(needsWrap(rt) ? { wrap: (c: EngineClient) => wrapClient(c, rt) } : {}),
  });
}

function validateAdHoc(r: AdHocRequest, o: ProtocolOptions): void {
  if (!(o.engine in HTTP_ENGINES)) {
    throw new ConfigError(
      `Engine "${o.engine}" cannot send HTTP: expected one of ${
        Object.keys(HTTP_ENGINES).join(", ")
      }`,
    );
  }
  // Port 0 means "any free port" to a listener; no server answers on it.
  let port = "";
  try {
    port = new URL(r.url).port;
  } catch { /* reported by prepare below */ }
  if (port === "0") {
    throw new ConfigError(`Invalid URL "${r.url}": port 0 is not a port a server can listen on`);
  }
  // Throws a ConfigError for a URL the engine cannot send to, before any thread starts.
  prepare(r, httpEngine(o.engine), false);
  for (const [i, t] of (r.targets ?? []).entries()) {
    try {
      prepare(
        { ...r, method: t.method, url: t.url, headers: t.headers, body: t.body },
        httpEngine(o.engine),
        false,
      );
    } catch (e) {
      throw new ConfigError(`target ${i + 1} (${t.method} ${t.url}): ${(e as Error).message}`);
    }
  }
  runExpected(o); // and for expected statuses that are not statuses
}

/** The HTTP protocol. */
export const httpProtocol: Protocol = {
  name: HTTP,
  schemes: ["http:", "https:"],
  metrics: HTTP_METRICS,
  section: {
    title: "HTTP",
    metrics: HTTP_METRICS.map((m) => m.name),
    requests: {
      count: "http_reqs",
      failed: "http_req_failed",
      duration: "http_req_duration",
      serviceTime: "http_req_service_time",
      corrected: "http_req_duration_corrected",
      opened: "http_conns_opened",
    },
  },
  engines: [
    { name: "http1", summary: "lean keep-alive HTTP/1.1 client, every phase timed (default)" },
    { name: "fetch", summary: "Deno's fetch: compatible, HTTP/2 over TLS, fewer phases" },
    { name: "http2", summary: "HTTP/2 streams over few connections (h2 by ALPN, h2c), all phases" },
  ],
  thresholdAliases: {
    error_rate: { metric: "http_req_failed", aggregation: "rate" },
    rps: { metric: "http_reqs", aggregation: "rate" },
  },
  vu: {
    key: "http",
    api: (vu) => createHttpApi(vu, httpEngine),
    // Cookies live for one iteration unless options.noCookiesReset, as in k6.
    beginIteration(vu) {
      if (!vu.keepState && vu.iteration > 0 && vu.slots.has(HTTP)) {
        httpSlot(vu).jar = null;
      }
    },
    close(vu) {
      if (!vu.slots.has(HTTP)) return;
      const s = httpSlot(vu);
      s.client?.close();
      s.client = null;
    },
  },
  validateAdHoc,
  adHoc,
};
