/**
 * Throughput of the http1 engine against global fetch, per wall second and per CPU second of
 * this (generator) process, with every outcome recorded the way a run records it
 * (HttpRecorder: trends for each phase, counters, rates). Not a test: run it by hand.
 *
 *   deno run -A bench/http1_vs_fetch.ts [--server=nginx|deno] [--seconds=5] [--vus=64]
 *
 * When `wrk` is on PATH it runs too (-t1, same connections and duration), timed with bash's
 * `time`, so that all three are compared per CPU second under the same machine load.
 *
 * The server runs in a child process so that its CPU is not counted as the generator's.
 * nginx (Debian's nginx-light) is the default when installed; its 13-byte body is the setup
 * of our performance issue (wrk -t1 there: ~165k req/s).
 *
 * @module
 */

import process from "node:process";
import { HttpRecorder } from "../engines/http/recorder.ts";
import { EvidenceLog } from "../core/run/evidence.ts";
import { MetricRegistry } from "../core/metrics/registry.ts";
import { createOutcome, resetOutcome } from "../engines/http/types.ts";
import { createHttp1Engine } from "../engines/http1/mod.ts";
import { freePort, hasNginx, startNginx } from "../tools/testing/nginx.ts";

interface Result {
  label: string;
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
const vus = Number(flag("vus", "64"));
const serverKind = flag("server", hasNginx() ? "nginx" : "deno");

async function startServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (serverKind === "nginx") {
    const n = await startNginx();
    return { url: `http://127.0.0.1:${n.port}/`, stop: n.stop };
  }
  const port = freePort();
  const code = `Deno.serve({ port: ${port}, hostname: "127.0.0.1", onListen() {} },
    () => new Response("hello, world\\n"));`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "null",
    stderr: "null",
  }).spawn();
  for (let i = 0; i < 200; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

async function measure(
  label: string,
  loop: (recorder: HttpRecorder, until: number) => Promise<[number, number]>,
): Promise<Result> {
  const recorder = new HttpRecorder(new MetricRegistry(), new EvidenceLog());
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  const counts = await Promise.all(Array.from({ length: vus }, () => loop(recorder, until)));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    label,
    requests: counts.reduce((s, c) => s + c[0], 0),
    errors: counts.reduce((s, c) => s + c[1], 0),
    seconds: wall,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

const server = await startServer();
const engine = createHttp1Engine();
const req = engine.prepare({ method: "GET", url: server.url });
const endpoint = { name: req.name, method: "GET" };

const http1 = (recorder: HttpRecorder, until: number): Promise<[number, number]> => {
  const id = recorder.endpoint(endpoint);
  const client = engine.createClient({ maxConnections: 1 });
  const out = createOutcome();
  return (async (): Promise<[number, number]> => {
    let n = 0, errors = 0;
    let now = performance.now();
    while (now < until) {
      resetOutcome(out, now);
      await client.send(req, out);
      recorder.record(id, out);
      if (out.error !== null) errors++;
      n++;
      now = out.ended;
    }
    client.close();
    return [n, errors];
  })();
};

const fetchLoop = async (recorder: HttpRecorder, until: number): Promise<[number, number]> => {
  const id = recorder.endpoint(endpoint);
  const out = createOutcome();
  let n = 0, errors = 0;
  let now = performance.now();
  while (now < until) {
    resetOutcome(out, now);
    try {
      const res = await fetch(server.url);
      const body = await res.arrayBuffer();
      out.status = res.status;
      out.bytesReceived = body.byteLength;
    } catch (e) {
      out.error = "other";
      out.errorMessage = String(e);
      errors++;
    }
    now = out.ended = performance.now();
    recorder.record(id, out);
    n++;
  }
  return [n, errors];
};

/** wrk -t1 against the same server; its CPU time comes from bash's `time`. */
async function runWrk(url: string): Promise<Result | null> {
  const script = `TIMEFORMAT='%U %S'; time wrk -t1 -c${vus} -d${seconds}s ${url}`;
  try {
    const out = await new Deno.Command("bash", { args: ["-c", script] }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const total = /(\d+) requests in ([\d.]+)s/.exec(stdout);
    const cpu = new TextDecoder().decode(out.stderr).trim().split(/\s+/).slice(-2).map(Number);
    if (!out.success || total === null || cpu.some(Number.isNaN)) return null;
    return {
      label: "wrk",
      requests: Number(total[1]),
      errors: 0,
      seconds: Number(total[2]),
      cpuSeconds: cpu[0] + cpu[1],
    };
  } catch {
    return null; // wrk not installed
  }
}

/**
 * The floor for any client on Deno.Conn: write the same bytes, read once, no parsing, no
 * timing, no metrics. http1's distance to it is the engine's own cost; the rest is Deno's I/O.
 */
const rawLoop = async (_recorder: HttpRecorder, until: number): Promise<[number, number]> => {
  const url = new URL(server.url);
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  conn.setNoDelay(true);
  const bytes = (req.state as { bytes: Uint8Array }).bytes;
  const buf = new Uint8Array(16 * 1024);
  let n = 0;
  while (performance.now() < until) {
    await conn.write(bytes);
    if (await conn.read(buf) === null) break;
    n++;
  }
  conn.close();
  return [n, 0];
};

const results: Result[] = [];
try {
  results.push(await measure("raw", rawLoop));
  results.push(await measure("http1", http1));
  results.push(await measure("fetch", fetchLoop));
  const wrk = await runWrk(server.url);
  if (wrk !== null) results.push(wrk);
} finally {
  await server.stop();
}
console.log(`server=${serverKind} vus=${vus} seconds=${seconds}`);
for (const r of results) {
  const rps = r.requests / r.seconds;
  const perCpu = r.requests / r.cpuSeconds;
  console.log(
    `${r.label.padEnd(6)} ${Math.round(rps).toString().padStart(7)} req/s  ` +
      `${Math.round(perCpu).toString().padStart(7)} req/CPU-s  ` +
      `cpu=${r.cpuSeconds.toFixed(2)}s errors=${r.errors}`,
  );
}
