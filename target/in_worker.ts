/**
 * Starts the embedded target on a worker thread (see worker.ts). The worker URL is static so
 * that `deno compile --include target/worker.ts` embeds it.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { TargetOptions } from "./server.ts";

/** A target running on its own thread. */
export interface WorkerTarget {
  /** Base URL without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops the server and the worker. */
  close(): Promise<void>;
}

/** Starts the target in a worker and resolves once it listens. */
export async function startTargetInWorker(options: TargetOptions = {}): Promise<WorkerTarget> {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  const first = await new Promise<{ url?: string; port?: number; error?: string }>((resolve) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      resolve({ error: e.message });
    };
    const { signal: _signal, ...plain } = options;
    worker.postMessage({ options: plain });
  });
  if (first.error !== undefined || !first.url) {
    worker.terminate();
    throw new ConfigError(`Cannot start the embedded target: ${first.error ?? "no answer"}`);
  }
  return {
    url: first.url,
    port: first.port!,
    async close(): Promise<void> {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        worker.onmessage = () => {
          clearTimeout(timer);
          resolve();
        };
        worker.postMessage("close");
      });
      worker.terminate();
    },
  };
}
