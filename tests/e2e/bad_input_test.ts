import { equal, match, ok } from "node:assert/strict";
import { refusedPort } from "../_servers/faults.ts";
import { runCli } from "./_cli.ts";

function oneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  ok(!/\n\s+at /.test(stderr), `no stack trace: ${stderr}`);
  return lines[0];
}

const table: [string, string[], number, RegExp][] = [
  ["an invalid URL", ["run", "notaurl"], 2, /Invalid URL "notaurl"/],
  ["an ftp URL", ["run", "ftp://127.0.0.1/"], 2, /Invalid URL/],
  ["an unknown flag", ["run", "http://127.0.0.1:45999/", "--bogus"], 2, /--bogus/],
  [
    "a bad duration",
    ["run", "http://127.0.0.1:45999/", "-d", "30"],
    2,
    /Cannot parse --duration "30"/,
  ],
  [
    "a bad rate",
    ["run", "http://127.0.0.1:45999/", "--rate", "10/x"],
    2,
    /Cannot parse --rate "10\/x"/,
  ],
  [
    "rate and vus together",
    ["run", "http://127.0.0.1:45999/", "--rate", "5", "--vus", "2"],
    2,
    /either/,
  ],
  ["a missing URL", ["run"], 2, /Missing the URL/],
  [
    "an unknown timing mode",
    ["run", "http://127.0.0.1:45999/", "--timing", "fast"],
    2,
    /Unknown --timing "fast": expected one of slice, precise, efficient, spin/,
  ],
  ["an unknown command", ["bogus"], 2, /Unknown command "bogus"/],
  [
    "an unknown output",
    ["run", "http://127.0.0.1:45999/", "--out", "xml=a"],
    2,
    /Unknown output "xml"/,
  ],
];

for (const [what, args, code, message] of table) {
  Deno.test(`${what} gets a one-line error and exit code ${code}`, async () => {
    const r = await runCli(args);
    equal(r.code, code, r.stderr);
    match(oneLine(r.stderr), message);
  });
}

Deno.test("an unwritable summary path fails before any load with exit code 9", async () => {
  const r = await runCli([
    "run",
    "http://127.0.0.1:45999/",
    "--summary",
    "/nonexistent/dir/s.json",
  ]);
  equal(r.code, 9, r.stderr);
  match(oneLine(r.stderr), /Cannot write to "\/nonexistent\/dir\/s.json"/);
});

Deno.test("an unreachable target stops early with exit code 8 and still writes the summary", async () => {
  const port = await refusedPort();
  const dir = await Deno.makeTempDir();
  const r = await runCli(["run", `http://127.0.0.1:${port}/`, "--rate", "100/s", "-d", "20s"], dir);
  equal(r.code, 8, r.stderr);
  match(r.stdout, /Cannot reach http:\/\/127\.0\.0\.1/);
  const s = JSON.parse(await Deno.readTextFile(`${dir}/rampa-summary.json`));
  equal(s.run.status, "aborted");
  ok(s.run.durationMs < 15_000, "stopped early");
  ok(s.errors.some((e: { kind: string }) => e.kind === "refused"));
});

Deno.test("an unreachable target found during --warmup stops the run there, with or without workers", async () => {
  const port = await refusedPort();
  for (const workers of ["1", "2"]) {
    const dir = await Deno.makeTempDir();
    const t = performance.now();
    const r = await runCli(
      [
        "run",
        `http://127.0.0.1:${port}/`,
        ...["--rate", "100/s", "-d", "60s", "--warmup", "10s", "--workers", workers],
      ],
      dir,
    );
    const wallMs = performance.now() - t;
    equal(r.code, 8, `--workers ${workers}: ${r.stderr}`);
    match(r.stdout, /Cannot reach http:\/\/127\.0\.0\.1/);
    // Neither the 10 s warm-up nor the 60 s run is sat out against a dead target.
    ok(wallMs < 9_000, `--workers ${workers}: took ${Math.round(wallMs)} ms`);
    const s = JSON.parse(await Deno.readTextFile(`${dir}/rampa-summary.json`));
    equal(s.run.status, "aborted");
  }
});

Deno.test("help, version and exit-code table print and exit 0", async () => {
  for (const args of [["help"], ["run", "--help"], ["serve", "--help"], ["help", "exit-codes"]]) {
    const r = await runCli(args);
    equal(r.code, 0, args.join(" "));
    ok(r.stdout.length > 50);
  }
  const v = await runCli(["version"]);
  match(v.stdout, /^rampa \d+\.\d+\.\d+/);
});
