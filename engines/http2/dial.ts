/**
 * Opening the socket an HTTP/2 session runs over, one phase at a time so that each is timed:
 * name resolution (node:dns `lookup`, getaddrinfo, honouring /etc/hosts; IP literals skip it),
 * the TCP connect (node:net), and for `https:` the TLS handshake (node:tls, offering only `h2`
 * by ALPN). The socket is then handed to `http2.connect` through `createConnection`, so
 * node:http2 never dials on its own and every phase stays ours to time.
 *
 * node:tls rather than `Deno.startTls`: node:http2 needs a node socket, and node:tls honours
 * `rejectUnauthorized: false` per connection, which is what `--insecure` needs.
 *
 * @module
 */

import net from "node:net";
import tls from "node:tls";
import type { ErrorKind } from "../../core/types.ts";
import { classifyError, describeError, type FailPhase } from "../http1/classify.ts";
import type { Http2State } from "./request.ts";

/** TLS settings of a client. */
export interface Http2TlsSettings {
  /** Skip certificate verification (`rejectUnauthorized: false`). */
  readonly insecure: boolean;
  /** Extra trusted roots, PEM, added to the system's. */
  readonly caCerts: readonly string[] | undefined;
}

/** Phase durations of one dial, ms; NaN for a phase not reached. */
export interface DialTimings {
  dns: number;
  connecting: number;
  tls: number;
}

/** A dial failure with its kind already decided. */
export class Http2DialError extends Error {
  /** Error kind for the outcomes waiting on this dial. */
  readonly kind: ErrorKind;
  /** Wraps `cause`, thrown in `phase` (or a kind decided by the caller). */
  constructor(cause: unknown, phase: FailPhase, kind?: ErrorKind) {
    super(describeError(cause));
    this.name = "Http2DialError";
    this.kind = kind ?? classifyError(cause, phase);
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Roots for a client with `caCerts`: node:tls's `ca` replaces the defaults, so add them. */
let systemRoots: readonly string[] | null = null;

/**
 * Dials `st`'s origin within `timeoutMs`, writing each phase into `t`. Resolves to a connected
 * socket (a TLS one that negotiated `h2` for `https:`); rejects with an {@link Http2DialError}.
 */
export async function dialHttp2(
  st: Http2State,
  settings: Http2TlsSettings,
  timeoutMs: number,
  t: DialTimings,
): Promise<net.Socket> {
  const deadline = performance.now() + timeoutMs;
  let addresses: string[];
  if (IPV4.test(st.host) || st.host.includes(":")) {
    addresses = [st.host];
    t.dns = 0;
  } else {
    // node:dns loads on the first name to resolve: runs against IP literals never pay for it.
    const { lookup } = await import("node:dns/promises");
    const t0 = performance.now();
    try {
      const found = await within(lookup(st.host, { all: true }), deadline, null);
      addresses = found.map((a) => a.address);
    } catch (e) {
      t.dns = performance.now() - t0;
      throw e instanceof Http2DialError ? e : new Http2DialError(e, "dns");
    }
    t.dns = performance.now() - t0;
    if (addresses.length === 0) {
      throw new Http2DialError(new Error(`no address for ${st.host}`), "dns");
    }
  }

  const t1 = performance.now();
  let sock: net.Socket | null = null;
  let lastError: unknown = null;
  // Each address in resolver order: "localhost" may resolve to ::1 for an IPv4-only server.
  for (const address of addresses) {
    const s = net.connect({ host: address, port: st.port });
    try {
      await within(event(s, "connect"), deadline, s);
      sock = s;
      break;
    } catch (e) {
      s.destroy();
      lastError = e;
      if ((e as { code?: string }).code !== "ECONNREFUSED") break;
    }
  }
  const t2 = performance.now();
  t.connecting = t2 - t1;
  if (sock === null) {
    throw lastError instanceof Http2DialError
      ? lastError
      : new Http2DialError(lastError, "connect");
  }
  sock.setNoDelay(true);
  if (!st.tls) {
    t.tls = 0;
    return sock;
  }
  let ca: string[] | undefined;
  if (settings.caCerts && settings.caCerts.length > 0) {
    systemRoots ??= tls.rootCertificates;
    ca = [...systemRoots, ...settings.caCerts];
  }
  const secure = tls.connect({
    socket: sock,
    ALPNProtocols: ["h2"],
    rejectUnauthorized: !settings.insecure,
    ...(net.isIP(st.serverName) === 0 ? { servername: st.serverName } : {}),
    ...(ca ? { ca } : {}),
  });
  try {
    await within(event(secure, "secureConnect"), deadline, secure);
  } catch (e) {
    secure.destroy();
    t.tls = performance.now() - t2;
    if (e instanceof Http2DialError) throw e;
    const err = new Http2DialError(e, "tls");
    // A server without h2 among its ALPN protocols may refuse the handshake outright.
    if (/no.?application.?protocol/i.test(err.message)) {
      err.message += ": the server does not offer HTTP/2 by ALPN; use --engine http1 for it";
    }
    throw err;
  }
  t.tls = performance.now() - t2;
  if (secure.alpnProtocol !== "h2") {
    secure.destroy();
    // The handshake worked but the server will not speak HTTP/2 here: a TLS-level refusal.
    throw new Http2DialError(
      new Error(
        `server did not agree to HTTP/2 by ALPN (it chose ${
          secure.alpnProtocol ? `"${secure.alpnProtocol}"` : "no protocol"
        }); use --engine http1 for this target`,
      ),
      "tls",
      "tls",
    );
  }
  return secure;
}

/** Resolves on `name`, rejects on the socket's first error. */
function event(sock: net.Socket, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    sock.once(name, () => resolve());
    sock.once("error", reject);
  });
}

/** `p`, or a timeout {@link Http2DialError} at `deadline` (destroying `sock` then). */
function within<T>(p: Promise<T>, deadline: number, sock: net.Socket | null): Promise<T> {
  const left = deadline - performance.now();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sock?.destroy();
      const e = new Error(`no connection within the request timeout`);
      reject(new Http2DialError(e, "connect", "timeout"));
    }, Math.max(0, left));
    p.then((v) => {
      clearTimeout(timer);
      resolve(v);
    }, (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
