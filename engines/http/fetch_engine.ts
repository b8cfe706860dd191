/**
 * The fetch engine: HTTP through Deno's built-in `fetch`. It is the compatible fallback: it
 * speaks whatever fetch speaks (HTTP/1.1, HTTP/2 by ALPN, TLS with the system's roots, gzip and
 * br), at the price of seeing less of each request than a client on raw sockets (only
 * `waiting` and `receiving`, see fetch_client.ts) and of fetch's per-request overhead.
 *
 * @module
 */

import type { ClientOptions, Engine, EngineClient, Phase } from "./types.ts";
import { FetchClient } from "./fetch_client.ts";
import { prepareFetchRequest } from "./fetch_request.ts";

/** Options of {@link createFetchEngine}. */
export interface FetchEngineOptions {
  /**
   * Add 127.0.0.1, localhost and ::1 to `NO_PROXY` before each client is created, when a proxy
   * variable is set (see {@link exemptLoopbackFromProxy} for why this is the only way). Default `true`:
   * load-testing loopback through a proxy is never intended.
   */
  exemptLoopbackFromProxy?: boolean;
}

/**
 * The phases fetch lets us observe. Connect and TLS happen inside fetch, so they are part of
 * `waiting` on a new connection instead of phases of their own.
 */
export const FETCH_OBSERVES: ReadonlySet<Phase> = new Set<Phase>(["waiting", "receiving"]);

/** Creates the fetch engine (`--engine fetch`). */
export function createFetchEngine(options: FetchEngineOptions = {}): Engine {
  const exempt = options.exemptLoopbackFromProxy ?? true;
  return {
    name: "fetch",
    observes: FETCH_OBSERVES,
    prepare: prepareFetchRequest,
    createClient(clientOptions: ClientOptions): EngineClient {
      // Proxy variables are read when an HttpClient is created, so this must come first.
      if (exempt) exemptLoopbackFromProxy();
      return new FetchClient(clientOptions);
    },
  };
}

// Loopback targets and proxies from the environment.
//
// Deno's HTTP clients apply `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` (and the lowercase forms)
// to every host, 127.0.0.1 included, and `Deno.createHttpClient` has no option to turn the
// environment's proxies off: an explicit `proxy` option is only put in front of them. Measured
// on Deno 2.9.6 (ext/fetch/proxy.rs agrees): the variables, and `NO_PROXY`/`no_proxy`, are read
// from the process environment each time a client is created (the default client of plain
// `fetch` is created on first use), and `NO_PROXY` is checked before any proxy. So adding the
// loopback names to `NO_PROXY` before creating a client is the one switch there is.
//
// A load test against loopback through a proxy is never what the user meant (the proxy would
// measure itself, or fail with a misleading "connection refused"), hence the fetch engine does
// this by default.

/** Hosts that mean "this machine"; all of them are added when any is missing. */
export const LOOPBACK_HOSTS: readonly string[] = ["127.0.0.1", "localhost", "::1"];

const PROXY_VARS = [
  "HTTP_PROXY",
  "http_proxy",
  "HTTPS_PROXY",
  "https_proxy",
  "ALL_PROXY",
  "all_proxy",
];
const NO_PROXY_VARS = ["NO_PROXY", "no_proxy"];

/**
 * Adds the loopback hosts to `NO_PROXY` when a proxy variable is set and `NO_PROXY` does not
 * already exempt them. Changes the process environment (that is the only lever, see above),
 * so it affects every HTTP client created afterwards in this process. Without env permission
 * it does nothing and never prompts. Returns whether it changed `NO_PROXY`.
 */
export function exemptLoopbackFromProxy(): boolean {
  if (![...PROXY_VARS, ...NO_PROXY_VARS].every(envGranted)) return false;
  if (!PROXY_VARS.some((name) => (Deno.env.get(name) ?? "") !== "")) return false;

  // Deno reads NO_PROXY first and falls back to no_proxy: extend whichever is in effect.
  const current = Deno.env.get("NO_PROXY") ?? Deno.env.get("no_proxy") ?? "";
  const entries = current.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (entries.includes("*")) return false;
  const missing = LOOPBACK_HOSTS.filter((host) => !entries.includes(host));
  if (missing.length === 0) return false;
  Deno.env.set("NO_PROXY", [...entries, ...missing].join(","));
  return true;
}

/** Whether env access to `name` is granted already (querying never prompts). */
function envGranted(name: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "env", variable: name }).state === "granted";
  } catch {
    return false;
  }
}
