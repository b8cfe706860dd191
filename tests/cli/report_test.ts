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

Deno.test("report --out html=path turns a saved summary into an HTML report", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/s.json`, JSON.stringify(summary, null, 2));
    const code = await quietly(() =>
      reportCommand([`${dir}/s.json`, "--out", `html=${dir}/out.html`])
    );
    assert.equal(code, ExitCode.OK);
    const html = await Deno.readTextFile(`${dir}/out.html`);
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /FAILED: 2 of 4 thresholds failed/);
  });
});

Deno.test("report --html path still works, the same as --out html=path", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/s.json`, JSON.stringify(summary));
    const code = await quietly(() => reportCommand([`${dir}/s.json`, "--html", `${dir}/a.html`]));
    assert.equal(code, ExitCode.OK);
    assert.match(await Deno.readTextFile(`${dir}/a.html`), /FAILED: 2 of 4 thresholds failed/);
  });
});

Deno.test("report writes every --out the registry can make from a summary", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/s.json`, JSON.stringify(summary));
    const { code, err } = await capturedErr(() =>
      reportCommand([
        `${dir}/s.json`,
        "--out",
        `junit=${dir}/j.xml`,
        "--out",
        `console=${dir}/summary.txt?quiet=true`,
        "--out",
        `json=${dir}/copy.json`,
        "--out",
        `html=${dir}/r.html`,
      ])
    );
    assert.equal(code, ExitCode.OK);
    assert.match(await Deno.readTextFile(`${dir}/j.xml`), /<testsuites name="rampa"/);
    assert.match(await Deno.readTextFile(`${dir}/summary.txt`), /^✗ FAILED: 2 of 4 thresholds/);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/copy.json`)), summary);
    assert.match(await Deno.readTextFile(`${dir}/r.html`), /^<!doctype html>/);
    assert.equal(
      err,
      [
        `junit (${dir}/j.xml)`,
        `console (${dir}/summary.txt)`,
        `json (${dir}/copy.json)`,
        `html (${dir}/r.html)`,
      ]
        .map((d) => `Wrote ${d}\n`).join(""),
    );
  });
});

Deno.test("report checks --out like run: unknown outputs and options, csv refused", async () => {
  await rejectsWith(
    ["a.json", "--out", "htlm=r.html"],
    /^Unknown output "htlm" .*\(did you mean html\?\)/,
  );
  await rejectsWith(
    ["a.json", "--out", "html=r.html?dark=1"],
    /^Unknown option "dark" .*html takes no options$/,
  );
  await rejectsWith(
    ["a.json", "--out", "csv=c.csv"],
    /^Output "csv" .*cannot be written from a saved summary/,
  );
  await rejectsWith(["a.json", "--out", "junit"], /^Missing target in --out "junit"/);
});

Deno.test("report rejects a file that is not JSON, naming the file", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
    await rejectsWith(
      [`${dir}/bad.json`, "--out", `html=${dir}/o.html`],
      /^Cannot parse summary ".*bad\.json": /,
    );
  });
});

Deno.test("report rejects a missing file, naming it", async () => {
  await withDir(async (dir) => {
    await rejectsWith(
      [`${dir}/nope.json`, "--out", `html=${dir}/o.html`],
      /^Cannot read summary ".*nope\.json": /,
    );
  });
});

Deno.test("report rejects a file that is not a rampa summary", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/other.json`, JSON.stringify({ hello: "world" }));
    await rejectsWith(
      [`${dir}/other.json`, "--out", `html=${dir}/o.html`],
      /^Invalid summary ".*other\.json": schema is null, expected "rampa\.summary"$/,
    );
  });
});

Deno.test("report rejects another schema version", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/v2.json`, JSON.stringify({ ...summary, schemaVersion: 2 }));
    await rejectsWith(
      [`${dir}/v2.json`, "--out", `html=${dir}/o.html`],
      /^Invalid summary ".*v2\.json": schemaVersion is 2, this rampa reads version 1$/,
    );
  });
});

Deno.test("report names the first place where a summary breaks the schema", async () => {
  await withDir(async (dir) => {
    const broken = { ...summary, scenarios: [{ ...summary.scenarios[0], plan: "fast" }] };
    await Deno.writeTextFile(`${dir}/broken.json`, JSON.stringify(broken));
    await rejectsWith(
      [`${dir}/broken.json`, "--out", `html=${dir}/o.html`],
      /^Invalid summary ".*broken\.json": at scenarios\[0\]\.plan: .*array/i,
    );
    assert.ok(!(await exists(`${dir}/o.html`)), "nothing is written");
  });
});

Deno.test("report needs exactly one summary file and an --out", async () => {
  await rejectsWith(["--out", "html=o.html"], /^Missing summary file/);
  await rejectsWith(
    ["a.json", "b.json", "--out", "html=o.html"],
    /^Expected one summary file, got 2/,
  );
  await rejectsWith(
    ["a.json"],
    /^Missing --out: say what to write, e\.g\. --out html=report\.html/,
  );
  await rejectsWith(
    ["a.json", "--pdf", "x"],
    /Unknown option '--pdf'.*\(see rampa report --help\)/,
  );
});

Deno.test("report fails with exit 9 when the HTML cannot be written", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/s.json`, JSON.stringify(summary));
    await assert.rejects(
      () => reportCommand([`${dir}/s.json`, "--out", `html=${dir}/missing/out.html`]),
      (e) => e instanceof RampaError && e.exitCode === ExitCode.OUTPUT_FAILED,
    );
  });
});

Deno.test("report --help describes the command", async () => {
  assert.match(REPORT_USAGE, /^Usage: rampa report <summary\.json> --out <name=path>…/);
  assert.match(REPORT_USAGE, /^ {2}--html <path> +The same as --out html=<path>/m);
  assert.match(REPORT_USAGE, /^ {2}html=path {12}a self-contained HTML report/m);
  assert.ok(!REPORT_USAGE.includes("csv=path"), "csv needs a live run");
  const log = console.log;
  console.log = () => {};
  try {
    assert.equal(await reportCommand(["--help"]), ExitCode.OK);
  } finally {
    console.log = log;
  }
});

/** Runs `fn` with console.error captured. */
async function capturedErr(fn: () => Promise<number>): Promise<{ code: number; err: string }> {
  const error = console.error;
  let err = "";
  console.error = (...a: unknown[]) => void (err += a.join(" ") + "\n");
  try {
    return { code: await fn(), err };
  } finally {
    console.error = error;
  }
}

/** Runs `fn` with console.error silenced. */
async function quietly(fn: () => Promise<number>): Promise<number> {
  return (await capturedErr(fn)).code;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
