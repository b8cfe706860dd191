/**
 * Malformed thresholds, thresholds on unknown or prototype-named metrics, and thresholds that can
 * never fail or never pass: all rejected before the run, one line each, no load.
 *
 * @module
 */
import type { Case } from "../_case.ts";
import { badRun } from "./_helpers.ts";

const th = (name: string, expr: string, line: RegExp = /^error: .*/): Case =>
  badRun(name, ["--threshold", expr, "-d", "1s"], line);

/** Threshold expressions. */
export const THRESHOLD_CASES: Case[] = [
  th("an empty threshold", ""),
  th("a threshold with no condition", "http_req_duration"),
  th("a threshold with a dangling operator", "http_req_duration p(99)<"),
  th("a threshold with an unknown aggregation", "http_req_duration p99.9x<1ms"),
  th("p(101) as a percentile", "http_req_duration p(101)<100ms"),
  th("p(-1) as a percentile", "http_req_duration p(-1)<100ms"),
  th("p(NaN) as a percentile", "http_req_duration p(NaN)<100ms"),
  th("a threshold on an unknown metric", "no_such_metric count>1", /^error: .*no_such_metric/),
  th("a threshold on constructor", "constructor count>1", /^error: Unknown metric "constructor"/),
  th("a threshold on toString", "toString count>1", /^error: .*"toString"/),
  th("a threshold on valueOf", "valueOf count>1", /^error: .*"valueOf"/),
  th("a threshold on __proto__", "__proto__ count>1", /^error: .*__proto__/),
  th("a percentile on a counter", "http_reqs p(99)<5"),
  th("an unclosed tag filter", "http_req_duration{name:x p(99)<1ms"),
  th("a unit that does not exist", "http_req_duration p(99)<5parsecs"),
  th("a NaN bound", "http_req_duration avg<NaN"),
  th(
    "an error rate below 250% (can never fail)",
    "error_rate: <250%",
    /^error: .*(never|always|250%)/,
  ),
  th("an average below 1e309 (can never fail)", "http_req_duration avg<1e309"),
  th("an error rate below -5% (can never pass)", "error_rate: <-5%"),
  th("a count above -1 (can never fail)", "http_reqs count>-1"),
  th("a rate above 100% (can never pass)", "http_req_failed rate>100%"),
  th("a duration below 0 ms (can never pass)", "http_req_duration p(99)<0ms"),
  th("a window of zero", "http_req_duration p(99)<500ms over 0s"),
  th("a window of 400 nines", "http_req_duration p(99)<500ms over " + "9".repeat(400) + "s"),
];
