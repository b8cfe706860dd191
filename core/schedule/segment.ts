/**
 * Execution segments: how one run splits into `count` parts (workers, hosts) so that the
 * union of the parts is exactly the unsplit run. Arrivals are striped (arrival k belongs to
 * segment k mod count), which keeps every segment's arrivals evenly interleaved in time;
 * integer quantities (VUs, iterations) are split so shares differ by at most one and sum to
 * the total.
 *
 * @module
 */
import type { Segment } from "../types.ts";

/** This segment's share of an integer `total` (shares sum to `total`). */
export function shareOf(total: number, seg: Segment): number {
  return Math.floor(((seg.index + 1) * total) / seg.count) -
    Math.floor((seg.index * total) / seg.count);
}

/** The first unit (VU number, iteration number) of the whole run that belongs to `seg`. */
export function offsetOf(total: number, seg: Segment): number {
  return Math.floor((seg.index * total) / seg.count);
}

/** Number of striped arrivals, out of `total`, that belong to `seg`. */
export function stripedCount(total: number, seg: Segment): number {
  if (total <= seg.index) return 0;
  return Math.floor((total - 1 - seg.index) / seg.count) + 1;
}

/** Checks a segment's numbers; returns a problem description or null. */
export function validateSegment(seg: Segment): string | null {
  if (!Number.isInteger(seg.count) || seg.count < 1) {
    return `Invalid segment count ${seg.count}: expected a whole number ≥ 1`;
  }
  if (!Number.isInteger(seg.index) || seg.index < 0 || seg.index >= seg.count) {
    return `Invalid segment index ${seg.index}: expected 0 to ${seg.count - 1}`;
  }
  return null;
}
