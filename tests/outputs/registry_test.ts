import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { createOutputFromFlag, OUTPUTS } from "../../outputs/registry.ts";
import { ConfigError } from "../../core/errors.ts";
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

Deno.test("--out accepts csv and junit besides json", () => {
  for (const name of ["csv", "json", "junit"]) assert.ok(name in OUTPUTS, name);
  assert.equal(createOutputFromFlag("csv=a.csv").describe(), "csv (a.csv)");
  assert.equal(createOutputFromFlag("csv=a.csv?interval=5s").describe(), "csv (a.csv, every 5s)");
  assert.equal(createOutputFromFlag("junit=j.xml").describe(), "junit (j.xml)");
  assert.throws(() => createOutputFromFlag("xml=a.xml"), /expected one of .*csv.*junit/);
  assert.throws(() => createOutputFromFlag("junit="), ConfigError);
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
