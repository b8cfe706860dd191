import assert from "node:assert/strict";
import { ConfigError, ExitCode, RampaError } from "../../core/errors.ts";
import { REPORT_USAGE, reportCommand } from "../../cli/commands/report.ts";
import { rampSummary } from "../outputs/html/_fixture.ts";

const summary = rampSummary();

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-report-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Asserts that `args` fail with one ConfigError line (exit 2) matching `pattern`. */
async function rejectsWith(args: string[], pattern: RegExp): Promise<void> {
  await assert.rejects(
    () => reportCommand(args),
    (e) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.exitCode, ExitCode.INVALID_CONFIG);
      assert.equal(e.issues.length, 1);
      assert.ok(!e.issues[0].includes("\n"), `one line: ${e.issues[0]}`);
      assert.match(e.issues[0], pattern);
      return true;
    },
  );
}

Deno.test("report --html turns a saved summary into an HTML report", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/s.json`, JSON.stringify(summary, null, 2));
    const code = await reportCommand([`${dir}/s.json`, "--html", `${dir}/out.html`]);
    assert.equal(code, ExitCode.OK);
    const html = await Deno.readTextFile(`${dir}/out.html`);
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /FAILED: 2 of 4 thresholds failed/);
  });
});

Deno.test("report rejects a file that is not JSON, naming the file", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
    await rejectsWith(
      [`${dir}/bad.json`, "--html", `${dir}/o.html`],
      /^Cannot parse summary ".*bad\.json": /,
    );
  });
});

Deno.test("report rejects a missing file, naming it", async () => {
  await withDir(async (dir) => {
    await rejectsWith(
      [`${dir}/nope.json`, "--html", `${dir}/o.html`],
      /^Cannot read summary ".*nope\.json": /,
    );
  });
});

Deno.test("report rejects a file that is not a rampa summary", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/other.json`, JSON.stringify({ hello: "world" }));
    await rejectsWith(
      [`${dir}/other.json`, "--html", `${dir}/o.html`],
      /^Invalid summary ".*other\.json": schema is null, expected "rampa\.summary"$/,
    );
  });
});

Deno.test("report rejects another schema version", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/v2.json`, JSON.stringify({ ...summary, schemaVersion: 2 }));
    await rejectsWith(
      [`${dir}/v2.json`, "--html", `${dir}/o.html`],
      /^Invalid summary ".*v2\.json": schemaVersion is 2, this rampa reads version 1$/,
    );
  });
});

Deno.test("report names the first place where a summary breaks the schema", async () => {
  await withDir(async (dir) => {
    const broken = { ...summary, scenarios: [{ ...summary.scenarios[0], plan: "fast" }] };
    await Deno.writeTextFile(`${dir}/broken.json`, JSON.stringify(broken));
    await rejectsWith(
      [`${dir}/broken.json`, "--html", `${dir}/o.html`],
      /^Invalid summary ".*broken\.json": at scenarios\[0\]\.plan: .*array/i,
    );
    assert.ok(!(await exists(`${dir}/o.html`)), "nothing is written");
  });
});

Deno.test("report needs exactly one summary file and --html", async () => {
  await rejectsWith(["--html", "o.html"], /^Missing summary file/);
  await rejectsWith(["a.json", "b.json", "--html", "o.html"], /^Expected one summary file, got 2/);
  await rejectsWith(["a.json"], /^Missing --html <path>/);
  await rejectsWith(
    ["a.json", "--pdf", "x"],
    /Unknown option '--pdf'.*\(see rampa report --help\)/,
  );
});

Deno.test("report fails with exit 9 when the HTML cannot be written", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/s.json`, JSON.stringify(summary));
    await assert.rejects(
      () => reportCommand([`${dir}/s.json`, "--html", `${dir}/missing/out.html`]),
      (e) => e instanceof RampaError && e.exitCode === ExitCode.OUTPUT_FAILED,
    );
  });
});

Deno.test("report --help describes the command", async () => {
  assert.match(REPORT_USAGE, /^Usage: rampa report <summary\.json> --html <out\.html>/);
  const log = console.log;
  console.log = () => {};
  try {
    assert.equal(await reportCommand(["--help"]), ExitCode.OK);
  } finally {
    console.log = log;
  }
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
