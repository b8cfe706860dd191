/**
 * Shared fixtures of the fetch engine tests: a small target server on 127.0.0.1, fault-server
 * scoping, and one-shot sending through a fresh client.
 *
 * @module
 */

import {
  createOutcome,
  type EngineClient,
  type Outcome,
  type RequestSpec,
  resetOutcome,
} from "../../../engines/http/types.ts";
import { createFetchEngine } from "../../../engines/http/mod.ts";
import type { FaultServer } from "../../_servers/faults.ts";

// fetch applies HTTP_PROXY even to 127.0.0.1; every file importing this gets the exemption.
Deno.env.set("NO_PROXY", "127.0.0.1,localhost,::1");

/** The engine under test, with its defaults. */
export const engine = createFetchEngine();

/** A small target: each path shows one thing the engine must get right. */
export function startTarget(): Deno.HttpServer<Deno.NetAddr> & { url: string } {
  let active = 0;
  let peak = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req, info) => {
      const path = new URL(req.url).pathname;
      if (path === "/echo") {
        const body = new Uint8Array(await req.arrayBuffer());
        return new Response(`${req.method} ${body.byteLength}`);
      }
      if (path === "/port") return new Response(String(info.remoteAddr.port));
      if (path === "/host") return new Response(req.headers.get("host"));
      if (path === "/busy") {
        // Holds each request until the next one could have arrived, and records the peak.
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 50));
        active--;
        return new Response(String(peak));
      }
      if (path === "/gzip") {
        const plain = new Blob([new TextEncoder().encode("a".repeat(10_000))]);
        const gz = await new Response(plain.stream().pipeThrough(new CompressionStream("gzip")))
          .arrayBuffer();
        return new Response(gz, { headers: { "content-encoding": "gzip" } });
      }
      if (path === "/stall") {
        // Sends a first chunk, then nothing until the client gives up.
        let timer: ReturnType<typeof setTimeout> | undefined;
        return new Response(
          new ReadableStream({
            start(ctl): void {
              ctl.enqueue(new Uint8Array(10));
              timer = setTimeout(() => ctl.close(), 30_000);
            },
            cancel(): void {
              clearTimeout(timer);
            },
          }),
        );
      }
      return new Response("hello", { headers: { "x-test": "yes" } });
    },
  );
  return Object.assign(server, { url: `http://127.0.0.1:${server.addr.port}` });
}

/** Runs `fn` against a fresh target, shut down afterwards. */
export async function withTarget(fn: (url: string) => Promise<void>): Promise<void> {
  const server = startTarget();
  try {
    await fn(server.url);
  } finally {
    await server.shutdown();
  }
}

/** Runs `fn` against a fresh fault server, closed afterwards. */
export async function withFault(
  start: () => Promise<FaultServer>,
  fn: (server: FaultServer) => Promise<void>,
): Promise<void> {
  const server = await start();
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

/** Sends one request through a fresh client and returns its outcome. */
export async function sendOnce(
  spec: RequestSpec,
  signal?: AbortSignal,
  client: EngineClient = engine.createClient({}),
): Promise<Outcome> {
  const out = createOutcome();
  resetOutcome(out, performance.now());
  try {
    await client.send(engine.prepare(spec), out, signal);
  } finally {
    client.close();
  }
  return out;
}

/** The kept response body as text. */
export const text = (out: Outcome): string =>
  new TextDecoder().decode(out.body ?? new Uint8Array());
