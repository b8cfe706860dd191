import { deepEqual, equal } from "node:assert/strict";
import { evalJsonPath, neverMatches, parseJsonPath } from "../../declarative/jsonpath.ts";

Deno.test("the JSONPath subset parses names, quoted names and indexes", () => {
  deepEqual(parseJsonPath("$"), []);
  deepEqual(parseJsonPath("$.a.b_c"), ["a", "b_c"]);
  deepEqual(parseJsonPath("$.items[0].id"), ["items", 0, "id"]);
  deepEqual(parseJsonPath("$['x-y'][\"z w\"][-1]"), ["x-y", "z w", -1]);
  deepEqual(parseJsonPath("$[2]"), [2]);
});

Deno.test("unsupported or malformed JSONPaths are messages, not exceptions", () => {
  for (const bad of ["a.b", "$.", "$..a", "$.a[*]", "$[?(@.x)]", "$.a b", "$['x]"]) {
    equal(typeof parseJsonPath(bad), "string", bad);
  }
});

Deno.test("evaluating walks objects and arrays and misses cleanly", () => {
  const data = { token: "t", items: [{ id: 1 }, { id: 2 }], "x-y": { z: null } };
  const at = (p: string) => evalJsonPath(parseJsonPath(p) as (string | number)[], data);
  equal(at("$.token"), "t");
  equal(at("$.items[1].id"), 2);
  equal(at("$.items[-1].id"), 2);
  equal(at("$['x-y'].z"), null);
  equal(at("$.items[5].id"), undefined);
  equal(at("$.token.length"), undefined);
  equal(at("$.items.id"), undefined);
  equal(at("$.constructor"), undefined);
  deepEqual(at("$"), data);
});

Deno.test("a path the expected schema rules out never matches", () => {
  const obj = {
    type: "object",
    properties: { token: { type: "string" }, list: { type: "array", items: { type: "object" } } },
    additionalProperties: false,
  };
  const p = (s: string) => parseJsonPath(s) as (string | number)[];
  equal(neverMatches(p("$.token"), obj), null);
  equal(neverMatches(p("$.list[0].id"), obj), null);
  equal(typeof neverMatches(p("$.tokn"), obj), "string");
  equal(typeof neverMatches(p("$[0]"), obj), "string");
  equal(typeof neverMatches(p("$.token.x"), obj), "string");
  equal(neverMatches(p("$.anything"), { type: "object" }), null);
  equal(neverMatches(p("$.a"), true), null);
});
