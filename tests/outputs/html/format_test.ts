import assert from "node:assert/strict";
import {
  escapeHtml,
  formatMs,
  formatPercent,
  formatRate,
  formatSpan,
  formatValue,
  jsonForScript,
} from "../../../outputs/html/_format.ts";

Deno.test("escapeHtml escapes the five characters that can break out of text or attributes", () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&amp;</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
  );
  assert.equal(escapeHtml("plain /api/users/{id} ✓"), "plain /api/users/{id} ✓");
});

Deno.test("jsonForScript cannot close its script element and still parses to the same value", () => {
  const value = { name: "</script><script>alert(1)</script>", sep: "a\u2028b\u2029c" };
  const text = jsonForScript(value);
  assert.ok(!text.includes("<"), text);
  assert.ok(!text.includes("\u2028") && !text.includes("\u2029"));
  assert.deepEqual(JSON.parse(text), value);
});

Deno.test("durations read as people say them", () => {
  const spans: [number, string][] = [
    [0, "0s"],
    [250, "250ms"],
    [999.7, "1s"],
    [1500, "1.5s"],
    [35_000, "35s"],
    [59_960, "1m"],
    [150_000, "2m30s"],
    [3_660_000, "1h1m"],
    [28_800_000, "8h"],
  ];
  for (const [ms, text] of spans) assert.equal(formatSpan(ms), text, `${ms} ms`);
  const latencies: [number, string][] = [
    [0.4213, "0.42 ms"],
    [12.34, "12.3 ms"],
    [143.2, "143 ms"],
    [1240, "1.24 s"],
    [12_400, "12.4 s"],
  ];
  for (const [ms, text] of latencies) assert.equal(formatMs(ms), text, `${ms} ms`);
  assert.equal(formatMs(null), "–");
});

Deno.test("shares, rates and config values are compact", () => {
  assert.equal(formatPercent(0.004), "0.40%");
  assert.equal(formatPercent(0.125), "12.5%");
  assert.equal(formatPercent(0), "0.0%");
  assert.equal(formatRate(498.7), "499/s");
  assert.equal(formatRate(6.04), "6.0/s");
  assert.equal(formatRate(null), "–");
  assert.equal(formatValue({ a: [1, 2] }), '{"a":[1,2]}');
  assert.equal(formatValue("x".repeat(500)).length, 400);
});
