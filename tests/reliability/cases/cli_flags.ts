/**
 * Bad command lines: unknown flags, missing values, invalid URLs, and absurd numbers (infinite,
 * negative, NaN, astronomically large). Each is one line on stderr, exit 2, and no load.
 *
 * @module
 */
import type { Case } from "../_case.ts";
import { bad, badRun } from "./_helpers.ts";

const NINES = "9".repeat(400);

/** Flags and URLs. */
export const CLI_FLAG_CASES: Case[] = [
  badRun("an unknown flag", ["--bogus"], /^error: .*--bogus/),
  badRun("a misspelt flag", ["--durration", "1s"], /^error: .*--durration/),
  badRun("a flag missing its value at the end", ["--rate"], /^error: .*--rate/),
  badRun("an empty duration", ["-d", ""], /^error: .*duration/i),
  badRun("a duration without a unit", ["-d", "30"], /^error: Cannot parse --duration "30"/),
  badRun("a rate with a bad unit", ["--rate", "10/x"], /^error: Cannot parse --rate "10\/x"/),
  badRun("rate and vus together", ["--rate", "5/s", "--vus", "2"], /^error: .*either/),
  bad("a missing URL", ["run"], /^error: Missing the URL/),
  bad("an unknown command", ["bogus"], /^error: Unknown command "bogus"/),
  bad("no command at all", [], /.*/, { expect: { stderrLine: undefined } }),
  bad("a plain word as the URL", ["run", "notaurl"], /^error: .*notaurl/),
  bad("an ftp URL", ["run", "ftp://127.0.0.1/"], /^error: Invalid URL/),
  bad("a file: URL", ["run", "file:///etc/passwd"], /^error: .*(URL|scheme|file)/i),
  bad("a javascript: URL", ["run", "javascript:alert(1)"], /^error: .*(URL|scheme)/i),
  bad("an http URL without a host", ["run", "http://"], /^error: .*URL/i),
  bad("a URL with an unclosed IPv6 bracket", ["run", "http://[::1"], /^error: .*URL/i),
  bad("a URL with port 99999", ["run", "http://127.0.0.1:99999/"], /^error: .*(URL|port)/i),
  bad("a URL with port 0", ["run", "http://127.0.0.1:0/", "-d", "1s"], /^error: .*port/i),
  bad("a URL with a negative port", ["run", "http://127.0.0.1:-1/"], /^error: .*(URL|port)/i),
  bad(
    "a scenario file that does not exist",
    ["run", "{dir}/missing.ts"],
    /^error: .*missing\.ts/,
  ),
  bad("a directory as the scenario", ["run", "{dir}"], /^error: /),
  badRun("an unknown timing mode", ["--timing", "fast"], /^error: Unknown --timing "fast"/),
  badRun("an unknown engine", ["--engine", "curl"], /^error: .*curl/),
  badRun("a header without a colon", ["-H", "NoColonHere"], /^error: .*header/i),
  badRun(
    "a header with an injected CRLF",
    ["-H", "X-A: 1\r\nX-Injected: 2"],
    /^error: .*header/i,
  ),
  badRun("a method with a space", ["-X", "GE T"], /^error: .*method/i),
  badRun("an empty method", ["-X", ""], /^error: .*method/i),
  badRun("an unknown output name", ["--out", "xml=a"], /^error: Unknown output "xml"/),
  badRun("an output with an empty path", ["--out", "json="], /^error: .*json/),
  badRun("an output with an unknown option", ["--out", "csv=a.csv?color=1"], /^error: .*color/),
  badRun("--expect-status with a non-number", ["--expect-status", "2xx"], /^error: .*status/i),
  badRun("--expect-status 999", ["--expect-status", "999"], /^error: .*status/i),
  badRun("--max-dropped above 100%", ["--max-dropped", "200%"], /^error: .*max-dropped/),
  badRun("--max-dropped negative", ["--max-dropped", "-1"], /^error: .*max-dropped/),
  badRun("a warm-up that is not a duration", ["--warmup", "abc"], /^error: .*warmup/),
  badRun(
    "--body and --body-file together",
    ["--body", "x", "--body-file", "{scenario}"],
    /^error: /,
    {
      scenario: "x",
    },
  ),
  badRun("--body-file of /dev/zero", ["--body-file", "/dev/zero"], /^error: .*not a regular file/),
  badRun(
    "--body-file that does not exist",
    ["--body-file", "{dir}/nope.bin"],
    /^error: .*nope\.bin/,
  ),
  badRun("--body-file that is a directory", ["--body-file", "{dir}"], /^error: .*body-file/),
  {
    name: "--body-file of a /proc file names no --allow-all flag",
    args: ["run", "{url}", "--body-file", "/proc/self/status", "-d", "1s"],
    expect: { exit: [0, 2], stderrNot: /allow-all/ },
  },
  badRun(
    "--expect-body-json of /dev/zero",
    ["--expect-body-json", "/dev/zero"],
    /^error: .*expect-body-json/,
  ),
  badRun(
    "--expect-body-json that is not JSON",
    ["--expect-body-json", "{dir}/schema.json"],
    /^error: .*schema\.json/,
    { files: { "schema.json": "{ not json" } },
  ),
  badRun(
    "--expect-body-json of a /proc path names no --allow-all flag",
    ["--expect-body-json", "/proc/self/environ"],
    /^error: (?!.*allow-all)/,
  ),
];

/** Absurd and non-finite values. */
export const ABSURD_VALUE_CASES: Case[] = [
  badRun("a duration of 400 nines", ["-d", NINES + "s"], /^error: .*--duration/),
  badRun("a duration of Infinity", ["-d", "Infinitys"], /^error: .*--duration/),
  badRun("a duration of NaN", ["-d", "NaNs"], /^error: .*--duration/),
  badRun("a negative duration", ["-d", "-1s"], /^error: .*--duration/),
  badRun("a zero duration", ["-d", "0s"], /^error: .*--duration/),
  badRun("a duration of 1e400 ms", ["-d", "1e400ms"], /^error: .*--duration/),
  badRun("a warm-up of 400 nines", ["--warmup", NINES + "s", "-d", "1s"], /^error: .*--warmup/),
  badRun("a negative warm-up", ["--warmup", "-5s", "-d", "1s"], /^error: .*--warmup/),
  badRun("a rate of 1e29/s", ["--rate", "10/0.0000000000000000000000001ms"], /^error: .*maximum/),
  badRun("a rate of 1e29 per second in plain digits", ["--rate", "1e29/s"], /^error: .*--rate/),
  badRun("a rate of Infinity", ["--rate", "Infinity/s"], /^error: .*--rate/),
  badRun("a rate of NaN", ["--rate", "NaN/s"], /^error: .*--rate/),
  badRun("a negative rate", ["--rate", "-5/s"], /^error: .*--rate/),
  badRun("a zero rate", ["--rate", "0/s"], /^error: .*--rate/),
  badRun("a rate per 0 ms", ["--rate", "5/0ms"], /^error: .*--rate/),
  badRun("a billion VUs", ["--vus", "1000000000", "-d", "1s"], /^error: .*--vus/),
  badRun("negative VUs", ["--vus", "-1", "-d", "1s"], /^error: .*--vus/),
  badRun("zero VUs", ["--vus", "0", "-d", "1s"], /^error: .*--vus/),
  badRun("fractional VUs", ["--vus", "1.5", "-d", "1s"], /^error: .*--vus/),
  badRun("NaN VUs", ["--vus", "NaN", "-d", "1s"], /^error: .*--vus/),
  badRun("a million workers", ["--workers", "1000000", "-d", "1s"], /^error: .*--workers/),
  badRun("zero workers", ["--workers", "0", "-d", "1s"], /^error: .*--workers/),
  badRun("negative workers", ["--workers", "-2", "-d", "1s"], /^error: .*--workers/),
  badRun("workers of NaN", ["--workers", "NaN", "-d", "1s"], /^error: .*--workers/),
  badRun("a max-in-flight of 0", ["--max-in-flight", "0", "-d", "1s"], /^error: .*max-in-flight/),
  badRun(
    "a max-in-flight of 1e20",
    ["--max-in-flight", "1e20", "-d", "1s"],
    /^error: .*max-in-flight/,
  ),
  badRun("a zero timeout", ["--timeout", "0s", "-d", "1s"], /^error: .*--timeout/),
  badRun("a timeout of 400 nines", ["--timeout", NINES + "s", "-d", "1s"], /^error: .*--timeout/),
  badRun("a negative graceful stop", ["--graceful-stop", "-1s", "-d", "1s"], /^error: .*graceful/),
  badRun("negative iterations", ["--iterations", "-1"], /^error: .*--iterations/),
  badRun("1e30 iterations", ["--iterations", "1e30"], /^error: .*--iterations/),
  badRun("NaN iterations", ["--iterations", "NaN"], /^error: .*--iterations/),
  badRun("a stage of 400 nines", ["--stage", NINES + "s:1", "--dry-run"], /^error: .*--stage/),
  badRun("a stage to a negative target", ["--stage", "1s:-5"], /^error: .*--stage/),
  badRun("a stage to 1e30/s", ["--stage", "1s:1e30"], /^error: .*--stage/),
  badRun("a stage without a target", ["--stage", "1s"], /^error: .*--stage/),
  badRun("a stage of garbage", ["--stage", "x:y"], /^error: .*--stage/),
];
