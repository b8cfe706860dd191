/// <reference lib="deno.worker" />
/**
 * Runs the embedded target inside a Web Worker, on its own thread and event loop, so that a
 * demo's target never competes with the generator's scheduling in the same loop.
 * Protocol: the parent posts `{ options }`; the worker answers `{ url, port }` once listening
 * (or `{ error }`); the parent posts `"close"` and the worker answers `"closed"`.
 *
 * @module
 */
import { startTarget, type TargetOptions } from "./server.ts";

let server: ReturnType<typeof startTarget> | null = null;

self.onmessage = async (e: MessageEvent<{ options: TargetOptions } | "close">) => {
  if (e.data === "close") {
    await server?.close();
    self.postMessage("closed");
    return;
  }
  try {
    server = startTarget({ ...e.data.options, quiet: true });
    self.postMessage({ url: server.url, port: server.port });
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
};
