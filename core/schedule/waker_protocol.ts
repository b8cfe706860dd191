/**
 * The shared-memory cells between the main thread and the waker's thread (Int32 indexes, then
 * Float64s at byte offsets). Kept apart so both sides import the same numbers.
 *
 * Arming costs the main thread no wake-up of the other thread in the common case: it writes
 * the time and bumps {@link ARM}, and notifies only when the thread would otherwise sleep past
 * that time ({@link DEADLINE_OFFSET}). After each wake the thread naps for the interval it last
 * saw between wakes, so a steady cadence (slice dispatch) is one futex wake-up per slice on each
 * side (ADR 21).
 *
 * @module
 */

/** Incremented by the waker's thread at each wake; the main thread `waitAsync`s on it. */
export const WAKE = 0;
/** Incremented by the main thread whenever it sets a new wake time (or stops). */
export const ARM = 1;
/** Set to 1 by the main thread to end the waker's thread. */
export const STOP = 2;
/**
 * Stored by the waker's thread after writing its deadline (release) and loaded by the main
 * thread after arming, before reading the deadline: the pair orders the Float64 deadline, which
 * has no atomic access, on weak memory models too.
 */
export const FENCE = 3;
/** Byte offset of the armed wake time (epoch ms; 0 = nothing armed yet). */
export const AT_OFFSET = 16;
/**
 * Byte offset of the epoch ms at which the waker's thread will next look at {@link ARM} by
 * itself (Infinity while it waits only for a notify). An arming earlier than this must notify.
 */
export const DEADLINE_OFFSET = 24;
/** Size of the shared buffer in bytes. */
export const BYTES = 32;
