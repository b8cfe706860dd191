/**
 * The per-thread extras around an engine client: the `--rps` cap and `--http-debug` printing.
 * Without either flag {@link wrapClient} returns the engine's client itself, so the hot path
 * pays nothing; with them, every request of the thread (ad-hoc arrivals, scenario requests and
 * each redirect hop) passes through one cap and one printer shared by the thread's clients.
 *
 * @module
 */
import type { Runtime } from "../../core/protocol/types.ts";
import { type DebugState, printExchange } from "./debug.ts";
import { capWait, RateCap } from "./rate_cap.ts";
import type { EngineClient, Outcome, PreparedRequest } from "./types.ts";

/** What one thread shares between its HTTP clients. */
interface ThreadExtras {
  readonly cap: RateCap | null;
  readonly debug: DebugState | null;
  readonly full: boolean;
}

const KEY = "http.extras";

function extrasOf(rt: Runtime): ThreadExtras {
  let x = rt.state.get(KEY) as ThreadExtras | undefined;
  if (x === undefined) {
    const o = rt.options;
    x = {
      cap: o.rps !== undefined && o.rps > 0 ? new RateCap(o.rps) : null,
      debug: o.httpDebug !== undefined ? { shown: 0 } : null,
      full: o.httpDebug === "full",
    };
    rt.state.set(KEY, x);
  }
  return x;
}

/** True when the run asks for the cap or for debug printing. */
export function needsWrap(rt: Runtime): boolean {
  return rt.options.rps !== undefined || rt.options.httpDebug !== undefined;
}

/** `client` behind the thread's `--rps` cap and `--http-debug` printer (itself without them). */
export function wrapClient(client: EngineClient, rt: Runtime): EngineClient {
  if (!needsWrap(rt)) return client;
  const { cap, debug, full } = extrasOf(rt);
  const sendOnce = debug === null
    ? (req: PreparedRequest, out: Outcome, signal?: AbortSignal) => client.send(req, out, signal)
    : async (req: PreparedRequest, out: Outcome, signal?: AbortSignal) => {
      await client.send(req, out, signal);
      printExchange(debug, req, out, full);
    };
  const send = cap === null ? sendOnce : async (
    req: PreparedRequest,
    out: Outcome,
    signal?: AbortSignal,
  ): Promise<void> => {
    const now = performance.now();
    const wait = cap.reserve(now);
    if (wait <= 0) return sendOnce(req, out, signal);
    // The outcome keeps its scheduled start: the wait is latency the capped clients see (and
    // `held`, so that it is not mistaken for scheduler lag).
    const ok = await capWait(wait, signal);
    out.held = performance.now() - now;
    if (!ok) {
      out.started = out.ended = performance.now();
      out.error = "aborted";
      out.errorMessage = "request aborted while waiting for its turn under --rps";
      return;
    }
    await sendOnce(req, out, signal);
  };
  return {
    send,
    ...(client.warm ? { warm: (r: PreparedRequest, n: number) => client.warm!(r, n) } : {}),
    close: () => client.close(),
  };
}
