/**
 * `--rps`: a per-thread cap on requests per second (k6's meaning: HTTP requests, every
 * redirect hop included, not iterations). The run's cap is divided over its load threads and
 * hosts (each thread is given `rps / segment.count`), and each thread enforces its share with
 * a token bucket holding one token: request `n` of the thread may start no earlier than
 * `n / rate` after the first, so over any window the thread sends at most `rate × window + 1`.
 *
 * A request held back keeps its scheduled start: the wait is part of its latency (and, in an
 * open loop, of its scheduler lag), because a capped target is what the clients see. An honest
 * open loop shows the cap's delay; it never hides it by moving the schedule.
 *
 * ```ts
 * import { RateCap } from "./rate_cap.ts";
 * const cap = new RateCap(50); // one request every 20 ms
 * cap.reserve(0); // 0: the first goes at once
 * cap.reserve(0); // 20: the second waits 20 ms
 * ```
 *
 * @module
 */

/** A token bucket of one token: pure, driven by the times it is given. */
export class RateCap {
  readonly #interval: number;
  #next = -Infinity;

  /** A cap of `perSecond` requests per second (above 0). */
  constructor(perSecond: number) {
    if (!(perSecond > 0)) throw new RangeError(`Invalid rate ${perSecond}: expected above 0`);
    this.#interval = 1000 / perSecond;
  }

  /**
   * Reserves the next slot for a request that wants to start at `now` (ms) and returns how
   * long it must wait, 0 when it may start at once. Each call takes a slot, so concurrent
   * callers queue in call order.
   */
  reserve(now: number): number {
    const at = this.#next > now ? this.#next : now;
    this.#next = at + this.#interval;
    return at - now;
  }
}

/**
 * Waits `ms`, or less when `signal` aborts first; resolves to true when the wait ran out, false
 * when it was aborted.
 */
export function capWait(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
