/**
 * Evidence: what a run knows besides its metric snapshot — the first message of each error
 * kind, why checks failed, what scenario code threw, what each scenario's executor did, and how
 * long the load thread spent yielding. It is plain JSON-safe data with one merge function, so a
 * load worker, a fleet host and `rampa merge` all combine it the same way; the summary and the
 * verdict are built from the merged value only.
 *
 * {@link EvidenceLog} is the recording side a load thread writes into (bounded, no allocation
 * once a key is known); {@link Evidence} the value it hands over.
 *
 * @example
 * ```ts
 * import { createEvidence, EvidenceLog, mergeEvidence } from "./evidence.ts";
 * const a = new EvidenceLog();
 * a.checkFailed("status is 200", "got 500");
 * const total = createEvidence();
 * mergeEvidence(total, a.take());
 * ```
 *
 * @module
 */
import type { ExecutorResult } from "../executors/executor.ts";

/** Most distinct failure reasons kept per check. */
export const MAX_CHECK_REASONS = 20;
/** Most distinct iteration error kinds kept. */
export const MAX_ITERATION_ERROR_KINDS = 50;

/** One kind of exception thrown by scenario code. */
export interface IterationErrorEntry {
  count: number;
  /** The first one's message with its file:line. */
  example: string;
}

/** The mergeable evidence of a run or of one share of it (a worker, a host). */
export interface Evidence {
  /** First message per transport error kind. */
  errorExamples: Record<string, string>;
  /** Failure counts per check name and reason (bounded per check). */
  checkReasons: Record<string, Record<string, number>>;
  /** Exceptions thrown by scenario code, by error name. */
  iterationErrors: Record<string, IterationErrorEntry>;
  /** What each scenario's executor did, by scenario name. */
  scenarios: Record<string, ExecutorResult>;
  /** Time the load threads spent yielding just before due arrivals, ms (summed). */
  spinMs: number;
  /** Arrivals rehearsed on a stand-in before the clock (ADR 23), summed; never measured. */
  rehearsed: number;
}

/** An empty evidence value. */
export function createEvidence(): Evidence {
  return {
    errorExamples: {},
    checkReasons: {},
    iterationErrors: {},
    scenarios: {},
    spinMs: 0,
    rehearsed: 0,
  };
}

/**
 * Adds `from` into `into`: counts add up, the first example of a kind is kept, reasons stay
 * bounded. Associative and commutative up to which example is kept.
 */
export function mergeEvidence(into: Evidence, from: Evidence): Evidence {
  for (const [k, v] of Object.entries(from.errorExamples)) into.errorExamples[k] ??= v;
  for (const [name, reasons] of Object.entries(from.checkReasons)) {
    const m = into.checkReasons[name] ??= {};
    for (const [r, n] of Object.entries(reasons)) addReason(m, r, n);
  }
  for (const [k, e] of Object.entries(from.iterationErrors)) {
    const mine = into.iterationErrors[k];
    if (mine) mine.count += e.count;
    else if (Object.keys(into.iterationErrors).length < MAX_ITERATION_ERROR_KINDS) {
      into.iterationErrors[k] = { ...e };
    }
  }
  for (const [name, r] of Object.entries(from.scenarios)) {
    const mine = into.scenarios[name];
    if (!mine) into.scenarios[name] = { ...r };
    else {
      mine.started += r.started;
      mine.dropped += r.dropped;
      mine.interrupted += r.interrupted;
      mine.stopped ||= r.stopped;
    }
  }
  into.spinMs += from.spinMs;
  into.rehearsed += from.rehearsed;
  return into;
}

/** The most frequent failure reasons of check `name`. */
export function topReasons(
  e: Evidence,
  name: string,
  n = 3,
): { reason: string; count: number }[] {
  return Object.entries(e.checkReasons[name] ?? {}).sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([reason, count]) => ({ reason, count }));
}

function addReason(m: Record<string, number>, reason: string, n: number): void {
  if (reason in m) m[reason] += n;
  else if (Object.keys(m).length < MAX_CHECK_REASONS) m[reason] = n;
}

/**
 * The recording side of {@link Evidence} for one thread: protocols note error examples, checks
 * note failure reasons, scenario runs note iteration errors. `take()` hands the current value
 * over; `clear()` forgets a warm-up's.
 */
export class EvidenceLog {
  #e: Evidence = createEvidence();

  /** Notes the first message seen for an error kind (later ones are ignored). */
  errorExample(kind: string, message: string): void {
    this.#e.errorExamples[kind] ??= message;
  }

  /** True once an example for `kind` is known (lets hot paths skip building a message). */
  hasErrorExample(kind: string): boolean {
    return kind in this.#e.errorExamples;
  }

  /** Notes `count` failures of check `name` for `reason`. */
  checkFailed(name: string, reason: string, count = 1): void {
    addReason(this.#e.checkReasons[name] ??= {}, reason, count);
  }

  /** Notes one exception of kind `kind` thrown by scenario code. */
  iterationError(kind: string, example: () => string): void {
    const seen = this.#e.iterationErrors[kind];
    if (seen) seen.count++;
    else if (Object.keys(this.#e.iterationErrors).length < MAX_ITERATION_ERROR_KINDS) {
      this.#e.iterationErrors[kind] = { count: 1, example: example() };
    }
  }

  /** Records what a scenario's executor did. */
  scenario(name: string, result: ExecutorResult): void {
    mergeEvidence(this.#e, { ...createEvidence(), scenarios: { [name]: result } });
  }

  /** Adds time spent yielding before due arrivals. */
  spin(ms: number): void {
    this.#e.spinMs += ms;
  }

  /** Notes `n` arrivals rehearsed before the clock (after the rehearsal cleared the log). */
  rehearsed(n: number): void {
    this.#e.rehearsed += n;
  }

  /** The evidence so far (a live view; merge it to keep a copy). */
  get value(): Evidence {
    return this.#e;
  }

  /** Forgets everything (what a warm-up saw must not reach the measured run). */
  clear(): void {
    this.#e = createEvidence();
  }
}
