/**
 * What a fleet coordinator costs: one `rampa coordinator --expect 16` process fed by 16
 * simulated hosts, each posting one realistic delta per second (the HTTP family on 20
 * endpoints, with histograms, like a busy host's tick), for `--seconds`. Reports the
 * coordinator's CPU (share of one core, from /proc) and peak RSS. Not a test; run by hand:
 *
 * ```sh
 * deno run -A bench/coordinator.ts [--hosts 16] [--seconds 20]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { CORE_METRICS } from "../core/metrics/builtin.ts";
import { addCounter, addRate, addTrend, MetricRegistry } from "../core/metrics/registry.ts";
import { encodeSnapshot } from "../core/metrics/snapshot.ts";
import { HTTP_METRICS } from "../engines/http/metrics.ts";
import { freePort } from "../tools/testing/nginx.ts";
import { RAMPA_RUN_FLAGS } from "../tools/rampa_task.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { hosts: { type: "string", default: "16" }, seconds: { type: "string", default: "20" } },
});
const hosts = Number(values.hosts);
const seconds = Number(values.seconds);
const port = freePort();
const token = "bench-token-0123456789abcdef";
const root = new URL("../", import.meta.url).pathname;

/** One second of a busy host: 2,000 requests over 20 endpoints. */
function delta() {
  const reg = new MetricRegistry();
  for (const d of [...CORE_METRICS, ...HTTP_METRICS]) reg.define(d);
  for (let e = 0; e < 20; e++) {
    const tags = { scenario: "default", name: `/api/e${e}`, method: "GET", status: "200" };
    const reqs = reg.series("http_reqs", tags);
    const failed = reg.series("http_req_failed", tags);
    const dur = reg.series("http_req_duration", tags);
    const wait = reg.series("http_req_waiting", tags);
    for (let i = 0; i < 100; i++) {
      addCounter(reqs, 1);
      addRate(failed, false);
      addTrend(dur, 1 + Math.random() * 20);
      addTrend(wait, 0.5 + Math.random() * 10);
    }
  }
  return encodeSnapshot(reg.drain());
}

const coord = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    ...RAMPA_RUN_FLAGS,
    `${root}cli/main.ts`,
    "coordinator",
    "--expect",
    String(hosts),
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--start-delay",
    "1s",
    "--no-summary",
    "-q",
  ],
  env: { RAMPA_FLEET_TOKEN: token, NO_COLOR: "1" },
  stdout: "null",
  stderr: "null",
}).spawn();
const url = `http://127.0.0.1:${port}`;
const post = async (path: string, body: unknown) => {
  const r = await fetch(url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return await r.json();
};

for (let i = 0; i < 50; i++) {
  try {
    await fetch(url, { method: "POST" }).then((r) => r.body?.cancel());
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}
const joined = await Promise.all(
  Array.from(
    { length: hosts },
    (_, i) => post("/join", { host: `h${i}`, segment: null, version: "bench" }),
  ),
);
const info = {
  plannedDurationMs: seconds * 1000,
  scenarios: [{ name: "default", executor: "constant-arrival-rate" }],
};
await Promise.all(joined.map((j) => post("/ready", { hostId: j.hostId, info, thresholds: {} })));
const stat = () => {
  const f = Deno.readTextFileSync(`/proc/${coord.pid}/stat`).split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};
const rssKb = () =>
  Number(/VmHWM:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${coord.pid}/status`))?.[1] ?? 0);
const payload = delta();
const cpu0 = stat();
const t0 = performance.now();
for (let s = 0; s < seconds; s++) {
  const tick = performance.now();
  await Promise.all(
    joined.map((j, i) => post("/delta", { hostId: j.hostId, seq: s, delta: payload, lagP99Ms: i })),
  );
  await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - tick))));
}
const cpu = (stat() - cpu0) / ((performance.now() - t0) / 1000);
const rss = rssKb();
coord.kill("SIGKILL");
await coord.status;
console.log(
  `coordinator, ${hosts} hosts × 1 delta/s (20 endpoints, 2,000 requests each) for ${seconds} s: ` +
    `CPU ${(cpu * 100).toFixed(1)}% of a core, peak RSS ${(rss / 1024).toFixed(0)} MiB, ` +
    `delta ${(JSON.stringify(payload).length / 1024).toFixed(0)} KiB`,
);
