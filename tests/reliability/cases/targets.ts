/**
 * Faulty targets (tools/testing/faults.ts): refused, unresolvable, silent, reset, garbage,
 * truncated, slow-drip, oversized, dying, and TLS spoken to a plain-HTTP port. A run in which
 * no request succeeded fails with exit 8; every run ends in bounded time with a complete summary
 * that counts what the target answered.
 *
 * @module
 */
import type { Case } from "../_case.ts";
import type { FaultKind } from "../../../tools/testing/faults.ts";

const against = (
  name: string,
  target: FaultKind,
  flags: string[],
  exit: number | number[],
  more: Partial<Case> = {},
): Case => ({
  name,
  target,
  args: ["run", "{url}", ...flags],
  ...more,
  expect: { exit, summary: "complete", maxWallMs: 15_000, ...more.expect },
});

/** Fault targets. */
export const TARGET_CASES: Case[] = [
  against("a refused target at 5/s fails with exit 8", "refused", ["--rate", "5/s", "-d", "2s"], 8),
  against(
    "a refused target with 10 VUs fails with exit 8",
    "refused",
    ["--vus", "10", "-d", "1s"],
    8,
  ),
  against("a refused target with --engine fetch fails with exit 8", "refused", [
    "--rate",
    "5/s",
    "-d",
    "1s",
    "--engine",
    "fetch",
  ], 8),
  {
    name: "a refused [::1] target fails with exit 8",
    args: ["run", "http://[::1]:{closed}/", "--rate", "5/s", "-d", "1s"],
    expect: { exit: 8, summary: "complete", maxWallMs: 15_000 },
  },
  {
    name: "an unresolvable host is a clear error",
    args: ["run", "http://no-such-host.invalid/", "--rate", "5/s", "-d", "1s"],
    expect: { exit: [2, 8], maxWallMs: 15_000 },
  },
  against(
    "a silent target with a short timeout fails with exit 8",
    "silent",
    ["--rate", "5/s", "-d", "1s", "--timeout", "500ms"],
    8,
  ),
  against(
    "a silent target with the default timeout ends at the graceful stop",
    "silent",
    ["--rate", "5/s", "-d", "1s", "--graceful-stop", "1s"],
    8,
  ),
  against(
    "https:// to a silent port is bounded",
    "silent",
    ["--rate", "5/s", "-d", "1s", "--timeout", "2s"],
    8,
    { args: ["run", "https://127.0.0.1:{port}/", "--rate", "5/s", "-d", "1s", "--timeout", "2s"] },
  ),
  {
    name: "https:// to a plain-HTTP listener fails fast with exit 8",
    args: ["run", "https://127.0.0.1:{port}/", "--rate", "5/s", "-d", "1s"],
    expect: { exit: 8, summary: "complete", maxWallMs: 10_000 },
  },
  {
    name: "https:// to a plain-HTTP listener with the default timeout is not silent for 60 s",
    target: "silent",
    args: ["run", "https://127.0.0.1:{port}/", "--rate", "5/s", "-d", "1s"],
    expect: { exit: 8, summary: "complete", maxWallMs: 15_000 },
  },
  against("a target that resets every connection fails with exit 8", "reset", [
    "--rate",
    "5/s",
    "-d",
    "1s",
  ], 8),
  against("a target that answers garbage fails with exit 8", "garbage", [
    "--rate",
    "5/s",
    "-d",
    "1s",
  ], 8),
  against("a target that answers garbage to fetch fails with exit 8", "garbage", [
    "--rate",
    "5/s",
    "-d",
    "1s",
    "--engine",
    "fetch",
  ], 8),
  against("a target that truncates every body fails with exit 8", "truncated", [
    "--rate",
    "5/s",
    "-d",
    "1s",
  ], 8),
  against("a slow-drip target past the timeout fails with exit 8", "slow-drip", [
    "--rate",
    "2/s",
    "-d",
    "1s",
    "--timeout",
    "1s",
  ], 8),
  against("a target with 1 MiB of headers is a counted error", "oversized-headers", [
    "--rate",
    "2/s",
    "-d",
    "1s",
    "--timeout",
    "3s",
  ], [0, 8]),
  against("a target with a 100 MB body is read or failed, within bounds", "oversized-body", [
    "--rate",
    "1/s",
    "-d",
    "1s",
    "--timeout",
    "5s",
  ], [0, 8]),
  against(
    "a target that dies after 5 answers keeps every answer",
    "dying",
    [
      "--rate",
      "20/s",
      "-d",
      "1s",
    ],
    [0, 8],
    { expect: { exit: [0, 8], summary: "complete", countsMatch: true } },
  ),
  against(
    "a target that dies after 5 answers with 2 workers keeps every answer",
    "dying",
    ["--rate", "20/s", "-d", "1s", "--workers", "2"],
    [0, 8],
    { expect: { exit: [0, 8], summary: "complete", countsMatch: true } },
  ),
  against(
    "a healthy target counts every request",
    "healthy",
    [
      "--rate",
      "50/s",
      "-d",
      "1s",
    ],
    0,
    { expect: { exit: 0, summary: "complete", countsMatch: true } },
  ),
  against(
    "a ws:// URL to a plain HTTP server fails the handshake with exit 8",
    "healthy",
    [],
    8,
    { args: ["run", "ws://127.0.0.1:{port}/", "--rate", "5/s", "-d", "1s"] },
  ),
  against(
    "the achieved rate is the offered one, not per last completion",
    "healthy",
    ["--rate", "4/s", "-d", "1s"],
    0,
    { expect: { exit: 0, summary: "complete", stdout: /4\.0\/s achieved of 4\.0\/s/ } },
  ),
  against(
    "100 workers for a 1 s run lose nothing",
    "healthy",
    ["--rate", "10/s", "-d", "1s", "--workers", "100"],
    [0, 2],
    { expect: { exit: [0, 2], summary: undefined, countsMatch: true, maxWallMs: 15_000 } },
  ),
];
