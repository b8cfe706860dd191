/**
 * `rampa run`'s remaining k6 flags as parsed (no request sent): `--rps`, `--http-debug[=full]`,
 * `--summary-trend-stats`, `--console-output`, and `RAMPA_<FLAG>` variables with flags winning.
 */
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { parseRunArgs, runUsage } from "../../cli/commands/run_args.ts";
import { envName } from "../../cli/commands/_run_env.ts";
import { ConfigError } from "../../core/errors.ts";
import { parseTrendStats, trendColumns } from "../../outputs/console/trend_stats.ts";
import { registerBuiltinProtocols } from "../../engines/registry.ts";

registerBuiltinProtocols();
const URL_ = "http://127.0.0.1:8080/";
const parse = (args: string[], env: Record<string, string> = {}) =>
  parseRunArgs(["run", URL_, ...args].slice(1), {}, env);

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  return [];
}

Deno.test("--rps is the run's cap, carried in the HTTP options", () => {
  const a = parse(["--rps", "50"]);
  equal(a.rps, 50);
  equal(a.http.rps, 50);
  equal(parse([]).rps, null);
  equal(parse([]).http.rps, undefined);
  deepEqual(issuesOf(() => parse(["--rps", "0"])), [
    'Cannot parse --rps "0": expected requests per second above 0, e.g. 100',
  ]);
  equal(issuesOf(() => parse(["--rps", "fast"])).length, 1);
});

Deno.test("--http-debug takes no value or =full, also before the URL", () => {
  equal(parse(["--http-debug"]).httpDebug, "headers");
  equal(parse(["--http-debug=full"]).http.httpDebug, "full");
  equal(parseRunArgs(["--http-debug", URL_], {}, {}).httpDebug, "headers");
  equal(parseRunArgs(["--http-debug", URL_], {}, {}).url, URL_);
  equal(parse([]).httpDebug, null);
  match(issuesOf(() => parse(["--http-debug=loud"]))[0], /--http-debug "loud"/);
});

Deno.test("--summary-trend-stats takes k6's names and refuses the rest", () => {
  deepEqual(parse(["--summary-trend-stats", "avg,min,med,max,p(90),p(95),p(99.9)"]).trendStats, [
    "avg",
    "min",
    "med",
    "max",
    "p(90)",
    "p(95)",
    "p(99.9)",
  ]);
  deepEqual(parseTrendStats("p95, P(99), count"), ["p(95)", "p(99)", "count"]);
  deepEqual(issuesOf(() => parse(["--summary-trend-stats", "avg,p(42)"])), [
    'Cannot use --summary-trend-stats "p(42)": expected some of ' +
    "avg,min,med,max,count,p(50),p(90),p(95),p(99),p(99.9)",
  ]);
  throws(() => parseTrendStats(" , "), ConfigError);
});

Deno.test("a summary's recorded trend stats become console columns; without them the default", () => {
  deepEqual(trendColumns({ summaryTrendStats: ["avg", "p(99.9)"] }), [
    { head: "avg", key: "avg" },
    { head: "p99.9", key: "p999" },
  ]);
  deepEqual(trendColumns({}).map((c) => c.head), [
    "min",
    "p50",
    "p90",
    "p95",
    "p99",
    "p99.9",
    "max",
  ]);
  equal(trendColumns({ summaryTrendStats: ["nope"] }).length, 7);
});

Deno.test("--console-output resolves from where the user stands", () => {
  const a = parse(["--console-output", "c.log"]);
  ok(a.consoleOutput?.endsWith("c.log"), String(a.consoleOutput));
  equal(parse([]).consoleOutput, null);
});

Deno.test("RAMPA_<FLAG> names every flag", () => {
  equal(envName("max-in-flight"), "RAMPA_MAX_IN_FLIGHT");
  equal(envName("http-debug"), "RAMPA_HTTP_DEBUG");
});

Deno.test("RAMPA_ variables fill flags that were not given, and a given flag wins", () => {
  const a = parse([], {
    RAMPA_VUS: "7",
    RAMPA_DURATION: "3s",
    RAMPA_RPS: "25",
    RAMPA_OUT: "csv=a.csv, json=b.json",
    RAMPA_HTTP_DEBUG: "full",
    RAMPA_NO_SUMMARY: "1",
    RAMPA_HEADER: "X-A: 1,2\nX-B: 3",
    RAMPA_SUMMARY_TREND_STATS: "avg,max",
  });
  equal(a.mode, "closed");
  equal(a.vus, 7);
  equal(a.durationMs, 3000);
  equal(a.rps, 25);
  deepEqual(a.outs, ["csv=a.csv", "json=b.json"]);
  equal(a.httpDebug, "full");
  equal(a.summaryPath, null);
  deepEqual(a.headers, [["X-A", "1,2"], ["X-B", "3"]]);
  deepEqual(a.trendStats, ["avg", "max"]);
  const b = parse(["--vus", "2", "-o", "json=c.json"], { RAMPA_VUS: "7", RAMPA_OUT: "csv=a.csv" });
  equal(b.vus, 2);
  deepEqual(b.outs, ["json=c.json"]);
});

Deno.test("a flag drops the variable of the flag it excludes", () => {
  // --rate on the command line and RAMPA_VUS in the environment: the flag decides the loop.
  const a = parse(["--rate", "10/s"], { RAMPA_VUS: "5" });
  equal(a.mode, "open");
  equal(a.ratePerSecond, 10);
  equal(parse(["--no-summary"], { RAMPA_SUMMARY: "x.json" }).summaryPath, null);
});

Deno.test("bad RAMPA_ values are named by their variable, like flags by theirs", () => {
  deepEqual(issuesOf(() => parse([], { RAMPA_INSECURE: "maybe" })), [
    'Cannot parse RAMPA_INSECURE "maybe": expected true, 1, false or 0',
  ]);
  match(issuesOf(() => parse([], { RAMPA_VUS: "many" }))[0], /RAMPA_VUS "many"/);
  equal(parse([], { RAMPA_INSECURE: "false" }).insecure, false);
  equal(parse([], { RAMPA_HELP: "1" }).help, false);
  equal(parse([], { RAMPA_VUS: "" }).mode, "open");
});

Deno.test("rampa run --help names the new flags and the environment", () => {
  const help = runUsage();
  for (const f of ["--rps", "--http-debug[=full]", "--summary-trend-stats", "--console-output"]) {
    ok(help.includes(f), f);
  }
  match(help, /RAMPA_<FLAG>/);
});
