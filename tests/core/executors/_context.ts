/**
 * A fake ExecutionContext for executor tests: it records what an executor asked for (scheduled
 * offsets, VUs used, drops, VU counts, interrupts) and lets each test decide how long an
 * iteration takes. Iterations see one abort signal that fires on `interrupt()` or, for their
 * VU only, on `interruptVu(vu)`.
 *
 * @module
 */
import type { ExecutionContext } from "../../../core/executors/executor.ts";
import type { Segment } from "../../../core/types.ts";
import { type ExecutorConfig, ExecutorConfigSchema } from "../../../core/executors/config.ts";

/** What an iteration does: `at` is its scheduled offset, `cut` aborts when it is interrupted. */
export type Work = (vu: number, at: number, cut: AbortSignal) => Promise<void>;

/** Everything the executor told the context, offsets relative to `startAt`. */
export interface Recorded {
  scheduled: number[];
  perVu: Map<number, number>;
  dropped: number[];
  /** Every `vus()` call with the offset at which it was made. */
  vus: { atMs: number; active: number; allocated: number }[];
  interrupts: number;
  vuInterrupts: { vu: number; atMs: number }[];
  /** Iterations started after `stop` had aborted: must stay 0. */
  startedAfterStop: number;
}

/** Options of {@link fakeContext}. */
export interface FakeOptions {
  stop?: AbortSignal;
  segment?: Segment;
  /** Offer `interruptVu` (default true). */
  perVu?: boolean;
}

const offset = (t: number, startAt: number): number => Math.round((t - startAt) * 1e6) / 1e6;

/** Creates a recording context whose iterations run `work`. */
export function fakeContext(
  work: Work,
  opts: FakeOptions = {},
): { ctx: ExecutionContext; rec: Recorded } {
  const stop = opts.stop ?? new AbortController().signal;
  const rec: Recorded = {
    scheduled: [],
    perVu: new Map(),
    dropped: [],
    vus: [],
    interrupts: 0,
    vuInterrupts: [],
    startedAfterStop: 0,
  };
  const all = new AbortController();
  const perVu = new Map<number, AbortController>();
  const vuCut = (vu: number): AbortController => {
    let c = perVu.get(vu);
    if (!c) perVu.set(vu, c = new AbortController());
    return c;
  };
  const startAt = performance.now() + 5;
  const ctx: ExecutionContext = {
    segment: opts.segment ?? { index: 0, count: 1 },
    stop,
    startAt,
    iterate: (vu, s) => {
      if (stop.aborted) rec.startedAfterStop++;
      const at = offset(s, startAt);
      rec.scheduled.push(at);
      rec.perVu.set(vu, (rec.perVu.get(vu) ?? 0) + 1);
      return work(vu, at, AbortSignal.any([all.signal, vuCut(vu).signal]));
    },
    dropped: (s) => rec.dropped.push(offset(s, startAt)),
    vus: (active, allocated) =>
      rec.vus.push({ atMs: offset(performance.now(), startAt), active, allocated }),
    interrupt: () => {
      rec.interrupts++;
      all.abort();
    },
  };
  if (opts.perVu ?? true) {
    ctx.interruptVu = (vu) => {
      rec.vuInterrupts.push({ vu, atMs: offset(performance.now(), startAt) });
      vuCut(vu).abort();
      // Only the running iteration is cut; the VU's next one gets a fresh signal.
      perVu.delete(vu);
    };
  }
  return { ctx, rec };
}

/** An iteration that takes `ms` (0: settles in a microtask, no timer at all). */
export const pause = (ms: number): Work => () =>
  ms === 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms));

/** An iteration that runs until it is interrupted. */
export const hang: Work = (_vu, _at, cut) =>
  new Promise((r) => {
    if (cut.aborted) r();
    else cut.addEventListener("abort", () => r(), { once: true });
  });

/** Parses a config the way users write it, so tests exercise the defaults too. */
export function config(input: Record<string, unknown>): ExecutorConfig {
  return ExecutorConfigSchema.parse(input);
}

/** Consecutive duplicates removed: the shape of a recorded curve. */
export function distinct(values: readonly number[]): number[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}
