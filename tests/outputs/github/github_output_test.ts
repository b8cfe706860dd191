import assert from "node:assert/strict";
import {
  createGithubSummaryOutput,
  escapeCommandData,
  escapeCommandProperty,
  githubOutputFromEnv,
  renderStepSummary,
  thresholdAnnotations,
} from "../../../outputs/github/mod.ts";
import { mdCode, mdText } from "../../../outputs/github/step_summary.ts";
import type { RunInfo } from "../../../core/run/output.ts";
import type { Summary } from "../../../core/summary/schema.ts";
import { ExitCode, RampaError } from "../../../core/errors.ts";
import { builtSummary, fixtureSummary, recordRun } from "../console/_fixture.ts";

const info: RunInfo = { startedAt: new Date(), plannedDurationMs: 30_000, scenarios: [] };
const run = recordRun();
const failed = fixtureSummary(run);
const passed = builtSummary(run);

/** Runs the output against a temp GITHUB_STEP_SUMMARY that already holds an earlier step's text. */
async function runStep(summary: Summary): Promise<{ md: string; lines: string[] }> {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/step_summary.md`;
    await Deno.writeTextFile(path, "earlier step\n");
    const lines: string[] = [];
    const out = githubOutputFromEnv({ GITHUB_STEP_SUMMARY: path }, {
      write: (l) => lines.push(l),
    });
    assert.ok(out);
    await out.start(info);
    out.push(run.ticks[0]);
    await out.stop(summary);
    return { md: await Deno.readTextFile(path), lines };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("github output exists only when GITHUB_STEP_SUMMARY is set", () => {
  assert.equal(githubOutputFromEnv({}), null);
  assert.equal(githubOutputFromEnv({ GITHUB_STEP_SUMMARY: "" }), null);
  assert.equal(githubOutputFromEnv({ get: () => undefined }), null);
  const out = githubOutputFromEnv({ get: (k) => k === "GITHUB_STEP_SUMMARY" ? "/s.md" : "" });
  assert.equal(out?.describe(), "github step summary (/s.md)");
});

Deno.test("github step summary is appended after earlier steps' text", async () => {
  const { md } = await runStep(failed);
  assert.ok(md.startsWith("earlier step\n### ❌ rampa: FAILED: 1 of 2 thresholds failed"));
});

Deno.test("github step summary tables thresholds, endpoints, checks and load", async () => {
  const { md } = await runStep(failed);
  assert.match(md, /^\| ✓ \| `http_req_duration p\(95\)<200` \| \d+(\.\d+)?ms \|$/m);
  assert.match(md, /^\| ✗ \| `http_req_failed rate<0\.01` \| 1\.5% \|$/m);
  assert.match(md, /^\| method \| name \| requests \| failed \| p50 \| p95 \| p99 \|$/m);
  assert.match(md, /^\| GET \| `\/api\/users\/\{id\}` \| 8,961 \| 2\.2% \| [\d.]+ms \|/m);
  assert.match(md, /^\| ✗ \| status is 2xx \| 98\.7% \| 14,760 \| 201 \|$/m);
  assert.match(
    md,
    /^\| 500\.0\/s \| 498\.7\/s \| 498\.5\/s \| 14,961 \| 39 \(0\.26%\) \| 2 \| ✗ \|$/m,
  );
  assert.match(md, /^> The planned load was not delivered/m);
});

Deno.test("github failed thresholds become ::error annotations on stdout", async () => {
  const { lines } = await runStep(failed);
  assert.deepEqual(lines, [
    "::error title=rampa threshold::http_req_failed rate<0.01 failed: observed 1.5%25",
  ]);
});

Deno.test("github passing run gets a check mark and no annotations", async () => {
  const { md, lines } = await runStep(passed);
  assert.match(md, /^### ✅ rampa: PASSED/m);
  assert.match(md, /No thresholds were set\./);
  assert.deepEqual(lines, []);
});

Deno.test("github ignored thresholds are neither failed nor annotated", () => {
  const s: Summary = {
    ...passed,
    thresholds: [{
      metric: "iteration_duration",
      expression: "avg<1000",
      observed: null,
      passed: true,
      abortOnFail: false,
      status: "ignored",
      reason: "no data (noData: ignore)",
    }],
  };
  assert.match(renderStepSummary(s), /^\| – \| `iteration_duration avg<1000` \| no data \|$/m);
  assert.deepEqual(thresholdAnnotations(s), []);
});

Deno.test("github markdown and workflow commands escape what would break them", () => {
  assert.equal(mdText("a|b <i>*x*</i>\nc"), "a\\|b \\<i\\>\\*x\\*\\</i\\> c");
  assert.equal(mdCode("p|q"), "`p\\|q`");
  assert.equal(mdCode("a`b"), "``a`b``");
  assert.equal(escapeCommandData("50% done\r\nnext"), "50%25 done%0D%0Anext");
  assert.equal(escapeCommandProperty("a:b,c"), "a%3Ab%2Cc");
  const s: Summary = {
    ...failed,
    thresholds: [{ ...failed.thresholds[1], reason: "line one\nline two" }],
  };
  const [line] = thresholdAnnotations(s);
  assert.ok(!line.includes("\n"));
  assert.match(line, /\(line one%0Aline two\)$/);
});

Deno.test("github output fails with exit 9 when the summary file cannot be written", async () => {
  const out = createGithubSummaryOutput("/nonexistent-dir-for-rampa/summary.md");
  await assert.rejects(
    async () => await out.start(info),
    (e: unknown) => e instanceof RampaError && e.exitCode === ExitCode.OUTPUT_FAILED,
  );
});
