/**
 * The closed-loop comparison: every generator against the same target, rounds interleaved
 * (A B C A B C …) so that drift of the machine spreads over all of them.
 *
 * Requests per second = requests the tool reports completed ÷ the elapsed time the tool reports
 * (rampa: `metrics.http_reqs` of its `--summary` file).
 *
 * @module
 */

import { measure } from "./measure.ts";
import { sleep } from "./processes.ts";
import { fmt, fmtInt, peerRows } from "./tables.ts";
import type { Generator, Measured, Parsed, PeerRow, RunRecord, Session, Target } from "./types.ts";

/** The record of one run: what the tool reported (`p`), or NaN and `error` when unreadable. */
function runRecord(
  generator: string,
  round: number,
  m: Measured,
  p: Parsed | null,
  error?: string,
): RunRecord {
  const cpuSeconds = m.userS + m.sysS;
  const rec: RunRecord = {
    generator,
    round,
    exitCode: m.code,
    requests: p ? p.requests : NaN,
    toolSeconds: p ? p.seconds : NaN,
    wallSeconds: m.wallS,
    reqPerSec: p ? p.requests / p.seconds : NaN,
    cpuUser: m.userS,
    cpuSys: m.sysS,
    cpuSeconds,
    reqPerCpuSecond: p ? p.requests / cpuSeconds : NaN,
    errors: p ? p.errors : NaN,
  };
  if (error !== undefined) rec.error = error;
  return rec;
}

/** Runs one generator once and logs the result to stderr. */
async function runOnce(
  session: Session,
  g: Generator,
  target: Target,
  seconds: number,
  round: number,
  rounds: number,
): Promise<RunRecord | null> {
  const file = `${session.scratchDir}/${g.id}-${round}.json`;
  const argv = g.argv(target.url, seconds, file, session.scratchDir);
  const m = await measure(session, argv, seconds * 1000 + 30_000);
  if (session.stopping) return null;
  try {
    const p = await g.parse(m, file);
    const rec = runRecord(g.id, round, m, p);
    console.error(
      `  round ${round}/${rounds} ${g.id.padEnd(11)} ${fmtInt(p.requests).padStart(10)} req ` +
        `in ${fmt(p.seconds, 2)} s = ${fmtInt(rec.reqPerSec).padStart(8)} req/s, ` +
        `CPU ${fmt(rec.cpuSeconds, 2)} s (user ${fmt(m.userS, 2)} + sys ${fmt(m.sysS, 2)})` +
        (p.errors ? `, ${fmtInt(p.errors)} errors` : ""),
    );
    return rec;
  } catch (e) {
    const msg = (e as Error).message;
    console.error(`  round ${round}/${rounds} ${g.id}: FAILED (exit ${m.code}): ${msg}`);
    return runRecord(g.id, round, m, null, `exit ${m.code}: ${msg}\n${m.stderr.slice(-1000)}`);
  }
}

/** Runs `rounds` interleaved rounds of every generator; rows are medians over the rounds. */
export async function runPeers(
  session: Session,
  gens: Generator[],
  target: Target,
  seconds: number,
  rounds: number,
): Promise<{ runs: RunRecord[]; rows: PeerRow[] }> {
  const runs: RunRecord[] = [];
  for (let round = 1; round <= rounds && !session.stopping; round++) {
    for (const g of gens) {
      if (session.stopping) break;
      const rec = await runOnce(session, g, target, seconds, round, rounds);
      if (rec === null) break;
      runs.push(rec);
      await sleep(500); // let closed connections settle between runs
    }
  }
  return { runs, rows: peerRows(gens.map((g) => g.id), runs) };
}
