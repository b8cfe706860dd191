import { equal, throws } from "node:assert/strict";
import { ConfigError } from "../../core/errors.ts";
import { formatDuration, parseDuration, parseRate, perSecond } from "../../core/units.ts";

Deno.test("durations parse in every unit and in compounds", () => {
  const table: [string, number][] = [
    ["500ms", 500],
    ["30s", 30_000],
    ["2m30s", 150_000],
    ["1h", 3_600_000],
    ["1.5s", 1_500],
    ["250us", 0.25],
    ["1h5m", 3_900_000],
    ["0", 0],
  ];
  for (const [text, ms] of table) equal(parseDuration(text), ms, text);
});

Deno.test("bad durations are rejected with the value quoted", () => {
  for (const text of ["", "30", "abc", "5x", "1s2", "-1s", "s"]) {
    throws(() => parseDuration(text), (e: unknown) => {
      return e instanceof ConfigError && e.message.includes(`"${text}"`);
    }, text);
  }
});

Deno.test("rates parse as count per period", () => {
  const table: [string, number][] = [
    ["100/s", 100],
    ["6000/1m", 100],
    ["5/100ms", 50],
    ["500", 500],
    ["1/2s", 0.5],
    ["30/m", 0.5],
  ];
  for (const [text, ps] of table) equal(perSecond(parseRate(text)), ps, text);
});

Deno.test("bad rates are rejected with a hint", () => {
  for (const text of ["10/x", "fast", "0/s", "-5/s", "10/0s", ""]) {
    throws(() => parseRate(text, "--rate"), (e: unknown) => {
      return e instanceof ConfigError && e.message.startsWith(`Cannot parse --rate "${text}"`);
    }, text);
  }
});

Deno.test("durations format compactly for people", () => {
  equal(formatDuration(0.85), "850µs");
  equal(formatDuration(12.34), "12.3ms");
  equal(formatDuration(1520), "1.52s");
  equal(formatDuration(150_000), "2m30s");
});
