/**
 * Outputs that cannot be written: a full disk (a 64 KiB tmpfs, filled), stdout on /dev/full,
 * device and /proc paths, a directory that vanishes mid-run, dead streaming sinks. Writes are
 * all-or-nothing (never a partial file), one failed output never loses the others or the console
 * summary, and the exit code is 9.
 *
 * @module
 */
import type { Case } from "../_case.ts";
import { badRun, scenario } from "./_helpers.ts";

const LOAD = ["--rate", "10/s", "-d", "1s"];
const full = (
  name: string,
  flags: string[],
  file: string,
  freeKiB: number,
  more: Partial<Case> = {},
): Case => ({
  name,
  args: ["run", "{url}", ...LOAD, ...flags],
  tmpfs: { sizeKiB: 64, freeKiB },
  ...more,
  expect: {
    exit: 9,
    stdout: /PASSED|FAILED/,
    files: { [file]: "absent-or-complete" },
    ...more.expect,
  },
});

/** Output failure cases. */
export const OUTPUT_CASES: Case[] = [
  full(
    "a summary on a full disk is exit 9, never a truncated file",
    ["--summary", "{tmpfs}/s.json"],
    "{tmpfs}/s.json",
    8,
    {
      expect: {
        exit: 9,
        stdout: /PASSED|FAILED/,
        stderrLine: /s\.json/,
        files: { "{tmpfs}/s.json": "absent-or-complete" },
      },
    },
  ),
  full(
    "a JSON copy on a full disk is exit 9 and the main summary is kept",
    ["--out", "json={tmpfs}/copy.json"],
    "{tmpfs}/copy.json",
    8,
    {
      expect: {
        exit: 9,
        summary: "complete",
        files: { "{tmpfs}/copy.json": "absent-or-complete" },
      },
    },
  ),
  full(
    "an HTML report on a full disk is exit 9, never a cut file",
    ["--out", "html={tmpfs}/r.html"],
    "{tmpfs}/r.html",
    8,
    { expect: { exit: 9, summary: "complete", files: { "{tmpfs}/r.html": "absent-or-complete" } } },
  ),
  full(
    "a JUnit file on a full disk is exit 9, never 0 bytes",
    ["--out", "junit={tmpfs}/j.xml"],
    "{tmpfs}/j.xml",
    0,
    { expect: { exit: 9, summary: "complete", files: { "{tmpfs}/j.xml": "absent-or-complete" } } },
  ),
  full(
    "a CSV file on a full disk is exit 9, never a cut file",
    ["--out", "csv={tmpfs}/m.csv"],
    "{tmpfs}/m.csv",
    0,
    { expect: { exit: 9, summary: "complete", files: { "{tmpfs}/m.csv": "absent-or-complete" } } },
  ),
  full(
    "a text summary on a full disk is exit 9",
    ["--out", "console={tmpfs}/c.txt"],
    "{tmpfs}/c.txt",
    0,
    { expect: { exit: 9, summary: "complete", files: { "{tmpfs}/c.txt": "absent-or-complete" } } },
  ),
  full(
    "a GitHub step summary on a full disk is exit 9",
    ["--out", "github={tmpfs}/step.md"],
    "{tmpfs}/step.md",
    0,
    { expect: { exit: 9, summary: "complete" } },
  ),
  {
    name: "every output on a full disk is attempted and the console summary kept",
    args: [
      "run",
      "{url}",
      ...LOAD,
      ...[
        "--summary",
        "{tmpfs}/s.json",
        "--out",
        "html={tmpfs}/r.html",
        "--out",
        "junit={tmpfs}/j.xml",
      ],
    ],
    tmpfs: { sizeKiB: 64, freeKiB: 8 },
    expect: {
      exit: 9,
      stdout: /PASSED|FAILED/,
      files: {
        "{tmpfs}/s.json": "absent-or-complete",
        "{tmpfs}/r.html": "absent-or-complete",
        "{tmpfs}/j.xml": "absent-or-complete",
      },
    },
  },
  {
    name: "stdout on /dev/full is not an internal error and the summary is written",
    args: ["run", "{url}", ...LOAD],
    stdout: "/dev/full",
    expect: { exit: [0, 9], summary: "complete" },
  },
  {
    name: "stdout on /dev/full with -q is not an internal error",
    args: ["run", "{url}", ...LOAD, "-q"],
    stdout: "/dev/full",
    expect: { exit: [0, 9], summary: "complete" },
  },
  {
    name: "help on /dev/full is not an internal error",
    args: ["run", "--help"],
    stdout: "/dev/full",
    expect: { exit: [0, 9] },
  },
  badRun(
    "a summary path in a missing directory fails before load",
    ["--summary", "/nonexistent/dir/s.json"],
    /^error: Cannot write to "\/nonexistent\/dir\/s\.json"/,
    {
      expect: { exit: 9 },
    },
  ),
  badRun(
    "a summary path that is a directory fails before load",
    ["--summary", "{dir}"],
    /^error: /,
    {
      expect: { exit: 9, summary: undefined },
    },
  ),
  {
    name: "a summary on /dev/full is exit 9",
    args: ["run", "{url}", ...LOAD, "--summary", "/dev/full"],
    expect: { exit: 9, stdout: /PASSED|FAILED/ },
  },
  badRun(
    "an HTML report under /proc fails before load without --allow-all",
    ["--out", "html=/proc/version"],
    /^error: (?!.*allow-all)/,
    { expect: { exit: 9 } },
  ),
  {
    name: "an output directory deleted mid-run fails the run, never PASSED",
    // The scenario may delete only because it is granted writing there (scenario code is
    // confined by default).
    args: [
      "run",
      "{scenario}",
      "--allow-write",
      "{dir}",
      "--summary",
      "{dir}/out/s.json",
      "--out",
      "csv={dir}/out/m.csv",
    ],
    files: { "out/keep": "" },
    scenario: scenario(`export const options = { vus: 1, duration: "2s" };
export default async function (ctx: VuContext) {
  await http.get(TARGET);
  await sleep("20ms");
  if (ctx.iteration === 10) Deno.removeSync("{dir}/out", { recursive: true });
}
`),
    expect: { exit: 9, stdoutNot: /^\s*✓ PASSED/m },
  },
  {
    name: "two runs writing one summary path: the second gets a clear error, not an overwrite",
    background: {
      args: ["run", "{url}", "--rate", "10/s", "-d", "4s", "--summary", "{dir}/shared.json"],
      leadMs: 2000,
    },
    args: ["run", "{url}", "--rate", "10/s", "-d", "1s", "--summary", "{dir}/shared.json"],
    expect: {
      exit: [2, 9],
      stderrLine: /shared\.json/,
      files: { "{dir}/shared.json": "complete" },
    },
  },
  {
    name: "a dead Prometheus sink does not change the exit code",
    args: [
      "run",
      "{url}",
      ...LOAD,
      "--out",
      "prometheus=http://127.0.0.1:{closed}/api/v1/write?interval=1s",
    ],
    expect: { exit: 0, summary: "complete", maxWallMs: 15_000 },
  },
  {
    name: "a dead required Prometheus sink is exit 9 with the summary kept",
    args: [
      "run",
      "{url}",
      ...LOAD,
      "--out",
      "prometheus=http://127.0.0.1:{closed}/api/v1/write?interval=1s&required=true",
    ],
    expect: { exit: 9, summary: "complete", maxWallMs: 15_000 },
  },
  {
    name: "a webhook to a silent sink does not hang the end of the run",
    args: [
      "run",
      "http://127.0.0.1:{closed}/",
      "--rate",
      "5/s",
      "-d",
      "1s",
      "--out",
      "webhook={url}",
    ],
    target: "silent",
    expect: { exit: 8, summary: "complete", maxWallMs: 15_000 },
  },
];
