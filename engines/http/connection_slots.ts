/**
 * A counting semaphore for in-flight requests. fetch has no per-host connection cap (N
 * concurrent requests open N connections), so a client that promises an upper bound on its
 * connections has to bound its in-flight requests itself. Waiting is FIFO, so a queued
 * request is not overtaken by later ones, and abortable, so a run that stops does not leave
 * requests queued behind a slow server.
 *
 * @module
 */

interface Waiter {
  resolve(granted: boolean): void;
  settled: boolean;
}

/** A fixed number of slots, taken with {@link ConnectionSlots.acquire} and given back. */
export class ConnectionSlots {
  #free: number;
  #waiters: Waiter[] = [];
  #head = 0;
  #closed = false;

  /** Creates `size` slots (at least 1). */
  constructor(size: number) {
    this.#free = Math.max(1, Math.floor(size));
  }

  /** Slots not taken right now. */
  get free(): number {
    return this.#free;
  }

  /** Requests queued for a slot. */
  get waiting(): number {
    return this.#waiters.length - this.#head;
  }

  /**
   * Takes a slot. Returns `true` synchronously when one is free (the hot path allocates
   * nothing), else a promise that resolves `true` once a slot is handed over, or `false` when
   * `signal` aborts or the slots are closed first; only a `true` result must be released.
   */
  acquire(signal?: AbortSignal): boolean | Promise<boolean> {
    if (this.#closed || signal?.aborted) return false;
    if (this.#free > 0) {
      this.#free--;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        settled: false,
        resolve(granted: boolean): void {
          if (waiter.settled) return;
          waiter.settled = true;
          signal?.removeEventListener("abort", onAbort);
          resolve(granted);
        },
      };
      const onAbort = (): void => waiter.resolve(false);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Gives a slot back, handing it straight to the longest-waiting live request if any. */
  release(): void {
    while (this.#head < this.#waiters.length) {
      const waiter = this.#waiters[this.#head++];
      if (!waiter.settled) {
        this.#compact();
        waiter.resolve(true);
        return;
      }
    }
    this.#compact();
    this.#free++;
  }

  /** Refuses every queued and future request; in-flight ones keep their slots until released. */
  close(): void {
    this.#closed = true;
    const waiters = this.#waiters.slice(this.#head);
    this.#waiters = [];
    this.#head = 0;
    for (const waiter of waiters) waiter.resolve(false);
  }

  /** Drops consumed queue entries now and then, so the queue array does not grow forever. */
  #compact(): void {
    if (this.#head === this.#waiters.length) {
      this.#waiters = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#waiters.length) {
      this.#waiters = this.#waiters.slice(this.#head);
      this.#head = 0;
    }
  }
}
