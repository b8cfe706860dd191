/**
 * The shared-memory cells between the main thread and the waker's thread (Int32 indexes,
 * then one Float64 at a byte offset). Kept apart so both sides import the same numbers.
 *
 * @module
 */

/** Incremented by the waker's thread at each wake; the main thread `waitAsync`s on it. */
export const WAKE = 0;
/** Incremented by the main thread whenever it sets a new wake time (or stops). */
export const ARM = 1;
/** Set to 1 by the main thread to end the waker's thread. */
export const STOP = 2;
/** Byte offset of the armed wake time (epoch ms; 0 = nothing armed). */
export const AT_OFFSET = 16;
/** Size of the shared buffer in bytes. */
export const BYTES = 24;
