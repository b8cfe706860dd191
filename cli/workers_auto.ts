/**
 * `--workers auto`: how many load threads a run gets when the user does not say.
 *
 * @module
 */

/**
 * As many workers as the load needs (about 2,000 arrivals/s or 32 VUs each), never more than
 * the CPUs (capped at 8). Small tests get one: a worker costs a module load and memory, and
 * buys nothing below that load.
 */
export function autoWorkers(peakRate: number | null, peakVUs: number): number {
  const cpus = Math.min(8, navigator.hardwareConcurrency || 1);
  const need = peakRate !== null ? Math.ceil(peakRate / 2000) : Math.ceil(peakVUs / 32);
  return Math.max(1, Math.min(cpus, need));
}
