/**
 * `rampa merge`, `rampa report` and `rampa serve` with bad input: missing, empty, unbounded or
 * hostile files, the same run twice, impossible values, unbindable addresses.
 *
 * @module
 */
import type { Case } from "../_case.ts";
import { bad } from "./_helpers.ts";

type Json = Record<string, unknown>;
const metrics = (s: Json) => s.metrics as Record<string, Json>;

/** Merge and report cases. */
export const MERGE_REPORT_CASES: Case[] = [
  bad("merge without files", ["merge"], /^error: /),
  bad("merge of a missing file", ["merge", "{dir}/nope.json"], /^error: .*nope\.json/),
  bad("merge of an empty file", ["merge", "{dir}/e.json"], /^error: .*e\.json/, {
    files: { "e.json": "" },
  }),
  bad("merge of a file that is not JSON", ["merge", "{dir}/x.json"], /^error: .*x\.json/, {
    files: { "x.json": "{ nope" },
  }),
  bad("merge of JSON that is not a summary", ["merge", "{dir}/x.json"], /^error: .*x\.json/, {
    files: { "x.json": '{"hello": "world"}' },
  }),
  bad("merge of /dev/zero", ["merge", "/dev/zero"], /^error: .*\/dev\/zero/, { timeoutMs: 15_000 }),
  bad("merge of a directory", ["merge", "{dir}"], /^error: /),
  bad(
    "merge of a /proc file names no --allow-all flag",
    ["merge", "/proc/self/status"],
    /^error: (?!.*allow-all)/,
  ),
  bad(
    "merge of the same file twice",
    ["merge", "{dir}/a.json", "{dir}/a.json"],
    /^error: .*(same|twice|duplicate)/i,
    {
      files: { "a.json": { fixture: true } },
    },
  ),
  bad(
    "merge of two copies of the same run",
    ["merge", "{dir}/a.json", "{dir}/b.json"],
    /^error: .*(same|twice|duplicate)/i,
    { files: { "a.json": { fixture: true }, "b.json": { fixture: true } } },
  ),
  bad(
    "merge of a summary with a negative request count",
    ["merge", "{dir}/n.json"],
    /^error: .*n\.json/,
    {
      files: {
        "n.json": {
          fromSummary: (s) => {
            metrics(s).http_reqs.count = -1e308;
            return s;
          },
        },
      },
    },
  ),
  bad(
    "merge of a summary from a future schema version",
    ["merge", "{dir}/v.json"],
    /^error: .*v\.json/,
    {
      files: { "v.json": { fromSummary: (s) => ({ ...s, schemaVersion: 999 }) } },
    },
  ),
  bad(
    "merge of a summary with a corrupt histogram",
    ["merge", "{dir}/h.json"],
    /^error: .*h\.json/,
    {
      files: { "h.json": { fromSummary: corruptHistograms } },
    },
  ),
  bad(
    "report of a summary with a corrupt histogram",
    ["report", "{dir}/h.json", "--out", "html={dir}/r.html"],
    /^error: .*h\.json/,
    {
      files: { "h.json": { fromSummary: corruptHistograms } },
    },
  ),
  bad("report without a file", ["report"], /^error: /),
  bad(
    "report of /dev/zero",
    ["report", "/dev/zero", "--out", "html={dir}/r.html"],
    /^error: .*\/dev\/zero/,
    {
      timeoutMs: 15_000,
    },
  ),
  bad(
    "report to an unknown output",
    ["report", "{dir}/a.json", "--out", "pdf=r.pdf"],
    /^error: .*pdf/,
    {
      files: { "a.json": { fixture: true } },
    },
  ),
  {
    name: "report to HTML on a full disk is exit 9, never a cut file",
    args: ["report", "{dir}/a.json", "--out", "html={tmpfs}/r.html"],
    files: { "a.json": { fixture: true } },
    tmpfs: { sizeKiB: 64, freeKiB: 8 },
    expect: { exit: 9, stderrLine: /r\.html/, files: { "{tmpfs}/r.html": "absent-or-complete" } },
  },
  {
    name: "merge to JSON on a full disk is exit 9, never a cut file",
    args: ["merge", "{dir}/a.json", "--out", "json={tmpfs}/m.json"],
    files: { "a.json": { fixture: true } },
    tmpfs: { sizeKiB: 64, freeKiB: 8 },
    expect: { exit: 9, stderrLine: /m\.json/, files: { "{tmpfs}/m.json": "absent-or-complete" } },
  },
  {
    name: "merge of one valid summary works",
    args: ["merge", "{dir}/a.json", "--out", "json={dir}/m.json"],
    files: { "a.json": { fixture: true } },
    expect: { exit: 0, files: { "{dir}/m.json": "complete" } },
  },
];

/** Serve cases: every one must end by itself with one line. */
export const SERVE_CASES: Case[] = [
  bad(
    "serve on a public address it does not own",
    ["serve", "--host", "8.8.8.8", "--port", "0"],
    /^error: .*8\.8\.8\.8/,
    {
      timeoutMs: 10_000,
    },
  ),
  bad("serve on port 99999", ["serve", "--port", "99999"], /^error: .*port/i, {
    timeoutMs: 10_000,
  }),
  bad("serve on port -1", ["serve", "--port", "-1"], /^error: .*port/i, { timeoutMs: 10_000 }),
  bad("serve on a port that is not a number", ["serve", "--port", "http"], /^error: .*port/i, {
    timeoutMs: 10_000,
  }),
  bad(
    "serve on a port already in use",
    ["serve", "--port", "{port}"],
    /^error: .*(in use|{port})/i,
    {
      timeoutMs: 10_000,
    },
  ),
  bad(
    "serve with an unresolvable host",
    ["serve", "--host", "no-such-host.invalid", "--port", "0"],
    /^error: .*no-such-host/,
    {
      timeoutMs: 10_000,
    },
  ),
  bad(
    "serve with a negative latency",
    ["serve", "--latency", "-5ms", "--port", "0"],
    /^error: .*latency/,
    {
      timeoutMs: 10_000,
    },
  ),
  bad(
    "serve with an error rate of 200%",
    ["serve", "--error-rate", "200%", "--port", "0"],
    /^error: .*error-rate/,
    {
      timeoutMs: 10_000,
    },
  ),
  bad("serve with an unknown flag", ["serve", "--bogus"], /^error: .*--bogus/, {
    timeoutMs: 10_000,
  }),
];

function corruptHistograms(s: Json): Json {
  const snap = s.snapshot as { metrics: Json[] };
  for (const m of snap.metrics) {
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === "string" && v.length > 8) m[k] = "!!not-base64!!" + v.slice(3);
    }
  }
  return s;
}
