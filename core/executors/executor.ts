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
   * Waits for in-flight work for up to `graceMs`; past that, calls `interrupt` and waits for
   * the rest to settle. Returns how many were interrupted.
   */
  async drain(graceMs: number, interrupt: () => void): Promise<number> {
    if (this.count === 0) return 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      this.settled().then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (!timedOut) return 0;
    const interrupted = this.count;
    interrupt();
    await this.settled();
    return interrupted;
  }
}
