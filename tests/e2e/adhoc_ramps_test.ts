import { equal } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { readSummary, runCli } from "./_cli.ts";

const CASES: [string, string[], string, number][] = [
  // 0→100/s over 1 s (50), 1 s at 100/s (100), 100→0/s over 0.5 s (25).
  [
    "--stage ramps the arrival rate of a URL",
    ["--stage", "1s:100", "--stage", "1s:100", "--stage", "500ms:0"],
    "ramping-arrival-rate",
    175,
  ],
  [
    "--iterations with a rate sends exactly that many",
    [
      "--rate",
      "100/s",
      "--iterations",
      "37",
    ],
    "constant-arrival-rate",
    37,
  ],
  [
    "--iterations with --vus shares them out",
    [
      "--vus",
      "3",
      "--iterations",
      "25",
    ],
    "shared-iterations",
    25,
  ],
];

for (const [name, flags, executor, requests] of CASES) {
  Deno.test(name, async () => {
    const target = startTarget({ quiet: true });
    const dir = await Deno.makeTempDir();
    try {
      const r = await runCli(["run", `${target.url}/`, ...flags, "-q"], dir);
      equal(r.code, 0, r.stderr);
      const s = await readSummary(`${dir}/rampa-summary.json`);
      equal(s.scenarios[0].executor, executor);
      const reqs = s.metrics.http_reqs;
      equal(reqs.type === "counter" ? reqs.count : -1, requests);
    } finally {
      await target.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("--stage with --rate is refused: the stage targets are the rates", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", "http://127.0.0.1:9/", "--rate", "10/s", "--stage", "1s:5"],
      dir,
    );
    equal(r.code, 2, r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
