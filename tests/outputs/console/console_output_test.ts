import assert from "node:assert/strict";
import {
  CLEAR_LINE,
  type ConsoleOutputOptions,
  createConsoleOutput,
  terminalColumns,
  TTY_FALLBACK_WIDTH,
} from "../../../outputs/console/console_output.ts";
import type { Output, RunInfo } from "../../../core/run/output.ts";
import { createTicker, fixtureSummary, recordRun } from "./_fixture.ts";

const info: RunInfo = {
  startedAt: new Date("2025-01-15T10:00:00.000Z"),
  plannedDurationMs: 30_000,
  scenarios: [{ name: "s", executor: "constant-arrival-rate" }],
};
const run = recordRun();
const summary = fixtureSummary(run);

/** An output whose stdout and stderr writes are captured separately. */
function capture(opts: Partial<ConsoleOutputOptions> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output: Output = createConsoleOutput({
    color: false,
    quiet: false,
    tty: false,
    targetRate: 100,
    write: (s) => stdout.push(s),
    writeErr: (s) => stderr.push(s),
    ...opts,
  });
  output.start(info);
  return { output, stdout, stderr };
}

Deno.test("console output describes itself as console", () => {
  assert.equal(
    createConsoleOutput({ color: false, quiet: true, tty: false }).describe(),
    "console",
  );
});

Deno.test("on a TTY the progress line is redrawn in place on stderr", () => {
  const { output, stdout, stderr } = capture({ tty: true });
  const next = createTicker();
  for (let i = 0; i < 3; i++) output.push(next());
  assert.equal(stderr.length, 3);
  for (const w of stderr) {
    assert.ok(w.startsWith(CLEAR_LINE), JSON.stringify(w));
    assert.ok(!w.includes("\n"), "a redrawn line must not end the line");
  }
  assert.ok(stderr[2].startsWith(CLEAR_LINE + "3s/30s  100.0/s of 100.0/s  vus 4  reqs 300"));
  assert.equal(stdout.length, 0, "nothing reaches stdout while running");
});

Deno.test("stop clears the progress line and prints the summary on stdout", () => {
  const { output, stdout, stderr } = capture({ tty: true });
  output.push(createTicker()());
  output.stop(summary);
  assert.equal(stderr.at(-1), CLEAR_LINE);
  assert.equal(stdout.length, 1);
  assert.ok(stdout[0].startsWith("✗ FAILED: 1 of 2 thresholds failed"));
  assert.ok(stdout[0].includes("\ngenerator health\n"));
  assert.ok(!stdout[0].includes("\u001b"), "no colour when color is false");
});

Deno.test("outside a TTY a plain progress line is printed at most every 10 s", () => {
  const { output, stderr } = capture();
  const next = createTicker();
  for (let i = 0; i < 25; i++) output.push(next());
  assert.equal(stderr.length, 2);
  assert.ok(stderr[0].startsWith("10s/30s  "));
  assert.ok(stderr[1].startsWith("20s/30s  "));
  for (const w of stderr) {
    assert.ok(w.endsWith("\n") && !w.includes("\r"), JSON.stringify(w));
  }
});

Deno.test("the first dropped iterations are warned about once, on their own line", () => {
  const { output, stderr } = capture({ tty: true });
  const next = createTicker();
  output.push(next());
  output.push(next({ dropped: 3 }));
  output.push(next({ dropped: 5 }));
  const warnings = stderr.filter((w) => w.includes("! dropped iterations"));
  assert.equal(warnings.length, 1);
  assert.equal(
    warnings[0],
    CLEAR_LINE + "! dropped iterations: the target rate is not being delivered\n",
  );
  // The progress line is drawn again after the warning.
  assert.ok(stderr.at(-1)!.startsWith(CLEAR_LINE + "3s/30s"));
  assert.ok(stderr.at(-1)!.includes("dropped 8"));
});

Deno.test("scheduler lag over 5 ms is warned about, at most every 10 s", () => {
  const { output, stderr } = capture();
  const next = createTicker();
  output.push(next({ lagMs: 0.2 }));
  for (let i = 0; i < 12; i++) output.push(next({ lagMs: 9 }));
  const warnings = stderr.filter((w) => w.startsWith("! scheduler lag"));
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /^! scheduler lag p99 9ms at 2s \(over 5ms\): latencies include /);
  assert.match(warnings[1], / at 12s /);
});

Deno.test("warnings are not glued to a plain progress line", () => {
  const { output, stderr } = capture();
  const next = createTicker();
  for (let i = 0; i < 9; i++) output.push(next());
  output.push(next({ dropped: 1 }));
  assert.deepEqual(stderr.map((w) => w.slice(0, 9)), ["! dropped", "10s/30s  "]);
  assert.ok(stderr.every((w) => w.endsWith("\n")));
});

Deno.test("quiet prints no progress or warnings, and only the verdict at the end", () => {
  const { output, stdout, stderr } = capture({ quiet: true, tty: true });
  for (const t of run.ticks) output.push(t);
  output.stop(summary);
  assert.equal(stderr.length, 0);
  assert.deepEqual(stdout, [
    "✗ FAILED: 1 of 2 thresholds failed (http_req_failed rate<0.01)\n",
  ]);
});

Deno.test("with a single writer, progress and summary arrive in order", () => {
  const all: string[] = [];
  const output = createConsoleOutput({
    color: true,
    quiet: false,
    tty: true,
    write: (s) => all.push(s),
  });
  output.start(info);
  for (const t of run.ticks) output.push(t);
  output.stop(summary);
  // Tick 1 draws progress, tick 2 drops arrivals: warning, then progress again.
  assert.equal(all.length, 6);
  assert.ok(all[0].includes("10s/30s"));
  assert.ok(all[1].includes("! dropped iterations"), all[1]);
  assert.ok(all[2].includes("20s/30s") && all[3].includes("30s/30s"));
  assert.equal(all[4], CLEAR_LINE);
  assert.ok(all.at(-1)!.startsWith("\u001b[1m\u001b[31m✗ FAILED"));
});

Deno.test("progress lines respect the given width", () => {
  const { output, stderr } = capture({ tty: true, width: 50 });
  output.push(createTicker()({ requests: 12_345, failed: 17, dropped: 3 }));
  const line = stderr.at(-1)!.slice(CLEAR_LINE.length);
  assert.ok(line.length <= 49, `${line.length}: ${line}`);
});

Deno.test("several scenarios get a progress line each, redrawn in place as one block", () => {
  const stderr: string[] = [];
  const output = createConsoleOutput({
    color: false,
    quiet: false,
    tty: true,
    write: () => {},
    writeErr: (s) => stderr.push(s),
  });
  output.start({
    ...info,
    scenarios: [
      { name: "checkout", executor: "constant-arrival-rate" },
      { name: "browse", executor: "constant-vus" },
    ],
  });
  const next = createTicker();
  output.push(next());
  output.push(next());
  const first = stderr[0].split("\n");
  assert.equal(first.length, 3, "the overall line and one per scenario");
  assert.ok(first[1].includes("checkout") && first[2].includes("browse"), stderr[0]);
  assert.ok(stderr[1].startsWith("\u001b[2A"), "the redraw moves back up over the block");
});

Deno.test("on a terminal the progress line is as wide as the terminal, read on each tick", () => {
  let columns = 60;
  const { output, stderr } = capture({ tty: true, columns: () => columns });
  const next = createTicker();
  output.push(next());
  const narrow = stderr[0].slice(CLEAR_LINE.length);
  assert.equal(narrow.length, 59, "one column short of the terminal");
  assert.ok(narrow.endsWith("…"));
  columns = 100;
  output.push(next());
  assert.ok(!stderr[1].endsWith("…") && stderr[1].length > 80, "a resize is followed");
  // When the size cannot be read (no terminal here), 100 columns are assumed.
  const fallback = Deno.stderr.isTerminal() ? null : terminalColumns(TTY_FALLBACK_WIDTH);
  if (fallback !== null) assert.equal(fallback, TTY_FALLBACK_WIDTH);
});
