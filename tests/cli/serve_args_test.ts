import assert from "node:assert/strict";
import { ConfigError } from "../../core/errors.ts";
import { parseServeArgs, SERVE_USAGE, serveCommand } from "../../cli/commands/serve.ts";

Deno.env.set("NO_PROXY", "127.0.0.1,localhost,::1");

Deno.test("serve flags default to port 8080 on 127.0.0.1 with no faults", () => {
  assert.deepEqual(parseServeArgs([]), {
    help: false,
    hostname: "127.0.0.1",
    port: 8080,
    latencyMs: 0,
    jitterMs: 0,
    errorRate: 0,
  });
});

Deno.test("serve flags accept every option in its documented form", () => {
  const args = [
    "--port",
    "9090",
    "--host=0.0.0.0",
    "--latency",
    "5ms",
    "--jitter",
    "2ms",
    "--error-rate",
    "0.01",
    "--stall",
    "1s/5s",
    "--seed",
    "42",
  ];
  assert.deepEqual(parseServeArgs(args), {
    help: false,
    hostname: "0.0.0.0",
    port: 9090,
    latencyMs: 5,
    jitterMs: 2,
    errorRate: 0.01,
    stall: { forMs: 1000, everyMs: 5000 },
    seed: 42,
  });
});

Deno.test("an error rate may be a fraction or a percentage", () => {
  const rate = (v: string): number | undefined => parseServeArgs(["--error-rate", v]).errorRate;
  assert.equal(rate("1%"), 0.01);
  assert.equal(rate("0.5"), 0.5);
  assert.equal(rate("0"), 0);
  assert.equal(rate("1"), 1);
  assert.equal(rate("100%"), 1);
  assert.equal(rate("2.5%"), 0.025);
});

Deno.test("-h and --help ask for help", () => {
  assert.equal(parseServeArgs(["-h"]).help, true);
  assert.equal(parseServeArgs(["--help"]).help, true);
  assert.match(SERVE_USAGE, /^Usage: rampa serve/);
});

Deno.test("each bad value is rejected with a ConfigError that quotes it", () => {
  const cases: [string[], string][] = [
    [["--port", "abc"], '"abc"'],
    [["--port", "70000"], '"70000"'],
    [["--port=-1"], '"-1"'],
    [["--latency", "5"], '"5"'],
    [["--jitter", "fast"], '"fast"'],
    [["--error-rate", "abc"], '"abc"'],
    [["--error-rate", "2"], '"2"'],
    [["--error-rate", "150%"], '"150%"'],
    [["--error-rate=-0.1"], '"-0.1"'],
    [["--stall", "1s"], '"1s"'],
    [["--stall", "x/5s"], '"x/5s"'],
    [["--stall", "5s/5s"], '"5s/5s"'],
    [["--stall", "6s/5s"], '"6s/5s"'],
    [["--stall", "0/5s"], '"0/5s"'],
    [["--seed", "1.5"], '"1.5"'],
    [["--host", ""], '""'],
  ];
  for (const [args, quoted] of cases) {
    assert.throws(() => parseServeArgs(args), (error: unknown) => {
      assert.ok(error instanceof ConfigError, args.join(" "));
      assert.ok(error.message.includes(quoted), `${args.join(" ")}: ${error.message}`);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  }
  assert.throws(
    () => parseServeArgs(["--error-rate", "abc"]),
    {
      message:
        'Cannot parse --error-rate "abc": expected a number from 0 to 1 or a percentage such as 1%',
    },
  );
});

Deno.test("unknown flags, missing values and positionals become ConfigErrors", () => {
  for (
    const [args, pattern] of [
      [["--bogus"], /--bogus/],
      [["--port"], /--port/],
      [["extra"], /extra/],
      [["--error-rate", "-0.1"], /--error-rate=/],
    ] as [string[], RegExp][]
  ) {
    assert.throws(() => parseServeArgs(args), (error: unknown) => {
      assert.ok(error instanceof ConfigError, args.join(" "));
      assert.match(error.message, pattern);
      assert.doesNotMatch(error.message, /To specify a positional/);
      return true;
    });
  }
});

/** Runs serveCommand with console.log captured; `lines` fills as it prints. */
function captureLog(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]): void => void lines.push(parts.join(" "));
  return { lines, restore: () => void (console.log = original) };
}

Deno.test("the serve command prints help and returns 0", async () => {
  const log = captureLog();
  try {
    assert.equal(await serveCommand(["--help"]), 0);
  } finally {
    log.restore();
  }
  assert.equal(log.lines[0], SERVE_USAGE);
});

Deno.test({
  name: "the serve command prints its address, serves, and returns 0 on SIGTERM",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const log = captureLog();
    let code: number;
    try {
      const running = serveCommand(["--port", "0", "--latency", "5ms", "--error-rate", "1%"]);
      while (log.lines.length === 0) await new Promise((r) => setTimeout(r, 5));
      const line = log.lines[0];
      assert.match(
        line,
        /^rampa target listening on http:\/\/127\.0\.0\.1:\d+ \(latency 5ms, error rate 1%\)$/,
      );
      const url = line.split(" ")[4];
      const res = await fetch(`${url}/health`);
      assert.equal(await res.text(), "ok");
      Deno.kill(Deno.pid, "SIGTERM");
      code = await running;
    } finally {
      log.restore();
    }
    assert.equal(code, 0);
  },
});
