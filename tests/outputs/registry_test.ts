import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import {
  createOutput,
  createOutputFromFlag,
  type OutputContext,
  outputNames,
  OUTPUTS,
  outputsHelp,
  parseOutputSpec,
} from "../../outputs/registry.ts";
import { createRunOutputs, createSummaryOutputs, deliverSummary } from "../../outputs/standard.ts";
import { renderSummary } from "../../outputs/console/mod.ts";
import { fixtureSummary, recordRun } from "./console/_fixture.ts";
import { ConfigError, ExitCode } from "../../core/errors.ts";
import { MetricRegistry } from "../../core/metrics/registry.ts";
import { HttpRecorder } from "../../engines/http/recorder.ts";
import { EvidenceLog } from "../../core/run/evidence.ts";
import { Collector } from "../../core/run/collector.ts";
import { HTTP_FAMILIES } from "../_support/recorded_run.ts";
import { createConstantVusExecutor } from "../../core/executors/constant_vus.ts";
import { planOf, runInfo, runScenarios, type ScenarioRun } from "../../core/run/runner.ts";
import { buildSummary } from "../../core/summary/build.ts";
import { SummarySchema } from "../../core/summary/schema.ts";
import { WHOLE_RUN } from "../../core/types.ts";
import { createEvidence } from "../../core/run/evidence.ts";
import { createOutcome } from "../../engines/http/types.ts";
import { findAll, parseXml } from "./junit/_xml.ts";
import { rampSummary } from "./html/_fixture.ts";

/**
 * A real (if short) run through the runner: 3 VUs for 1.2 s, each iteration a 5 ms "request"
 * recorded by the HTTP recorder, with 200 ms ticks so outputs see several recycled deltas.
 */
function fakeHttpScenario(reg: MetricRegistry): ScenarioRun {
  const rec = new HttpRecorder(reg, new EvidenceLog(), { scenario: "fake" });
  const ok = rec.endpoint({ name: "/items, all", method: "GET" });
  const o = createOutcome();
  let n = 0;
  return {
    name: "fake",
    startTimeMs: 0,
    executor: createConstantVusExecutor({ vus: 3, durationMs: 1200, gracefulStopMs: 500 }),
    async iterate(_vu, scheduled): Promise<void> {
      await new Promise((r) => setTimeout(r, 5));
      o.scheduled = scheduled;
      o.started = scheduled;
      o.ended = performance.now();
      o.status = ++n % 10 === 0 ? 503 : 200;
      rec.record(ok, o);
    },
  };
}

/** A context whose writes are captured and whose environment is `env`. */
function context(env: Record<string, string> = {}): OutputContext & { written: string[] } {
  const written: string[] = [];
  return {
    color: false,
    quiet: false,
    tty: false,
    targetRate: null,
    env: { get: (k) => env[k] },
    write: (s) => void written.push(s),
    writeErr: (s) => void written.push(s),
    written,
  };
}

/** The issues of the ConfigError `fn` throws. */
function issuesOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.issues;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("an output spec splits into name, target and options", () => {
  const cases: [string, string, string, Record<string, string>][] = [
    ["csv=f.csv?interval=5s", "csv", "f.csv", { interval: "5s" }],
    ["json=out/summary.json", "json", "out/summary.json", {}],
    ["json=a=b.json", "json", "a=b.json", {}],
    ["html=what?.html", "html", "what?.html", {}],
    ["console?quiet=true&color=false", "console", "", { quiet: "true", color: "false" }],
    ["console=summary.txt?quiet=true", "console", "summary.txt", { quiet: "true" }],
    ["github", "github", "", {}],
  ];
  for (const [text, name, target, options] of cases) {
    assert.deepEqual(parseOutputSpec(text), { name, target, options }, text);
  }
});

Deno.test("an unknown output lists the known ones and suggests a near miss", () => {
  const known =
    "console, json, csv, html, junit, github, prometheus, influxdb, otlp, statsd, datadog, webhook";
  assert.deepEqual(issuesOf(() => parseOutputSpec("jsno=a.json")), [
    `Unknown output "jsno" in --out "jsno=a.json" (did you mean json?): expected one of ${known}, as name=target`,
  ]);
  assert.deepEqual(issuesOf(() => parseOutputSpec("xml=a.xml")), [
    `Unknown output "xml" in --out "xml=a.xml": expected one of ${known}, as name=target`,
  ]);
  assert.match(issuesOf(() => parseOutputSpec("=a.json"))[0], /^Missing output name in --out/);
  // Only names of the map itself, not of Object.prototype.
  assert.match(issuesOf(() => parseOutputSpec("constructor=x"))[0], /^Unknown output/);
});

Deno.test("a missing target is an error where the output needs one", () => {
  assert.deepEqual(issuesOf(() => parseOutputSpec("junit=")), [
    'Missing target in --out "junit": expected junit=path, e.g. junit=junit.xml',
  ]);
  assert.match(issuesOf(() => parseOutputSpec("csv?interval=5s"))[0], /^Missing target in --out/);
  // console and github have defaults; github's is $GITHUB_STEP_SUMMARY, which must be set.
  assert.equal(createOutput("console", context()).describe(), "console");
  assert.equal(
    createOutput("github", context({ GITHUB_STEP_SUMMARY: "/s.md" })).describe(),
    "github step summary (/s.md)",
  );
  assert.deepEqual(issuesOf(() => createOutput("github", context())), [
    'Missing target in --out "github": GITHUB_STEP_SUMMARY is not set, expected github=path',
  ]);
});

Deno.test("an unknown option is an error naming what the output takes", () => {
  assert.deepEqual(issuesOf(() => parseOutputSpec("csv=f.csv?intervall=5s")), [
    'Unknown option "intervall" in --out "csv=f.csv?intervall=5s" (did you mean interval?): ' +
    "csv takes interval",
  ]);
  assert.deepEqual(issuesOf(() => parseOutputSpec("json=a.json?pretty=1&indent=2")), [
    'Unknown option "pretty" in --out "json=a.json?pretty=1&indent=2": json takes no options',
    'Unknown option "indent" in --out "json=a.json?pretty=1&indent=2": json takes no options',
  ]);
  assert.match(
    issuesOf(() => parseOutputSpec("csv=f.csv?interval=1s&interval=2s"))[0],
    /^Option "interval" is given twice/,
  );
  assert.match(issuesOf(() => parseOutputSpec("csv=f.csv?interval=1s&x"))[0], /^Cannot parse/);
  // Values are checked when the output is made.
  assert.match(issuesOf(() => createOutput("csv=f.csv?interval=5x", context()))[0], /5x/);
  assert.deepEqual(issuesOf(() => createOutput("console?quiet=maybe", context())), [
    'Invalid value "maybe" for option quiet in --out "console?quiet=maybe": expected true or false',
  ]);
  // A hand-made spec is checked the same way.
  assert.match(
    issuesOf(() => createOutput({ name: "html", target: "", options: {} }, context()))[0],
    /^Missing target in --out "html"/,
  );
});

Deno.test("every registered output can be made from its example", () => {
  assert.deepEqual(outputNames(), [
    "console",
    "json",
    "csv",
    "html",
    "junit",
    "github",
    "prometheus",
    "influxdb",
    "otlp",
    "statsd",
    "datadog",
    "webhook",
  ]);
  const ctx = context({ GITHUB_STEP_SUMMARY: "/s.md" });
  for (const name of outputNames()) {
    const entry = OUTPUTS[name];
    assert.equal(entry.name, name);
    assert.ok(entry.summary && !entry.summary.includes("\n"), name);
    assert.equal(parseOutputSpec(entry.example).name, name);
    assert.match(createOutput(entry.example, ctx).describe(), new RegExp(`^${name}`));
    if (entry.needsTarget) assert.throws(() => parseOutputSpec(name), ConfigError);
  }
  assert.equal(createOutputFromFlag("csv=a.csv?interval=5s").describe(), "csv (a.csv, every 5s)");
  assert.equal(createOutputFromFlag("junit=j.xml").describe(), "junit (j.xml)");
});

Deno.test("run outputs: console, json summary, each --out, then github from the environment", () => {
  const describe = (outs: string[], summaryPath: string | null, env = {}) =>
    createRunOutputs({ outs, summaryPath, ctx: context(env) }).map((o) => o.describe());
  assert.deepEqual(
    describe(["junit=j.xml", "csv=c.csv"], "s.json", { GITHUB_STEP_SUMMARY: "/gh.md" }),
    ["console", "json (s.json)", "junit (j.xml)", "csv (c.csv)", "github step summary (/gh.md)"],
  );
  assert.deepEqual(describe(["junit=j.xml"], null), ["console", "junit (j.xml)"]);
  // Not twice: an --out github, with or without a path, replaces the automatic one.
  const gh = { GITHUB_STEP_SUMMARY: "/gh.md" };
  assert.deepEqual(describe(["github"], null, gh), ["console", "github step summary (/gh.md)"]);
  assert.deepEqual(describe(["github=o.md", "json=x.json"], null, gh), [
    "console",
    "github step summary (o.md)",
    "json (x.json)",
  ]);
  // A path-less --out console configures the default console; with a path it is a file.
  assert.deepEqual(describe(["json=x.json", "console?quiet=true"], null), [
    "console",
    "json (x.json)",
  ]);
  assert.deepEqual(describe(["console=summary.txt"], null), ["console", "console (summary.txt)"]);
});

Deno.test("run outputs gather every --out problem into one ConfigError", () => {
  const issues = issuesOf(() =>
    createRunOutputs({
      outs: ["jsno=a.json", "csv=c.csv?every=1s", "csv=c.csv?interval=0", "console", "console"],
      summaryPath: "s.json",
      ctx: context(),
    })
  );
  assert.equal(issues.length, 4, issues.join("\n"));
  assert.match(issues[0], /^Unknown output "jsno".*did you mean json/);
  assert.match(issues[1], /^Unknown option "every"/);
  assert.match(issues[2], /^--out console without a path is given 2 times/);
  assert.match(issues[3], /^Invalid CSV interval "0"/);
});

Deno.test("console?quiet=true prints only the verdict; github?annotations=false no ::error", async () => {
  const summary = rampSummary();
  const dir = await Deno.makeTempDir({ prefix: "rampa-registry-" });
  try {
    const gh = { GITHUB_STEP_SUMMARY: `${dir}/gh.md` };
    const loud = context(gh);
    assert.deepEqual(
      await deliverSummary(createRunOutputs({ outs: [], summaryPath: null, ctx: loud }), summary),
      [],
    );
    assert.ok(loud.written.join("").includes("thresholds"));
    assert.ok(loud.written.some((l) => l.startsWith("::error title=rampa threshold::")));

    const quiet = context(gh);
    const outs = ["console?quiet=true", "github?annotations=false"];
    const outputs = createRunOutputs({ outs, summaryPath: null, ctx: quiet });
    assert.deepEqual(await deliverSummary(outputs, summary), []);
    assert.equal(quiet.written.length, 1);
    assert.match(quiet.written[0], /^✗ FAILED: 2 of 4 thresholds failed/);
    assert.ok(!quiet.written[0].includes("\n\n"), "the verdict line only");
    assert.match(await Deno.readTextFile(`${dir}/gh.md`), /rampa: FAILED/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("outputs from a saved summary: files written, csv refused, failures returned", async () => {
  const summary = rampSummary();
  const dir = await Deno.makeTempDir({ prefix: "rampa-registry-" });
  try {
    const outs = [
      `console=${dir}/summary.txt`,
      `json=${dir}/missing/s.json`,
      `junit=${dir}/j.xml`,
      `html=${dir}/r.html`,
    ];
    const outputs = createSummaryOutputs({ outs, ctx: context() });
    assert.deepEqual(outputs.map((o) => o.describe().split(" ")[0]), [
      "console",
      "json",
      "junit",
      "html",
    ]);
    const failures = await deliverSummary(outputs, summary);
    assert.equal(failures.length, 1);
    assert.equal(failures[0].exitCode, ExitCode.OUTPUT_FAILED);
    assert.match(failures[0].message, /missing\/s\.json/);
    assert.equal(
      await Deno.readTextFile(`${dir}/summary.txt`),
      renderSummary(summary, { color: false }),
    );
    assert.match(await Deno.readTextFile(`${dir}/j.xml`), /<testsuites/);
    assert.match(await Deno.readTextFile(`${dir}/r.html`), /^<!doctype html>/);

    assert.deepEqual(
      issuesOf(() => createSummaryOutputs({ outs: ["csv=c.csv"], ctx: context() })),
      [
        'Output "csv" in --out "csv=c.csv" cannot be written from a saved summary: it records each ' +
        "interval while the run goes (use it with rampa run)",
      ],
    );
    // Nothing comes from the environment there.
    const gh = context({ GITHUB_STEP_SUMMARY: `${dir}/gh.md` });
    assert.deepEqual(createSummaryOutputs({ outs: [], console: true, ctx: gh }).length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the outputs' help lists every output, its options and an example", () => {
  const help = outputsHelp();
  for (const name of outputNames()) {
    const entry = OUTPUTS[name];
    const t = entry.targetName ?? "path";
    const usage = entry.needsTarget ? `${name}=${t}` : `${name}[=${t}]`;
    assert.match(help, new RegExp(`^  ${usage.replace(/[[\]]/g, "\\$&")} +\\S`, "m"), name);
    for (const key of Object.keys(entry.options)) assert.ok(help.includes(`?${key}=<`), key);
    assert.ok(help.includes(entry.example), entry.example);
  }
  assert.match(help, /^ {2}json=path {12}the summary .*\(also --summary;/m);
  assert.ok(help.includes("json=- to stdout)"), "stdout is named");
  assert.ok(help.includes("--out 'csv=metrics.csv?interval=5s'"));
  assert.ok(help.includes("--out html=report.html"));
  assert.ok(help.includes("--out junit=junit.xml"));
  assert.ok(help.split("\n").every((l) => l.length <= 92 && l.startsWith("  ")));
  // merge and report: only what a summary can feed, without the notes about rampa run.
  const saved = outputsHelp({ fromSummary: true });
  assert.ok(!saved.includes("csv") && !saved.includes("--summary"));
  assert.match(saved, /^ {2}html=path/m);
});

Deno.test("csv, junit and json outputs combine on one real run and agree", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const outputs = [
      `csv=${dir}/series.csv`,
      `csv=${dir}/coarse.csv?interval=500ms`,
      `junit=${dir}/junit.xml`,
      `json=${dir}/summary.json`,
    ].map(createOutputFromFlag);
    const reg = new MetricRegistry();
    const scenarios = [fakeHttpScenario(reg)];
    const plans = scenarios.map(planOf);
    const collector = new Collector({
      outputs,
      thresholds: [],
      families: HTTP_FAMILIES,
      report: () => {},
      onAbort: () => {},
      tickMs: 200,
    });
    await collector.start(runInfo(plans));
    collector.begin(performance.now());
    const result = await runScenarios({
      scenarios,
      registry: reg,
      onDelta: (d) => collector.add(d),
      tickMs: 200,
    });
    collector.end();
    const evidence = createEvidence();
    for (const sc of result.scenarios) evidence.scenarios[sc.name] = sc.result;
    const summary = buildSummary({
      version: "test",
      result: {
        ...result,
        total: collector.total,
        timeline: collector.timeline.points,
        cpu: 0,
        spin: 0,
      },
      plans,
      evidence,
      segment: WHOLE_RUN,
      config: {},
      thresholds: [{
        metric: "http_req_failed",
        expression: "rate<0.05",
        observed: 0.1,
        passed: false,
        abortOnFail: false,
      }],
    });
    for (const o of outputs) await o.stop(summary);

    const json = SummarySchema.parse(JSON.parse(await Deno.readTextFile(`${dir}/summary.json`)));
    const reqs = json.metrics.http_reqs;
    assert.equal(reqs.type, "counter");
    assert.ok(reqs.count > 50, `only ${reqs.count} requests`);

    for (const file of ["series.csv", "coarse.csv"]) {
      const rows: Record<string, string>[] = parse(await Deno.readTextFile(`${dir}/${file}`), {
        columns: true,
      });
      const of = (m: string) => rows.filter((r) => r.metric === m);
      const sum = (m: string, c: string) => of(m).reduce((a, r) => a + Number(r[c]), 0);
      assert.equal(sum("http_reqs", "count"), reqs.count, file);
      const dur = json.metrics.http_req_duration;
      assert.equal(dur.type, "trend");
      assert.equal(sum("http_req_duration", "count"), dur.count, file);
      const max = Math.max(...of("http_req_duration").map((r) => Number(r.max)));
      assert.ok(Math.abs(max - dur.max) < 0.001, `${file}: max ${max} vs ${dur.max}`);
      assert.ok(of("http_reqs").every((r) => r.tags.includes("name=/items, all")), file);
    }

    const xml = parseXml(await Deno.readTextFile(`${dir}/junit.xml`));
    const cases = findAll(xml, "testcase");
    assert.equal(cases.length, 1);
    assert.equal(cases[0].attrs.name, "http_req_failed rate<0.05");
    assert.equal(findAll(xml, "failure").length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rampa run --help lists every output with an example, and --summary - for stdout", async () => {
  const { runUsage } = await import("../../cli/commands/run_args.ts");
  const help = runUsage();
  for (const name of outputNames()) {
    const example = OUTPUTS[name].example;
    assert.ok(help.includes(`--out ${/[?&*[\]]/.test(example) ? `'${example}'` : example}`), name);
  }
  assert.ok(/--summary <path> .*- or \/dev\/stdout/.test(help), "--summary - is documented");
});

Deno.test("--summary - puts the JSON on stdout and moves every other stdout writer to stderr", async () => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const summary = fixtureSummary(recordRun());
  for (const target of ["-", "/dev/stdout"]) {
    stdout.length = 0;
    stderr.length = 0;
    const outputs = createRunOutputs({
      outs: [],
      summaryPath: target,
      ctx: {
        color: false,
        quiet: false,
        tty: false,
        targetRate: null,
        env: { get: () => undefined },
        write: (t) => stdout.push(t),
        writeErr: (t) => stderr.push(t),
      },
    });
    assert.deepEqual(await deliverSummary(outputs, summary), []);
    assert.equal(stdout.length, 1, target);
    assert.equal(JSON.parse(stdout[0]).schema, "rampa.summary");
    assert.ok(stderr.join("").includes("\ngenerator health\n"), "the text summary went to stderr");
  }
  assert.throws(
    () =>
      createRunOutputs({
        outs: ["json=-"],
        summaryPath: "-",
        ctx: { color: false, quiet: false, tty: false, targetRate: null, env: { get: () => "" } },
      }),
    /stdout once/,
  );
});
