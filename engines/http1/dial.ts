/**
 * Opening a connection for the http1 engine, one phase at a time so that each is timed:
 * name resolution (node:dns `lookup`, i.e. getaddrinfo, which honours /etc/hosts as
 * `Deno.connect` does — `Deno.resolveDns` would not), the TCP connect (`Deno.connect` to the
 * resolved address), and the TLS handshake (`Deno.startTls` + `handshake()`, so it is not
 * folded into the first write). IP literals skip resolution (dns = 0, as k6 reports).
 *
 * @module
 */

import type { Outcome } from "../http/types.ts";
import { classifyError, describeError, type FailPhase } from "./classify.ts";
import type { Transport } from "./insecure_tls.ts";
import type { Http1State } from "./request.ts";

/** How a client dials. */
export interface DialSettings {
  /** Skip certificate verification entirely (uses node:tls; see insecure_tls.ts). */
  insecure: boolean;
  /** Extra trusted roots, PEM. */
  caCerts: string[] | undefined;
  /**
   * Dial 127.0.0.1 at this port whatever the request's origin: a rehearsal's stand-in
   * (`stand_in.ts`), so the rehearsed requests are the run's own bytes and none reaches the
   * target.
   */
  standInPort?: number;
}

/** A dial failure with its kind already decided. */
export class DialError extends Error {
  /** Error kind for the outcome. */
  readonly kind: Outcome["error"] & string;
  /** Wraps a cause thrown in `phase`. */
  constructor(cause: unknown, phase: FailPhase) {
    super(describeError(cause));
    this.name = "DialError";
    this.kind = classifyError(cause, phase);
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Dials `st`'s origin, writing `dns`, `connecting` and `tls` into `out`. Throws a
 * {@link DialError}; `signal` aborts the attempt (the caller decides what the abort means).
 */
export async function dial(
  st: Http1State,
  tlsSettings: DialSettings,
  signal: AbortSignal,
  out: Outcome,
): Promise<Transport> {
  if (tlsSettings.standInPort !== undefined) {
    return await dialStandIn(tlsSettings.standInPort, signal, out);
  }
  let addresses: string[];
  if (IPV4.test(st.host) || st.host.includes(":")) {
    addresses = [st.host];
    out.dns = 0;
  } else {
    // node:dns loads on the first name to resolve: runs against IP literals never pay for it.
    const { lookup } = await import("node:dns/promises");
    const t0 = performance.now();
    try {
      const found = await lookup(st.host, { all: true });
      addresses = found.map((a) => a.address);
    } catch (e) {
      out.dns = performance.now() - t0;
      throw new DialError(e, "dns");
    }
    out.dns = performance.now() - t0;
    if (addresses.length === 0) throw new DialError(new Error(`no address for ${st.host}`), "dns");
  }
  if (signal.aborted) throw signal.reason;
  if (st.tls && tlsSettings.insecure) return await dialInsecure(st, addresses, signal, out);

  const t1 = performance.now();
  let conn: Deno.TcpConn | null = null;
  let lastError: unknown = null;
  // Try each address in resolver order: "localhost" may resolve to ::1 for an IPv4 server.
  for (const hostname of addresses) {
    try {
      conn = await Deno.connect({ hostname, port: st.port, signal });
      break;
    } catch (e) {
      lastError = e;
      if (signal.aborted || !(e instanceof Deno.errors.ConnectionRefused)) break;
    }
  }
  const t2 = performance.now();
  out.connecting = t2 - t1;
  if (conn === null) {
    if (signal.aborted) throw signal.reason;
    throw new DialError(lastError, "connect");
  }
  conn.setNoDelay(true);
  if (!st.tls) {
    out.tls = 0;
    return conn;
  }
  const tlsConn = await Deno.startTls(conn, {
    hostname: st.serverName,
    caCerts: tlsSettings.caCerts,
  });
  const onAbort = (): void => tlsConn.close();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    await tlsConn.handshake();
  } catch (e) {
    try {
      tlsConn.close();
    } catch { /* already closed by the abort */ }
    if (signal.aborted) throw signal.reason;
    throw new DialError(e, "tls");
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  out.tls = performance.now() - t2;
  return tlsConn;
}

async function dialStandIn(port: number, signal: AbortSignal, out: Outcome): Promise<Transport> {
  out.dns = 0;
  const t = performance.now();
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port, signal });
    conn.setNoDelay(true);
    return conn;
  } catch (e) {
    if (signal.aborted) throw signal.reason;
    throw new DialError(e, "connect");
  } finally {
    out.connecting = performance.now() - t;
    out.tls = 0;
  }
}

async function dialInsecure(
  st: Http1State,
  addresses: string[],
  signal: AbortSignal,
  out: Outcome,
): Promise<Transport> {
  const timings = { connecting: NaN, tls: NaN };
  let lastError: unknown = null;
  for (const address of addresses) {
    try {
      // node:tls loads only when a run asks for --insecure (it costs start-up time otherwise).
      const { dialInsecureTls } = await import("./insecure_tls.ts");
      const t = await dialInsecureTls(address, st.port, st.serverName, signal, timings);
      out.connecting = timings.connecting;
      out.tls = timings.tls;
      return t;
    } catch (e) {
      lastError = e;
      if (signal.aborted) throw signal.reason;
      if ((e as { code?: string }).code !== "ECONNREFUSED") break;
    }
  }
  out.connecting = timings.connecting;
  out.tls = timings.tls;
  throw new DialError(lastError, Number.isNaN(timings.connecting) ? "connect" : "tls");
}
