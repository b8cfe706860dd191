/**
 * Requests per CPU-second of the http2 engine against h2load (nghttp2's load generator, Debian
 * `nghttp2-client`), both driving a private nginx speaking HTTP/2 with the same shape: `C`
 * connections carrying `S` concurrent streams in total, closed loop, for `D` seconds a round.
 * Rounds alternate which tool goes first, so drift in machine load hits both; the verdict is
 * the ratio of the medians. Not a test: run it by hand, on a quiet machine.
 *
 *   deno run -A bench/http2_vs_h2load.ts [--seconds=5] [--rounds=5] [--streams=64]
 *     [--connections=1] [--scheme=h2c|h2] [--json]
 *
 * rampa runs in this process (CPU from `process.cpuUsage`, every outcome recorded through
 * HttpRecorder as a run records it, after an uncounted one-second warm-up); h2load runs as a
 * child under bash's `time` (user + system). nginx runs in its own process and is counted by
 * neither.
 *
 * @module
 */

import process from "node:process";
import { EvidenceLog } from "../core/run/evidence.ts";
import { MetricRegistry } from "../core/metrics/registry.ts";
import { HttpRecorder } from "../engines/http/recorder.ts";
import { createOutcome, type PreparedRequest, resetOutcome } from "../engines/http/types.ts";
import { Http2Client } from "../engines/http2/client.ts";
import { prepareHttp2 } from "../engines/http2/request.ts";
import { hasNginx, startNginx } from "../tools/testing/nginx.ts";
import { generateSelfSignedCert } from "../tools/testing/tls_cert.ts";

/** One measured round of one tool. */
interface Round {
  tool: "rampa" | "h2load";
  requests: number;
  errors: number;
  seconds: number;
  cpuSeconds: number;
}

function flag(name: string, fallback: string): string {
  const a = Deno.args.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? fallback : a.slice(name.length + 3);
}

const seconds = Number(flag("seconds", "5"));
const rounds = Number(flag("rounds", "5"));
const streams = Number(flag("streams", "64"));
const connections = Number(flag("connections", "1"));
const scheme = flag("scheme", "h2c");
const asJson = Deno.args.includes("--json");

/** Closed loop on `streams` concurrent sends over one client for `ms`; CPU of this process. */
async function rampaRound(req: PreparedRequest, ms: number): Promise<Round> {
  const client = new Http2Client({ connections, insecure: true });
  await client.warm(req, connections);
  const recorder = new HttpRecorder(new MetricRegistry(), new EvidenceLog());
  const id = recorder.endpoint({ name: req.name, method: req.method });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + ms;
  const loops = Array.from({ length: streams }, async () => {
    const out = createOutcome();
    let n = 0, errors = 0;
    for (let now = performance.now(); now < until; now = out.ended) {
      resetOutcome(out, now);
      await client.send(req, out);
      recorder.record(id, out);
      if (out.error !== null || out.status !== 200) errors++;
      n++;
    }
    return [n, errors];
  });
  const counts = await Promise.all(loops);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  client.close();
  return {
    tool: "rampa",
    requests: counts.reduce((s, c) => s + c[0], 0),
    errors: counts.reduce((s, c) => s + c[1], 0),
    seconds: wall,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** h2load with the same connections and streams, one thread; CPU from bash's `time`. */
async function h2loadRound(url: string): Promise<Round> {
  const perConn = Math.max(1, Math.ceil(streams / connections));
  const script = `TIMEFORMAT='%U %S'; time h2load -t1 -c${connections} -m${perConn} ` +
    `-D${seconds} ${url}`;
  const out = await new Deno.Command("bash", { args: ["-c", script] }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const done = /requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded/.exec(stdout);
  const finished = /finished in ([\d.]+)(m?s)/.exec(stdout);
  const cpu = new TextDecoder().decode(out.stderr).trim().split(/\s+/).slice(-2).map(Number);
  if (!out.success || done === null || finished === null || cpu.some(Number.isNaN)) {
    throw new Error(`h2load failed:\n${stdout}\n${new TextDecoder().decode(out.stderr)}`);
  }
  const wall = Number(finished[1]) / (finished[2] === "ms" ? 1000 : 1);
  return {
    tool: "h2load",
    requests: Number(done[1]),
    errors: Number(done[1]) - Number(done[2]),
    seconds: wall,
    cpuSeconds: cpu[0] + cpu[1],
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

if (!hasNginx()) {
  console.error("nginx (nginx-light) is required: apt-get install -y nginx-light");
  Deno.exit(2);
}
const nginx = await startNginx({ http2: true, tls: await generateSelfSignedCert() });
const url = scheme === "h2"
  ? `https://127.0.0.1:${nginx.tlsPort}/`
  : `http://127.0.0.1:${nginx.port}/`;
const req = prepareHttp2({ method: "GET", url });
const results: Round[] = [];
try {
  await rampaRound(req, 1000); // warm-up: JIT and the lazy node:http2 import, not counted
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ["rampa", "h2load"] : ["h2load", "rampa"];
    for (const tool of order) {
      results.push(
        tool === "rampa" ? await rampaRound(req, seconds * 1000) : await h2loadRound(url),
      );
    }
  }
} finally {
  await nginx.stop();
}

const perCpu = (tool: Round["tool"]) =>
  results.filter((r) => r.tool === tool).map((r) => r.requests / r.cpuSeconds);
const perWall = (tool: Round["tool"]) =>
  results.filter((r) => r.tool === tool).map((r) => r.requests / r.seconds);
const summary = {
  scheme,
  seconds,
  rounds,
  streams,
  connections,
  rampa: { reqPerCpuSecond: median(perCpu("rampa")), reqPerSecond: median(perWall("rampa")) },
  h2load: { reqPerCpuSecond: median(perCpu("h2load")), reqPerSecond: median(perWall("h2load")) },
  ratio: median(perCpu("rampa")) / median(perCpu("h2load")),
  errors: results.reduce((s, r) => s + r.errors, 0),
  rounds_detail: results,
};
if (asJson) console.log(JSON.stringify(summary));
else {
  console.log(
    `scheme=${scheme} streams=${streams} connections=${connections} ` +
      `seconds=${seconds} rounds=${rounds}`,
  );
  for (const r of results) {
    console.log(
      `${r.tool.padEnd(6)} ${Math.round(r.requests / r.seconds).toString().padStart(7)} req/s  ` +
        `${Math.round(r.requests / r.cpuSeconds).toString().padStart(7)} req/CPU-s  ` +
        `cpu=${r.cpuSeconds.toFixed(2)}s errors=${r.errors}`,
    );
  }
  console.log(
    `median req/CPU-s: rampa ${Math.round(summary.rampa.reqPerCpuSecond)}, h2load ${
      Math.round(summary.h2load.reqPerCpuSecond)
    }; ratio rampa/h2load ${summary.ratio.toFixed(3)}`,
  );
}
