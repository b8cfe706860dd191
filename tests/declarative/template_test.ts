import { deepEqual, equal } from "node:assert/strict";
import { parseTemplate } from "../../declarative/template.ts";

Deno.test("a template splits into literal text and variables", () => {
  const t = parseTemplate("${env.BASE_URL}/items/${id}?vu=${ vu }");
  deepEqual(t.errors, []);
  deepEqual(t.parts, [
    { ref: { kind: "env", name: "BASE_URL" }, source: "${env.BASE_URL}" },
    "/items/",
    { ref: { kind: "var", name: "id" }, source: "${id}" },
    "?vu=",
    { ref: { kind: "vu" }, source: "${ vu }" },
  ]);
});

Deno.test("data references name a set and a column", () => {
  deepEqual(parseTemplate("${data.users.name}").parts, [
    { ref: { kind: "data", set: "users", column: "name" }, source: "${data.users.name}" },
  ]);
});

Deno.test("$${ writes a literal ${ and text without variables stays one part", () => {
  deepEqual(parseTemplate("cost: $${price} USD").parts, ["cost: ${price} USD"]);
  deepEqual(parseTemplate("plain").parts, ["plain"]);
  deepEqual(parseTemplate("").parts, []);
});

Deno.test("malformed variables are reported with their text", () => {
  const cases: [string, RegExp][] = [
    ["a ${b", /Unclosed/],
    ["${env}", /expected env\.NAME/],
    ["${data.users}", /expected data\.<set>\.<column>/],
    ["${a.b}", /expected env\.NAME, vu/],
    ["${}", /Invalid variable/],
  ];
  for (const [text, re] of cases) {
    const t = parseTemplate(text);
    equal(t.errors.length, 1, text);
    equal(re.test(t.errors[0].message), true, `${text}: ${t.errors[0].message}`);
  }
});
