/**
 * The one process-wide interval that sweeps every open http1 client: it kills requests past
 * their deadline or aborted by the caller, and reaps connections idle too long. A timer or an
 * abort listener per request would cost an allocation and a registration on the hot path; the
 * scan costs microseconds per tick. Its tick time doubles as a coarse clock, so that marking a
 * connection idle costs no clock call per request.
 *
 * @module
 */

/** How often in-flight requests are checked for timeouts and aborts, ms. */
export const SWEEP_INTERVAL_MS = 10;

/** What the sweeper visits: a client. */
export interface Swept {
  /** Called every tick with the tick's `performance.now()`. */
  sweep(now: number): void;
}

const swept = new Set<Swept>();
let sweepTimer: ReturnType<typeof setInterval> | null = null;
let clock = performance.now();

function sweepAll(): void {
  const now = clock = performance.now();
  for (const c of swept) c.sweep(now);
}

/**
 * The last tick's time: behind `performance.now()` by up to a tick (more if the event loop is
 * late), which only makes an idle connection look that much older.
 */
export function sweptAt(): number {
  return clock;
}

/** Starts sweeping `c` every {@link SWEEP_INTERVAL_MS}. */
export function watch(c: Swept): void {
  swept.add(c);
  if (sweepTimer === null) {
    clock = performance.now();
    const timer = sweepTimer = setInterval(sweepAll, SWEEP_INTERVAL_MS);
    // Never keep a process alive just to watch idle clients.
    Deno.unrefTimer(timer);
  }
}

/** Stops sweeping `c`; the interval stops with the last client. */
export function unwatch(c: Swept): void {
  swept.delete(c);
  if (swept.size === 0 && sweepTimer !== null) {
    clearInterval(sweepTimer);
    sweepTimer = null;
  }
}
