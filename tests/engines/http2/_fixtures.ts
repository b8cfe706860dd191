/**
 * Helpers for the http2 engine's tests: nginx with HTTP/2 (and a throw-away certificate), and
 * sending many requests at once through one client.
 *
 * @module
 */

import { createOutcome, type EngineClient, type Outcome } from "../../../engines/http/types.ts";
import { createHttp2Engine } from "../../../engines/http2/mod.ts";
import {
  hasNginx,
  type NginxInstance,
  type NginxOptions,
  startNginx,
} from "../../../tools/testing/nginx.ts";
import { generateSelfSignedCert, type SelfSignedCert } from "../../../tools/testing/tls_cert.ts";

/** The engine under test. */
export const engine = createHttp2Engine();

/** Whether nginx is installed (the nginx tests are skipped otherwise, with a message). */
export const haveNginx: boolean = hasNginx();

let cert: Promise<SelfSignedCert> | null = null;
/** One self-signed certificate for the whole test file. */
export function testCert(): Promise<SelfSignedCert> {
  return cert ??= generateSelfSignedCert();
}

/** Runs `fn` with a private nginx speaking HTTP/2 (TLS and h2c), logging every request. */
export async function withH2Nginx(
  opts: NginxOptions,
  fn: (n: NginxInstance) => Promise<void>,
): Promise<void> {
  const n = await startNginx({ http2: true, accessLog: true, tls: await testCert(), ...opts });
  try {
    await fn(n);
  } finally {
    await n.stop();
  }
}

/** Sends `count` requests at once through `client`; resolves to their outcomes, in order. */
export async function sendAll(
  client: EngineClient,
  url: string,
  count: number,
  spec: { method?: string; body?: string; timeoutMs?: number; keep?: boolean } = {},
): Promise<Outcome[]> {
  const req = engine.prepare({
    method: spec.method ?? "GET",
    url,
    body: spec.body,
    timeoutMs: spec.timeoutMs,
    keepResponse: spec.keep ?? true,
  });
  const outs = Array.from({ length: count }, () => {
    const o = createOutcome();
    o.scheduled = performance.now();
    return o;
  });
  await Promise.all(outs.map((o) => client.send(req, o)));
  return outs;
}

/** How many times each value occurs. */
export function tally<T>(values: T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}
