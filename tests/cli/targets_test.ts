import { deepEqual, equal, match, rejects, throws } from "node:assert/strict";
import { ConfigError } from "../../core/errors.ts";
import { parseHttpTargets, parseJsonTargets } from "../../cli/targets.ts";

Deno.test("http target lists: method and URL, headers, @body-file, blank lines and comments", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/b.json`, '{"a":1}');
  const list = await parseHttpTargets(
    `GET http://h/a\nX-A: 1\nX-B: two words\n\n# comment\nPOST https://h/b\n` +
      `Content-Type: application/json\n@b.json\n\n\nDELETE http://h/c\n`,
    "t.txt",
    dir,
  );
  equal(list.length, 3);
  deepEqual(list[0], {
    method: "GET",
    url: "http://h/a",
    headers: [["X-A", "1"], ["X-B", "two words"]],
    body: null,
  });
  equal(new TextDecoder().decode(list[1].body!), '{"a":1}');
  equal(list[2].method, "DELETE");
});

Deno.test("http target lists: every problem with its line, before any load", async () => {
  await rejects(
    () =>
      parseHttpTargets(
        "get http://h/\n\nGET ftp://x\n\nGET http://h/\nbad header\n@missing\n",
        "t.txt",
        "/tmp",
      ),
    ConfigError,
  );
  try {
    await parseHttpTargets(
      "get http://h/\n\nGET ftp://x\n\nGET http://h/\nbad header\n",
      "t.txt",
      "/",
    );
  } catch (e) {
    const issues = (e as ConfigError).issues;
    match(issues[0], /^t\.txt:1: expected "METHOD URL"/);
    match(issues[1], /^t\.txt:3: "ftp:\/\/x" is not an http/);
    match(issues[2], /^t\.txt:6: expected a header/);
  }
  await rejects(() => parseHttpTargets("\n# only a comment\n", "e.txt", "/"), /no targets/);
});

Deno.test("json target lists: one object a line, base64 bodies, header value lists", () => {
  const list = parseJsonTargets(
    '{"method":"post","url":"http://h/x","header":{"A":["1","2"]},"body":"eyJhIjoxfQ=="}\n' +
      '{"url":"http://h/y"}\n',
    "stdin",
  );
  equal(list[0].method, "POST");
  deepEqual(list[0].headers, [["A", "1"], ["A", "2"]]);
  equal(new TextDecoder().decode(list[0].body!), '{"a":1}');
  equal(list[1].method, "GET");
  throws(() => parseJsonTargets('{"url":"http://h/"}\nnot json\n', "j"), /j:2: not a JSON object/);
  throws(
    () => parseJsonTargets('{"url":"http://h/","body":"%%%"}\n', "j"),
    /j:1: "body" is not valid base64/,
  );
});
