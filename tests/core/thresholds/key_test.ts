import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { ConfigError } from "../../../core/errors.ts";
import { parseThresholdFlag, parseThresholdKey } from "../../../core/thresholds/key.ts";

Deno.test("keys split into a metric and a tag filter", () => {
  const table: [string, string, Record<string, string>][] = [
    ["http_req_duration", "http_req_duration", {}],
    ["  http_reqs  ", "http_reqs", {}],
    ["http_req_duration{name:/api}", "http_req_duration", { name: "/api" }],
    ["http_req_duration {name:/api,status:200}", "http_req_duration", {
      name: "/api",
      status: "200",
    }],
    ["http_req_duration{ name : /api , status : 200 }", "http_req_duration", {
      name: "/api",
      status: "200",
    }],
    ["http_req_duration{name:\"/a, b}\",method:'GET'}", "http_req_duration", {
      name: "/a, b}",
      method: "GET",
    }],
    ["http_req_duration{url:http://x:8080/a}", "http_req_duration", { url: "http://x:8080/a" }],
    ['http_req_duration{"odd tag":""}', "http_req_duration", { "odd tag": "" }],
    ["error_rate{name:/api}", "error_rate", { name: "/api" }],
  ];
  for (const [key, metric, tags] of table) {
    deepStrictEqual(parseThresholdKey(key), { ok: true, metric, tags }, key);
  }
});

Deno.test("malformed keys say what is wrong", () => {
  const table: [string, string][] = [
    ["{name:/api}", "expected a metric name"],
    ["", "expected a metric name"],
    ["http_req_duration{name}", 'cannot parse tags "{name}"'],
    ["http_req_duration{}", 'empty tag filter "{}"'],
    ['http_req_duration{name:"/api}', "unclosed quote"],
    ["http_req_duration{name:/api", 'unclosed "{" in "{name:/api"'],
    ["http_req_duration p99", 'unexpected "p99" after the metric name'],
    ["http_req_duration{a:1,a:2}", 'tag "a" is given twice'],
    ['http_req_duration{a:"x" y}', 'cannot parse tags "{a:"x" y}"'],
  ];
  for (const [key, fragment] of table) {
    const r = parseThresholdKey(key);
    ok(!r.ok && r.error.includes(fragment), `${key}: ${JSON.stringify(r)}`);
  }
});

Deno.test("the --threshold flag splits into a key and an expression", () => {
  const table: [string, string, string][] = [
    ["http_req_duration p(99)<500ms", "http_req_duration", "p(99)<500ms"],
    ["http_req_duration: p(99)<500ms", "http_req_duration", "p(99)<500ms"],
    ["http_req_duration{name:/api}: p(99)<500ms", "http_req_duration{name:/api}", "p(99)<500ms"],
    ["http_reqs{name:/api} count > 5 over 30s", "http_reqs{name:/api}", "count > 5 over 30s"],
    ['http_req_duration{name:"a: b"}:p99<1s', 'http_req_duration{name:"a: b"}', "p99<1s"],
    ["error_rate <1%", "error_rate", "<1%"],
    ["error_rate:<1%", "error_rate", "<1%"],
    ["rps>=100", "rps", ">=100"],
    ["  http_reqs   count > 10  ", "http_reqs", "count > 10"],
  ];
  for (const [flag, key, expression] of table) {
    deepStrictEqual(parseThresholdFlag(flag), { key, expression }, flag);
  }
});

Deno.test("a --threshold flag without an expression is a config error", () => {
  for (const flag of ["", "http_req_duration", "http_req_duration:", "<500", ": p99<1"]) {
    throws(() => parseThresholdFlag(flag), (e: unknown) => {
      ok(e instanceof ConfigError);
      equal(e.issues.length, 1);
      ok(e.message.startsWith(`Invalid threshold flag "${flag}": expected a metric`));
      return true;
    }, flag);
  }
});
