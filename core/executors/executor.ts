/**
 * The Executor seam: a load model decides *when* iterations start and on which VU; what an
 * iteration does (one HTTP request, a user's scenario function) is the runner's business,
 * reached through {@link ExecutionContext.iterate}. Executors never measure and never record:
 * they report starts, drops and VU counts through the context.
 *
 * @module
 */
import type { Plan, Segment } from "../types.ts";

/** What an executor is given to run. */
export interface ExecutionContext {
  /** This process's slice of the run. */
  readonly segment: Segment;
  /** Aborts to stop starting iterations early (SIGINT, a threshold abort). */
  readonly stop: AbortSignal;
  /** `performance.now()` value of the scenario's time zero. */
  readonly startAt: number;
  /**
   * Runs one iteration on VU `vu` (0-based, local to this executor and segment), due at
   * `scheduled`. Never rejects: failures are recorded by the runner.
   */
  iterate(vu: number, scheduled: number): Promise<void>;
  /** An arrival was due at `scheduled` but no VU was free: it is counted, never silently skipped. */
  dropped(scheduled: number): void;
  /** The number of busy and allocated VUs changed. */
  vus(active: number, allocated: number): void;
  /** Graceful stop ran out: in-flight iterations must end now (they count as interrupted). */
  interrupt(): void;
  /**
   * Aborts when in-flight work must end now, before graceful stop runs out (a second Ctrl-C):
   * {@link InFlight.drain} stops waiting for the grace period then.
   */
  readonly hardStop?: AbortSignal;
  /**
   * Ends the iteration VU `vu` is running now, and only that one: `ramping-vus` calls it when
   * a VU asked to stop during a ramp-down is still busy after `gracefulRampDown`, while every
   * other VU keeps running. Later iterations on the same VU must not be affected. Optional
   * because only the ramp-down needs it; without it such a VU is left to finish its iteration
   * (it is not counted as interrupted) and the end-of-run graceful stop still applies.
   */
  interruptVu?(vu: number): void;
}

/** What an executor did. */
export interface ExecutorResult {
  /** Iterations started. */
  started: number;
  /** Arrivals dropped for lack of a free VU. */
  dropped: number;
  /** Iterations still running when graceful stop ran out. */
  interrupted: number;
  /** Whether scheduling ended early because `stop` aborted. */
  stopped: boolean;
}

/** A load model. */
export interface Executor {
  /** Executor id, e.g. `constant-arrival-rate`. */
  readonly kind: string;
  /**
   * True when the executor interrupts single VUs (`ctx.interruptVu`), e.g. on ramp-down: the
   * runner then gives each iteration its own abort signal. Others share one, allocation-free.
   */
  readonly interruptsVus?: boolean;
  /** The resolved plan for this segment (for `--dry-run` and reports); pure. */
  plan(): Plan;
  /** Runs the load model to its end (or until `ctx.stop`), then drains in-flight work. */
  run(ctx: ExecutionContext): Promise<ExecutorResult>;
}

/**
 * Tracks in-flight iterations so an executor can wait for them with a deadline. One instance
 * per executor run; `settled()` resolves when none are left.
 */
export class InFlight {
  /** Iterations currently running. */
  count = 0;
  #idle: (() => void) | null = null;

  /** Marks one iteration finished. */
  done(): void {
    this.count--;
    if (this.count === 0 && this.#idle) {
      const r = this.#idle;
      this.#idle = null;
      r();
    }
  }

  /** Resolves once nothing is in flight. */
  settled(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((r) => (this.#idle = r));
  }

  /**
   * Waits for in-flight work for up to `graceMs` (less if `hard` aborts); past that, calls
   * `interrupt` and gives the rest {@link ABANDON_AFTER_MS} to notice. User code that never
   * settles (`await new Promise(() => {})`) cannot be cancelled from outside, so it is
   * abandoned rather than waited for: a run must always end and leave its summary. Returns
   * how many were interrupted (abandoned ones included); {@link abandoned} tells how many of
   * them never settled.
   */
  async drain(graceMs: number, interrupt: () => void, hard?: AbortSignal): Promise<number> {
    if (this.count === 0) return 0;
    const settledIn = async (ms: number, signal?: AbortSignal): Promise<boolean> => {
      if (this.count === 0) return true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onAbort: (() => void) | undefined;
      const done = await Promise.race([
        this.settled().then(() => true),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(false), ms);
          if (signal) {
            onAbort = () => r(false);
            if (signal.aborted) onAbort();
            else signal.addEventListener("abort", onAbort, { once: true });
          }
        }),
      ]);
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
      return done;
    };
    if (await settledIn(graceMs, hard)) return 0;
    const interrupted = this.count;
    interrupt();
    if (!(await settledIn(ABANDON_AFTER_MS))) this.abandoned = this.count;
    return interrupted;
  }

  /** Iterations that did not settle even after being interrupted, and were left behind. */
  abandoned = 0;
}

/**
 * How long interrupted iterations get to settle before they are abandoned. Engines end their
 * in-flight requests at once on interrupt; only user code that ignores it takes longer.
 */
export const ABANDON_AFTER_MS = 2000;
