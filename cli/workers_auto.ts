/**
 * `--workers auto`: how many load threads a run gets when the user does not say. One load
 * thread of the lean HTTP engine sustains tens of thousands of requests/s on schedule; splitting
 * a smaller load only adds threads that compete with each other (and with the target, on the
 * small CI machines users run on) for the same cores.
 *
 * @module
 */

/**
 * Arrivals per second one load thread keeps on schedule with room to spare: about half of the
 * open-loop ceiling measured for the http1 engine on one core (bench:peers, ~40-50k/s), so
 * send lag stays sub-millisecond.
 */
export const RATE_PER_THREAD = 20_000;

/** VUs per load thread in closed loop before another thread pays (its event loop saturates). */
export const VUS_PER_THREAD = 500;

/** The number of load threads and why. */
export interface WorkerChoice {
  readonly workers: number;
  readonly reason: string;
}

/** Chooses load threads for a planned peak rate (open loop) or peak VUs (closed loop). */
export function chooseWorkers(peakRate: number | null, peakVUs: number): WorkerChoice {
  const cpus = Math.min(8, navigator.hardwareConcurrency || 1);
  const need = peakRate !== null
    ? Math.ceil(peakRate / RATE_PER_THREAD)
    : Math.ceil(peakVUs / VUS_PER_THREAD);
  const workers = Math.max(1, Math.min(cpus, need));
  const load = peakRate !== null
    ? `${Math.round(peakRate).toLocaleString("en-US")}/s planned, one thread sustains ~${
      RATE_PER_THREAD.toLocaleString("en-US")
    }/s`
    : `${peakVUs} VUs, one thread drives up to ${VUS_PER_THREAD}`;
  const capped = need > workers ? ` (capped at ${cpus} CPUs)` : "";
  return {
    workers,
    reason: `auto: ${workers} load thread${workers > 1 ? "s" : ""}: ${load}${capped}`,
  };
}
