/**
 * The open-loop accuracy runs: rampa on one load thread (`--workers 1`, the goals are per worker)
 * at `--rate` 100/s, 1000/s, 10000/s, 50000/s and 70000/s (above one core's ceiling: the
 * delivered rate is the ceiling) with `--max-in-flight 256`, reporting the delivered rate,
 * scheduler lag, dropped arrivals and rampa's own CPU estimate from its `--summary` file.
 *
 * @module
 */

import { measure } from "./measure.ts";
import { sleep } from "./processes.ts";
import { openLoopLoad, rampaRunArgv, readSummary } from "./rampa.ts";
import { fmt, fmtInt } from "./tables.ts";
import type { OpenLoopRecord, Session, Target } from "./types.ts";

/** Open-loop rates for the accuracy table, per second. */
export const OPEN_LOOP_RATES = [100, 1000, 10000, 50000, 70000];
/** Open-loop concurrency cap. */
export const OPEN_LOOP_MAX_IN_FLIGHT = 256;

/** The names of the summary fields the table needs that `s` lacks. */
// deno-lint-ignore no-explicit-any
function missingFields(s: any): string[] {
  const lag = s?.metrics?.scheduler_lag;
  return [
    ["load.achievedRate", s?.load?.achievedRate],
    ["load.dropped", s?.load?.dropped],
    ["metrics.scheduler_lag.p50", lag?.p50],
    ["metrics.scheduler_lag.p99", lag?.p99],
    ["metrics.scheduler_lag.max", lag?.max],
    ["health.cpu", s?.health?.cpu],
  ].filter(([, v]) => typeof v !== "number").map(([k]) => k);
}

/**
 * Runs rampa with `engine` at each open-loop rate for `seconds`; stops early with a note when a
 * summary is missing or lacks a field the table needs.
 */
export async function runOpenLoop(
  session: Session,
  engine: string,
  target: Target,
  seconds: number,
  timings: readonly string[] = ["slice"],
): Promise<{ records: OpenLoopRecord[]; note: string | null }> {
  const records: OpenLoopRecord[] = [];
  // Modes interleave at each rate, so a noisy minute hits both alike.
  const runs = OPEN_LOOP_RATES.flatMap((rate) => timings.map((timing) => ({ rate, timing })));
  for (const { rate, timing } of runs) {
    if (session.stopping) break;
    const file = `${session.scratchDir}/open-${rate}-${timing}.json`;
    const load = openLoopLoad(rate, OPEN_LOOP_MAX_IN_FLIGHT, seconds, timing);
    const argv = rampaRunArgv(target.url, engine, load, file);
    const m = await measure(session, argv, seconds * 1000 + 60_000);
    if (session.stopping) break;
    // deno-lint-ignore no-explicit-any
    let s: any;
    try {
      s = await readSummary(file);
    } catch {
      return {
        records,
        note: `rampa wrote no summary at ${rate}/s (exit ${m.code}): ${m.stderr.trim()}`,
      };
    }
    const fields = missingFields(s);
    if (fields.length > 0) {
      return { records, note: `rampa's summary lacks ${fields.join(", ")}: table skipped` };
    }
    const lag = s.metrics.scheduler_lag;
    const rec: OpenLoopRecord = {
      engine,
      timing,
      targetRate: rate,
      exitCode: m.code,
      offeredRate: s.load.offeredRate ?? null,
      achievedRate: s.load.achievedRate,
      achievedVsTarget: s.load.achievedRate / rate,
      lagP50: lag.p50,
      lagP99: lag.p99,
      lagMax: lag.max,
      dropped: s.load.dropped,
      healthCpu: s.health.cpu,
      spin: s.health.timingSpin ?? 0,
      verdict: s.health.verdict ?? "",
      cpuSeconds: m.userS + m.sysS,
      wallSeconds: m.wallS,
    };
    records.push(rec);
    console.error(
      `  open loop ${rate}/s (${timing}): achieved ${fmtInt(rec.achievedRate)}/s, lag p99 ` +
        `${fmt(rec.lagP99, 2)} ms, dropped ${fmtInt(rec.dropped)}, exit ${m.code}`,
    );
    await sleep(500);
  }
  return { records, note: null };
}
