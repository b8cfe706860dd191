import assert from "node:assert/strict";
import { startTarget } from "../../../target/mod.ts";
import { count, readSummary, runCli } from "../../e2e/_cli.ts";
import { freePort, missing, startInfluxdb, startPrometheus } from "../_servers.ts";

const skip = missing("prometheus", "prometheus") ?? missing("influxd", "influxdb");
if (skip) console.warn(`skipping the streaming run test: ${skip}`);

Deno.test({
  name: "a real run streams to Prometheus and InfluxDB; a dead sink changes nothing",
  ignore: skip !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const target = startTarget({ quiet: true, latencyMs: 2 });
    const prom = await startPrometheus();
    const influx = await startInfluxdb();
    try {
      await fetch(`${influx.url}/query?q=CREATE+DATABASE+rampa`, { method: "POST" })
        .then((r) => r.body?.cancel());
      const dead = `http://127.0.0.1:${freePort()}`;
      const dir = await Deno.makeTempDir();
      const r = await runCli([
        "run",
        `${target.url}/api/items`,
        "--rate",
        "200/s",
        "-d",
        "3s",
        "--out",
        `prometheus=${prom.url}/api/v1/write?interval=1s&testid=run1&required=true`,
        "--out",
        `influxdb=${influx.url}/rampa?interval=1s&testid=run1&required=true`,
        "--out",
        `prometheus=http://user:hunter22@${dead.slice(7)}/api/v1/write?interval=1s`,
      ], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!(r.stdout + r.stderr).includes("hunter22"));
      const warned = r.stderr.split("\n").filter((l) => l.includes("failing"));
      assert.equal(warned.length, 1, r.stderr);
      const s = await readSummary(`${dir}/rampa-summary.json`);
      const reqs = count(s, "http_reqs");
      assert.equal(s.load.started, 600);
      assert.equal(reqs, 600);
      const q = encodeURIComponent('sum(rampa_http_reqs_total{testid="run1"})');
      const pr = await (await fetch(`${prom.url}/api/v1/query?query=${q}`)).json();
      assert.equal(Number(pr.data.result[0].value[1]), reqs);
      const iq = new URLSearchParams({
        db: "rampa",
        q: `SELECT sum("value") FROM "http_reqs" WHERE testid='run1'`,
      });
      const ir = await (await fetch(`${influx.url}/query?${iq}`)).json();
      assert.equal(ir.results[0].series[0].values[0][1], reqs);
      console.log(`real run: ${reqs} requests; Prometheus and InfluxDB both report ${reqs}`);

      // The same dead sink, required: the run's exit code is 9.
      const r2 = await runCli([
        "run",
        `${target.url}/api/items`,
        "--rate",
        "50/s",
        "-d",
        "1s",
        "--out",
        `prometheus=${dead}/api/v1/write?interval=1s&required=true`,
      ], dir);
      assert.equal(r2.code, 9, r2.stdout + r2.stderr);
    } finally {
      await prom.stop();
      await influx.stop();
      await target.close();
    }
  },
});
