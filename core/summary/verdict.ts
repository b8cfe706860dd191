/**
 * The verdict of a run: one line and one exit code, decided from the summary by fixed rules
 * in a fixed order, so CI sees the most important failure first:
 * an early end (interrupt, threshold abort, unreachable target) > no request got a response >
 * thresholds failed > checks failed (with --fail-on-check) > no request succeeded (every one
 * failed by its protocol's rule: exit 8) > scenario code threw (iteration
 * errors over tolerance) > load not delivered (drops over tolerance) > a late failure (teardown, a lost worker) > success.
 *
 * @module
 */
import { ExitCode } from "../errors.ts";
import type { Summary } from "./schema.ts";

/** What makes a run fail besides thresholds. */
export interface VerdictPolicy {
  /** Any failed check fails the run (exit 5). */
  readonly failOnCheck: boolean;
  /** Largest share of dropped arrivals still accepted (0–1); above it, exit 7. */
  readonly maxDroppedFraction: number;
  /**
   * Largest share of started iterations whose scenario code threw still accepted (0–1); above
   * it (and always when every iteration threw), exit 6. Absent in policies written before it.
   */
  readonly maxIterationErrorFraction?: number;
}

/**
 * The default policy: checks inform, more than 1% dropped arrivals fails, and more than 10%
 * of iterations throwing fails: a scenario that mostly throws tests its own bug, not the
 * target (expected failures belong in checks, which do not throw).
 */
export const DEFAULT_POLICY: VerdictPolicy = {
  failOnCheck: false,
  maxDroppedFraction: 0.01,
  maxIterationErrorFraction: 0.1,
};

/** An early end decided during the run. */
export interface EarlyEnd {
  readonly status: "interrupted" | "aborted";
  readonly reason: string;
  readonly exitCode: number;
}

/**
 * A failure found after the load ended (teardown failed, a worker or host was lost). It fails
 * a run that would otherwise pass; a run that already failed keeps its first reason.
 */
export interface LateFailure {
  readonly message: string;
  readonly exitCode: number;
}

/** Decides the verdict: the one place a run's pass/fail and exit code are decided. */
export function decideVerdict(
  s: Summary,
  policy: VerdictPolicy,
  early?: EarlyEnd | null,
  late?: readonly LateFailure[],
): Summary["verdict"] {
  const v = judge(s, policy, early, late);
  // Pass or fail, results from a generator that was not on time must say so first.
  const h = s.health;
  if (h.verdict !== "trustworthy") {
    v.warning = `results not trustworthy: ${HEALTH_LABEL[h.verdict]}` +
      (h.reasons[0] ? ` (${h.reasons[0]})` : "");
  }
  return v;
}

const HEALTH_LABEL: Readonly<Record<Summary["health"]["verdict"], string>> = {
  trustworthy: "",
  saturated: "generator saturated, latencies include its delay",
  "load-not-delivered": "the planned load was not delivered",
  "coordinated-omission": "the closed loop hid stalls",
};

function judge(
  s: Summary,
  policy: VerdictPolicy,
  early?: EarlyEnd | null,
  late?: readonly LateFailure[],
): Summary["verdict"] {
  if (early) {
    const head = early.status === "interrupted" ? "INTERRUPTED" : "ABORTED";
    return { passed: false, exitCode: early.exitCode, summary: `${head}: ${early.reason}` };
  }
  // Whatever the volume: a run in which no request got any response did not test the target.
  const requests = Object.values(s.statuses).reduce((a, b) => a + b, 0);
  if (requests > 0 && (s.statuses["0"] ?? 0) === requests) {
    const e = s.errors[0];
    const why = e ? ` (${e.kind}${e.example ? `: ${e.example}` : ""})` : "";
    return {
      passed: false,
      exitCode: ExitCode.TARGET_UNREACHABLE,
      summary: `FAILED: no request got a response: all ${requests} failed${why}`,
    };
  }
  const failed = s.thresholds.filter((t) => !t.passed);
  if (failed.length) {
    const first = failed[0];
    return {
      passed: false,
      exitCode: ExitCode.THRESHOLDS_FAILED,
      summary: `FAILED: ${failed.length} of ${
        s.thresholds.filter((t) => t.status !== "ignored").length
      } thresholds failed (${first.key ?? first.metric} ${first.expression}${
        first.reason ? `: ${first.reason}` : ""
      })`,
    };
  }
  const badChecks = s.checks.filter((c) => c.fails > 0);
  if (policy.failOnCheck && badChecks.length) {
    const c = badChecks[0];
    return {
      passed: false,
      exitCode: ExitCode.CHECKS_FAILED,
      summary:
        `FAILED: ${badChecks.length} of ${s.checks.length} checks failed ("${c.name}": ${c.fails} of ${
          c.passes + c.fails
        })`,
    };
  }
  // No threshold or check objected, yet every request failed (by each protocol's own rule: a failed WebSocket handshake, a 500 the
  // user did not expect): the target was reached but nothing it answered was a success.
  let tried = 0;
  let bad = 0;
  for (const sec of s.sections ?? []) {
    const m = sec.requests ? s.metrics[sec.requests.failed] : undefined;
    if (m?.type === "rate") {
      tried += m.count;
      bad += m.passes;
    }
  }
  if (tried > 0 && bad === tried) {
    const e = s.errors[0];
    const codes = Object.keys(s.statuses).filter((c) => c !== "0").slice(0, 3).join(", ");
    return {
      passed: false,
      exitCode: ExitCode.TARGET_UNREACHABLE,
      summary: `FAILED: no request succeeded: all ${tried} failed` +
        (e
          ? ` (${e.kind}${e.example ? `: ${e.example}` : ""})`
          : codes
          ? ` (status ${codes})`
          : ""),
    };
  }
  const threw = s.iterationErrors.reduce((a, e) => a + e.count, 0);
  const tolerance = policy.maxIterationErrorFraction ?? DEFAULT_POLICY.maxIterationErrorFraction!;
  if (threw > 0 && s.load.started > 0) {
    const share = Math.min(1, threw / s.load.started);
    if (share >= 1 || share > tolerance) {
      const e = s.iterationErrors[0];
      return {
        passed: false,
        exitCode: ExitCode.SCRIPT_ERROR,
        summary: `FAILED: ${
          share >= 1 ? "every iteration threw" : `${pct(share)} of iterations threw`
        } (${threw} of ${s.load.started}, tolerance ${pct(tolerance)}; ${e.kind}: ${e.example})`,
      };
    }
  }
  if (s.load.started > 0 && s.load.interrupted >= s.load.started) {
    return {
      passed: false,
      exitCode: ExitCode.SCRIPT_ERROR,
      summary: `FAILED: no iteration completed: all ${s.load.started} were cut off at graceful ` +
        "stop (iterations that never settle, e.g. an await that never resolves)",
    };
  }
  const arrivals = s.load.started + s.load.dropped;
  const dropped = arrivals > 0 ? s.load.dropped / arrivals : 0;
  if (dropped > policy.maxDroppedFraction) {
    return {
      passed: false,
      exitCode: ExitCode.LOAD_NOT_DELIVERED,
      summary: `FAILED: the planned load was not delivered (${(dropped * 100).toFixed(1)}% of ` +
        `arrivals dropped, tolerance ${(policy.maxDroppedFraction * 100).toFixed(1)}%)`,
    };
  }
  if (late?.length) {
    return { passed: false, exitCode: late[0].exitCode, summary: `FAILED: ${late[0].message}` };
  }
  const n = s.thresholds.length;
  return {
    passed: true,
    exitCode: ExitCode.OK,
    summary: n
      ? `PASSED: all ${n} thresholds passed`
      : "PASSED: the run completed (no thresholds were set)",
  };
}

function pct(share: number): string {
  return `${+(share * 100).toFixed(1)}%`;
}
