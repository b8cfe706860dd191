import assert from "node:assert/strict";
import { createJunitOutput, renderJunit } from "../../../outputs/junit/mod.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import { SummarySchema } from "../../../core/summary/schema.ts";
import { ExitCode, RampaError } from "../../../core/errors.ts";
import { fixtureSummary, recordRun } from "../console/_fixture.ts";
import { findAll, parseXml, type XmlElement } from "./_xml.ts";

const NASTY = `body has <id> & "total" 'ok'\u0001`;

/** The golden fixture plus the cases that exercise every branch of the report. */
function richSummary(): Summary {
  const s = fixtureSummary(recordRun());
  const check = (scenario: string, name: string) => ({
    metric: "checks",
    tags: { scenario, check: name },
    value: 10,
    count: 12,
    sum: 0,
    min: null,
    max: null,
  });
  return {
    ...s,
    thresholds: [
      ...s.thresholds,
      {
        metric: "http_req_duration",
        key: 'http_req_duration{name:"/a, <b>"}',
        expression: "p(99)<100",
        observed: null,
        passed: false,
        abortOnFail: false,
        status: "no-data",
        reason: "no data",
      },
      {
        metric: "iteration_duration",
        expression: "avg<1000",
        observed: null,
        passed: true,
        abortOnFail: false,
        status: "ignored",
        reason: "no data (noData: ignore)",
      },
    ],
    checks: [
      ...s.checks,
      { name: NASTY, passes: 20, fails: 4, reasons: [{ reason: "returned false", count: 4 }] },
    ],
    snapshot: {
      ...s.snapshot,
      series: [
        ...s.snapshot.series,
        check("checkout", "status is 2xx"),
        check("checkout", NASTY),
        check("browse", NASTY),
      ],
    },
  };
}

const summary = richSummary();
const doc = parseXml(renderJunit(summary));
const suites = findAll(doc, "testsuite");
const cases = (suite: XmlElement) => findAll(suite, "testcase");

Deno.test("junit fixture summary is a valid summary", () => {
  SummarySchema.parse(summary);
});

Deno.test("junit report is well-formed with a thresholds and a checks suite", () => {
  assert.equal(doc.name, "testsuites");
  assert.deepEqual(suites.map((s) => s.attrs.name), ["thresholds", "checks"]);
  assert.deepEqual(
    { tests: doc.attrs.tests, failures: doc.attrs.failures, skipped: doc.attrs.skipped },
    { tests: "7", failures: "4", skipped: "1" },
  );
  assert.equal(doc.attrs.time, "30.012");
});

Deno.test("junit has one case per threshold, named metric and expression", () => {
  const t = cases(suites[0]);
  assert.equal(t.length, summary.thresholds.length);
  assert.deepEqual(t.map((c) => c.attrs.name), [
    "http_req_duration p(95)<200",
    "http_req_failed rate<0.01",
    'http_req_duration{name:"/a, <b>"} p(99)<100',
    "iteration_duration avg<1000",
  ]);
  assert.ok(t.every((c) => c.attrs.classname === "rampa.thresholds"));
  assert.deepEqual(
    [suites[0].attrs.tests, suites[0].attrs.failures, suites[0].attrs.skipped],
    ["4", "2", "1"],
  );
});

Deno.test("junit failures say what was observed; ignored thresholds are skipped", () => {
  const [passed, failed, noData, ignored] = cases(suites[0]);
  assert.equal(passed.children.length, 0);
  const f = failed.children[0];
  assert.equal(f.name, "failure");
  assert.match(f.attrs.message, /^http_req_failed rate<0\.01 failed: observed 0\.0\d+/);
  assert.match(f.text, /^observed 0\.0\d+ \(\d\.\d+%\)$/);
  assert.equal(noData.children[0].name, "failure");
  assert.equal(noData.children[0].text, "observed no data");
  assert.equal(ignored.children[0].name, "skipped");
  assert.equal(ignored.children[0].attrs.message, "no data (noData: ignore)");
});

Deno.test("junit has one case per check, classed by its scenario or all", () => {
  const c = cases(suites[1]);
  assert.equal(c.length, summary.checks.length);
  assert.deepEqual(c.map((x) => x.attrs.classname), [
    "rampa.checks.checkout",
    "rampa.checks.all",
    "rampa.checks.all",
  ]);
  const failed = c[0].children[0];
  assert.equal(failed.attrs.message, "201 of 14961 failed (1.34%)");
  assert.match(failed.text, /^observed 201 failures in 14961 checks/);
  assert.equal(c[1].children.length, 0);
  assert.deepEqual(
    [suites[1].attrs.tests, suites[1].attrs.failures, suites[1].attrs.skipped],
    ["3", "2", "0"],
  );
});

Deno.test("junit escapes markup and replaces characters XML cannot hold", () => {
  const nasty = cases(suites[1])[2];
  assert.equal(nasty.attrs.name, NASTY.replace("\u0001", "\uFFFD"));
  assert.equal(
    nasty.children[0].text,
    "observed 4 failures in 24 checks (16.7%)\n4 × returned false",
  );
});

Deno.test("junit output writes the report at stop and fails with exit 9 on a bad path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = createJunitOutput(`${dir}/junit.xml`);
    assert.equal(out.describe(), `junit (${dir}/junit.xml)`);
    await out.start({ startedAt: new Date(), plannedDurationMs: 0, scenarios: [] });
    await out.stop(summary);
    assert.equal(await Deno.readTextFile(`${dir}/junit.xml`), renderJunit(summary));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const bad = createJunitOutput("/nonexistent-dir-for-rampa/junit.xml");
  await assert.rejects(
    async () => await bad.start({ startedAt: new Date(), plannedDurationMs: 0, scenarios: [] }),
    (e: unknown) => e instanceof RampaError && e.exitCode === ExitCode.OUTPUT_FAILED,
  );
});

Deno.test("the test xml reader rejects malformed documents", () => {
  for (
    const bad of ["<a><b></a>", "<a x='1' x='2'/>", "<a>&nope;</a>", "<a>1 < 2</a>", "<a/><b/>"]
  ) {
    assert.throws(() => parseXml(bad), Error, bad);
  }
});
