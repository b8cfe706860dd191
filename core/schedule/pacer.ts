/**
 * Pacers: the arrival schedule of open-loop load as a pure function of the arrival index.
 * A pacer never looks at a clock or at how the target is doing, so it cannot lower the
 * offered load; the executor only asks it when arrival k is due and sleeps until then.
 *
 * Arrival k (0-based) is due at the time t where the cumulative number of arrivals N(t),
 * the integral of the rate, equals k: the first arrival is at t = 0, and a constant 100/s
 * has arrivals at 0, 10, 20 … ms. Piecewise-linear rates (ramps) invert the quadratic N(t)
 * exactly, so a ramp has no rounding drift however long it runs.
 *
 * @module
 */

/** One stage of a ramp: move linearly to `target` arrivals/s over `durationMs`. */
export interface RateStage {
  readonly target: number;
  readonly durationMs: number;
}

/** An open-loop arrival schedule. */
export interface Pacer {
  /** Length of the schedule in ms; arrivals due at or after it never happen. */
  readonly durationMs: number;
  /** Offset in ms from the start at which arrival `k` is due; Infinity past the end. */
  arrivalAt(k: number): number;
  /** Number of arrivals due strictly before offset `tMs` (clamped to the schedule). */
  arrivalsBefore(tMs: number): number;
  /** The rate in arrivals/s at offset `tMs` (0 outside the schedule). */
  rateAt(tMs: number): number;
  /** Total arrivals of the whole schedule. */
  readonly total: number;
}

// Float slack for comparing cumulative arrival counts: a stage of exactly 1500 arrivals may
// sum to 1499.9999999 and must still hold arrival 1499 but not 1500.
const EPS = 1e-7;

interface Piece {
  start: number; // ms offset
  end: number;
  r0: number; // arrivals per ms at start
  r1: number; // arrivals per ms at end
  n0: number; // cumulative arrivals at start
  n1: number; // cumulative arrivals at end
}

/**
 * A piecewise-linear rate schedule starting at `startRate` (arrivals/s) and moving through
 * `stages`. A stage of duration 0 jumps the rate instantly.
 */
export function createRampingPacer(startRate: number, stages: readonly RateStage[]): Pacer {
  const pieces: Piece[] = [];
  let t = 0;
  let r = startRate / 1000;
  let n = 0;
  for (const s of stages) {
    const r1 = s.target / 1000;
    if (s.durationMs > 0) {
      const n1 = n + ((r + r1) / 2) * s.durationMs;
      pieces.push({ start: t, end: t + s.durationMs, r0: r, r1, n0: n, n1 });
      n = n1;
      t += s.durationMs;
    }
    r = r1;
  }
  const durationMs = t;
  const total = Math.max(0, Math.ceil(n - EPS));

  function arrivalAt(k: number): number {
    if (k >= total || k < 0) return Infinity;
    // Stages are few (a handful); a linear scan beats a binary search's bookkeeping.
    for (const p of pieces) {
      if (k < p.n1 - EPS) {
        const c = k - p.n0;
        if (c <= 0) return p.start;
        const a = (p.r1 - p.r0) / (2 * (p.end - p.start));
        const b = p.r0;
        // Solve a·τ² + b·τ − c = 0 in the form that stays stable when a → 0.
        const tau = (2 * c) / (b + Math.sqrt(b * b + 4 * a * c));
        return Math.min(p.start + tau, p.end);
      }
    }
    return Infinity;
  }

  function cumulative(tMs: number): number {
    if (tMs <= 0) return 0;
    for (const p of pieces) {
      if (tMs < p.end) {
        const tau = tMs - p.start;
        const a = (p.r1 - p.r0) / (2 * (p.end - p.start));
        return p.n0 + p.r0 * tau + a * tau * tau;
      }
    }
    return n;
  }

  return {
    durationMs,
    total,
    arrivalAt,
    arrivalsBefore(tMs: number): number {
      // Arrival k is before t when N(t) > k, i.e. k < N(t): count = ceil(N(t)).
      return Math.min(total, Math.max(0, Math.ceil(cumulative(tMs) - EPS)));
    },
    rateAt(tMs: number): number {
      for (const p of pieces) {
        if (tMs >= p.start && tMs < p.end) {
          return (p.r0 + ((p.r1 - p.r0) * (tMs - p.start)) / (p.end - p.start)) * 1000;
        }
      }
      return 0;
    },
  };
}

/** A constant rate of `ratePerSecond` for `durationMs`. */
export function createConstantPacer(ratePerSecond: number, durationMs: number): Pacer {
  return createRampingPacer(ratePerSecond, [{ target: ratePerSecond, durationMs }]);
}
