import { deepEqual, equal } from "node:assert/strict";
import {
  fmtRatio,
  median,
  memoryTable,
  peerRows,
  peersTable,
  table,
} from "../../bench/peers/tables.ts";
import type { RunRecord } from "../../bench/peers/types.ts";

/** The trimmed cells of a Markdown table line. */
function cells(line: string): string[] {
  return line.split("|").slice(1, -1).map((c) => c.trim());
}

/** A readable run of `generator` with the given rate and CPU time. */
function run(generator: string, reqPerSec: number, cpuSeconds: number, errors = 0): RunRecord {
  return {
    generator,
    round: 1,
    exitCode: 0,
    requests: reqPerSec,
    toolSeconds: 1,
    wallSeconds: 1,
    reqPerSec,
    cpuUser: cpuSeconds,
    cpuSys: 0,
    cpuSeconds,
    reqPerCpuSecond: reqPerSec / cpuSeconds,
    errors,
  };
}

Deno.test("median takes the middle value, the mean of the two middles, or NaN", () => {
  const cases: [number[], number][] = [
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ];
  for (const [xs, want] of cases) equal(median(xs), want, String(xs));
  equal(Number.isNaN(median([])), true);
});

Deno.test("ratios print with two decimals and n/a when missing or not finite", () => {
  equal(fmtRatio(1.2345), "1.23");
  equal(fmtRatio(null), "n/a");
  equal(fmtRatio(NaN), "n/a");
});

Deno.test("a table pads its columns and marks right-aligned ones with a colon", () => {
  equal(
    table(["tool", "req/s"], [["wrk", "78,484"], ["ab", "9"]], [false, true]),
    [
      "| tool |  req/s |",
      "|------|-------:|",
      "| wrk  | 78,484 |",
      "| ab   |      9 |",
    ].join("\n"),
  );
});

Deno.test("peer rows are medians over readable runs, divided by wrk's", () => {
  const failed = { ...run("hey", NaN, 1), error: "exit 1: no output" };
  const runs = [
    run("wrk", 100, 1),
    run("wrk", 300, 1),
    run("wrk", 200, 1),
    run("hey", 50, 2, 3),
    failed,
  ];
  const [wrk, hey] = peerRows(["wrk", "hey"], runs);
  deepEqual(wrk, {
    generator: "wrk",
    runs: 3,
    reqPerSec: 200,
    cpuSeconds: 1,
    reqPerCpuSecond: 200,
    reqPerSecVsWrk: 1,
    reqPerCpuSecondVsWrk: 1,
    errors: 0,
  });
  equal(hey.runs, 1);
  equal(hey.errors, 3);
  equal(hey.reqPerSecVsWrk, 0.25);
  equal(hey.reqPerCpuSecondVsWrk, 0.125);
});

Deno.test("without a wrk run the ratios stay null and print as n/a", () => {
  const rows = peerRows(["rampa-http1"], [run("rampa-http1", 1234.4, 2)]);
  equal(rows[0].reqPerSecVsWrk, null);
  deepEqual(cells(peersTable(rows).split("\n")[2]), [
    "rampa-http1",
    "1,234",
    "n/a",
    "2.00",
    "617",
    "n/a",
    "0",
    "1",
  ]);
});

Deno.test("the memory table reads 5 s, the end and the peak, and needs 30 s for growth", () => {
  const samples = [1, 2, 3, 4, 5, 6].map((t) => ({ t, rssKiB: t === 4 ? 4096 : 2048 }));
  const rows = memoryTable(samples, 6).split("\n").slice(2).map(cells);
  deepEqual(rows, [
    ["at 5 s", "2.0 MiB (t=5 s)"],
    ["at 30 s", "n/a"],
    ["at the end", "2.0 MiB (t=6 s)"],
    ["peak", "4.0 MiB (t=4 s)"],
    ["growth after 30 s", "n/a (needs a run longer than 30 s)"],
  ]);
});
