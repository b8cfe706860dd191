import { equal, match, ok } from "node:assert/strict";
import { runCli } from "./_cli.ts";

Deno.test("rampa selfcheck measures the closed-loop ceiling, steps open-loop rates and states a verdict", async () => {
  // Short steps keep it bounded: 0.3 s closed loop, then at most 7 steps of 1 s warm-up + 0.3 s.
  const r = await runCli(["selfcheck", "--step-duration", "300ms"]);
  equal(r.code, 0, r.stderr);
  match(r.stdout, /embedded target on http:\/\/127\.0\.0\.1:\d+ \(own thread\), engine http1/);
  const closed = r.stdout.match(/closed loop, 64 VUs: (\d+) req\/s/);
  ok(closed && Number(closed[1]) > 0, r.stdout);
  const steps = [...r.stdout.matchAll(/^\s+(\d+)\/s → (\d+)\/s, send lag p99 .*(✓|✗)$/gm)];
  ok(steps.length >= 1, r.stdout);
  // Rates step up, and stepping stops at the first step that missed its schedule.
  for (let i = 1; i < steps.length; i++) ok(Number(steps[i][1]) > Number(steps[i - 1][1]));
  ok(steps.slice(0, -1).every((s) => s[3] === "✓"), r.stdout);
  // Either verdict is honest on a shared machine; one of them must be printed.
  match(
    r.stdout,
    /This host generates up to ~\d+\/s per worker on schedule|exceeded the send-lag bound/,
  );
});

Deno.test("rampa selfcheck rejects a malformed bound with one line and exit code 2", async () => {
  const r = await runCli(["selfcheck", "--lag-bound", "soon"]);
  equal(r.code, 2, r.stderr);
  equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  match(r.stderr, /^error: .*--lag-bound "soon"/);
});
