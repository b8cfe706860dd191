/**
 * The pure half of the peers benchmark: medians over rounds, ratios to wrk, number formatting and
 * the Markdown tables it prints. No processes, no clock.
 *
 * @example
 * ```ts
 * import { table } from "./tables.ts";
 * console.log(table(["tool", "req/s"], [["wrk", "78,484"]], [false, true]));
 * // | tool |  req/s |
 * // |------|-------:|
 * // | wrk  | 78,484 |
 * ```
 *
 * @module
 */

import type { OpenLoopRecord, PeerRow, RssSample, RunRecord } from "./types.ts";

/** The median of `xs`; NaN when there are none. */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `x` rounded, with thousands separators; "n/a" when it is not finite. */
export function fmtInt(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a";
}

/** `x` with `digits` decimals; "n/a" when it is not finite. */
export function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}

/** A ratio with 2 decimals; "n/a" when there is none or it is not finite. */
export function fmtRatio(x: number | null): string {
  return x === null || !Number.isFinite(x) ? "n/a" : fmt(x, 2);
}

/** A Markdown table with padded columns; `alignRight` says which columns align right. */
export function table(head: string[], rows: string[][], alignRight: boolean[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    "| " +
    cells.map((c, i) => alignRight[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])).join(" | ") +
    " |";
  const sep = "|" +
    widths.map((w, i) => alignRight[i] ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2)).join("|") +
    "|";
  return [line(head), sep, ...rows.map(line)].join("\n");
}

/**
 * One row per generator of `ids` (in that order): medians over its readable runs, and ratios to
 * wrk's medians when wrk has a readable run.
 */
export function peerRows(ids: string[], runs: RunRecord[]): PeerRow[] {
  const rows: PeerRow[] = ids.map((id) => {
    const ok = runs.filter((r) => r.generator === id && r.error === undefined);
    return {
      generator: id,
      runs: ok.length,
      reqPerSec: median(ok.map((r) => r.reqPerSec)),
      cpuSeconds: median(ok.map((r) => r.cpuSeconds)),
      reqPerCpuSecond: median(ok.map((r) => r.reqPerCpuSecond)),
      reqPerSecVsWrk: null,
      reqPerCpuSecondVsWrk: null,
      errors: ok.reduce((a, r) => a + r.errors, 0),
    };
  });
  const wrk = rows.find((r) => r.generator === "wrk" && r.runs > 0);
  if (wrk) {
    for (const r of rows) {
      r.reqPerSecVsWrk = r.reqPerSec / wrk.reqPerSec;
      r.reqPerCpuSecondVsWrk = r.reqPerCpuSecond / wrk.reqPerCpuSecond;
    }
  }
  return rows;
}

/** The closed-loop table. */
export function peersTable(rows: PeerRow[]): string {
  return table(
    ["generator", "req/s", "req/s ÷ wrk", "CPU-s", "req per CPU-s", "÷ wrk", "errors", "runs"],
    rows.map((r) => [
      r.generator,
      fmtInt(r.reqPerSec),
      fmtRatio(r.reqPerSecVsWrk),
      fmt(r.cpuSeconds, 2),
      fmtInt(r.reqPerCpuSecond),
      fmtRatio(r.reqPerCpuSecondVsWrk),
      fmtInt(r.errors),
      String(r.runs),
    ]),
    [false, true, true, true, true, true, true, true],
  );
}

/**
 * The open-loop accuracy table. Requests per CPU-second are the delivered rate over rampa's own
 * CPU share during the measured run (`health.cpu`, warm-up excluded); `wrkPerCpuSecond` (from
 * the closed-loop table of the same invocation) adds their ratio to wrk's.
 */
export function openLoopTable(
  records: OpenLoopRecord[],
  wrkPerCpuSecond: number | null = null,
): string {
  return table(
    [
      "target rate",
      "--timing",
      "achieved/s",
      "achieved ÷ target",
      "lag p50 ms",
      "lag p99 ms",
      "lag max ms",
      "dropped",
      "CPU (health.cpu)",
      "of it yielding",
      "req per CPU-s",
      "÷ wrk",
      "CPU-s (measured)",
      "process wall s",
      "verdict",
    ],
    records.map((r) => [
      `${fmtInt(r.targetRate)}/s`,
      r.timing,
      fmtInt(r.achievedRate),
      fmt(r.achievedVsTarget, 3),
      fmt(r.lagP50, 3),
      fmt(r.lagP99, 3),
      fmt(r.lagMax, 1),
      fmtInt(r.dropped),
      `${fmt(r.healthCpu * 100, 0)}%`,
      `${fmt(r.spin * 100, 0)}%`,
      fmtInt(r.achievedRate / r.healthCpu),
      wrkPerCpuSecond === null ? "n/a" : fmt(r.achievedRate / r.healthCpu / wrkPerCpuSecond, 2),
      fmt(r.cpuSeconds, 2),
      fmt(r.wallSeconds, 1),
      r.verdict,
    ]),
    [true, false, true, true, true, true, true, true, true, true, true, true, true, true, false],
  );
}

/**
 * The memory table of a run of `durationS` seconds: VmRSS at 5 s, at 30 s, at the end, at its
 * peak, and its growth after 30 s.
 */
export function memoryTable(samples: RssSample[], durationS: number): string {
  const at = (t: number) => samples.find((s) => s.t >= t - 0.5) ?? null;
  const s30 = durationS >= 30 ? at(30) : null;
  const end = samples.at(-1) ?? null;
  const mib = (s: RssSample | null) => s ? `${fmt(s.rssKiB / 1024, 1)} MiB (t=${s.t} s)` : "n/a";
  const growth = s30 && end && end.t > s30.t
    ? `${fmt((end.rssKiB - s30.rssKiB) / 1024, 1)} MiB over ${fmt(end.t - s30.t, 0)} s`
    : "n/a (needs a run longer than 30 s)";
  const peak = samples.reduce<RssSample | null>((a, s) => !a || s.rssKiB > a.rssKiB ? s : a, null);
  return table(
    ["when", "VmRSS"],
    [
      ["at 5 s", mib(at(5))],
      ["at 30 s", mib(s30)],
      ["at the end", mib(end)],
      ["peak", mib(peak)],
      ["growth after 30 s", growth],
    ],
    [false, true],
  );
}
