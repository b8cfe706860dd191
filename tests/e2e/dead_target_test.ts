import { equal, match, ok } from "node:assert/strict";
import { readSummary, runCli } from "./_cli.ts";

/** A port nothing listens on: bind one, note it, close it. */
function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("a dead target fails with exit 8 even at a low rate, and the summary is kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // 5/s for 1 s: far below the 20 refusals after which the run stops early.
    const r = await runCli([
      "run",
      `http://127.0.0.1:${closedPort()}/`,
      "--rate",
      "5/s",
      "-d",
      "1s",
    ], dir);
    equal(r.code, 8, r.stdout + r.stderr);
    match(r.stdout.split("\n")[0], /FAILED: no request got a response: all 5 failed \(refused/);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(s.verdict.exitCode, 8);
    ok(!/\n\s+at /.test(r.stderr), "no stack trace");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("absurd durations, rates and threshold keys are one-line errors with exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const [args, message] of [
        [["-d", "9".repeat(400) + "s"], /longer than the maximum of 30 days/],
        [["--rate", "10/0.0000000000000000000000001ms"], /above the maximum of 10,000,000\/s/],
        [["--threshold", "constructor count>1"], /Unknown metric "constructor"/],
        [["--body-file", "/dev/zero"], /--body-file "\/dev\/zero": not a regular file/],
      ] as const
    ) {
      const r = await runCli(["run", "http://127.0.0.1:9/", ...args], dir);
      equal(r.code, 2, r.stderr);
      match(r.stderr.trim().split("\n")[0], message);
      ok(!/\n\s+at /.test(r.stderr), "no stack trace");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("secrets in the URL reach neither the console, the JSON summary nor the HTML report", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("ok"),
  );
  const dir = await Deno.makeTempDir();
  try {
    const url = `http://user:PASSW0RDX@127.0.0.1:${server.addr.port}/?token=SECRET456&q=1`;
    const r = await runCli(["run", url, "-d", "500ms", "--out", "html=r.html"], dir);
    equal(r.code, 0, r.stderr);
    for (
      const text of [
        r.stdout + r.stderr,
        await Deno.readTextFile(`${dir}/rampa-summary.json`),
        await Deno.readTextFile(`${dir}/r.html`),
      ]
    ) {
      ok(!text.includes("PASSW0RDX") && !text.includes("SECRET456"), "a secret was written");
    }
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
