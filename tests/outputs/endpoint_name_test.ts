import { equal, ok } from "node:assert/strict";
import { shortEndpointName } from "../../outputs/_endpoint_name.ts";

const cases: [string, string, number, string][] = [
  [
    "a name that fits is unchanged",
    "POST http://127.0.0.1:8032/auth/login",
    40,
    "POST http://127.0.0.1:8032/auth/login",
  ],
  [
    "the scheme and host go first",
    "POST http://127.0.0.1:8032/auth/login",
    20,
    "POST …/auth/login",
  ],
  ["then whole leading path segments", "GET http://h.example/a/b/c/deep/login", 14, "GET …/login"],
  ["a relative name loses leading segments", "GET /api/users/42/orders", 16, "GET …/42/orders"],
  ["a bare origin keeps its root", "GET http://127.0.0.1:8032", 12, "GET …/"],
  [
    "only a last segment too long alone is cut, at its end",
    "GET http://h/a/averyveryverylongsegment",
    16,
    "GET …/averyvery…",
  ],
  ["a name that is not a path is cut at its end", "my custom request name", 10, "my custom…"],
];

for (const [name, input, width, want] of cases) {
  Deno.test(`endpoint name: ${name}`, () => {
    const got = shortEndpointName(input, width);
    equal(got, want);
    ok(got.length <= width, `${got.length} > ${width}`);
  });
}

Deno.test("endpoint name: the path is never cut in its middle", () => {
  const name = "POST http://127.0.0.1:8032/api/v2/organisations/{org}/projects/{project}/deploy";
  for (let w = 12; w <= name.length; w++) {
    const got = shortEndpointName(name, w);
    ok(got.length <= w, got);
    const path = got.replace(/^POST /, "");
    // What is kept of the path is a whole tail of it, never two ends glued together.
    ok(path === name.slice(5) || name.endsWith(path.replace(/^…/, "")) || path.endsWith("…"), got);
  }
});
