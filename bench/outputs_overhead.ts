/**
 * What streaming outputs cost the load: the same open-loop run (default 5,000/s for 10 s, one
 * load thread) with no extra output and with every streaming sink pointed at a dead address
 * (the worst case: each batch retried, then dropped), interleaved A B A B. Reports whole-process
 * CPU per 10,000 requests (user + sys from `/usr/bin/time`, start-up included), scheduler lag
 * p99 and delivery, and the ratio sinks ÷ none from the medians. The target is rampa's embedded
 * server in its own process. Load goes only to 127.0.0.1; every run is bounded.
 *
 * ```sh
 * deno run -A bench/outputs_overhead.ts [--rate 5000/s] [--duration 10s] [--rounds 3]
 * ```
 *
 * @module
 */
import $ from "dax";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { RAMPA_RUN_FLAGS } from "../tools/rampa_task.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "5000/s" },
    duration: { type: "string", default: "10s" },
    rounds: { type: "string", default: "3" },
  },
});

/** A port nothing listens on. */
function deadPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const dead = deadPort();
const SINKS = [
  `prometheus=http://127.0.0.1:${dead}/api/v1/write?interval=1s`,
  `influxdb=http://127.0.0.1:${dead}/rampa?interval=1s`,
  `otlp=http://127.0.0.1:${dead}/v1/metrics?interval=1s`,
  `statsd=127.0.0.1:${dead}`,
  `webhook=http://127.0.0.1:${dead}/hook?interval=1s`,
];

interface Sample {
  cpuPer10k: number;
  lagP99: number;
  delivered: number;
}

async function once(url: string, outs: string[], dir: string): Promise<Sample> {
  const summary = `${dir}/s.json`;
  const args = [
    "run",
    "-A",
    ...RAMPA_RUN_FLAGS,
    `${ROOT}cli/main.ts`,
    "run",
    url,
    "--rate",
    values.rate!,
    "-d",
    values.duration!,
    "--workers",
    "1",
    "--summary",
    summary,
    "-q",
    ...outs.flatMap((o) => ["--out", o]),
  ];
  const timeFile = `${dir}/time.txt`;
  await $`/usr/bin/time -f ${"%U %S"} -o ${timeFile} deno ${args}`
    .env({ NO_COLOR: "1", NO_PROXY: "127.0.0.1" }).quiet().noThrow();
  const [user, sys] = (await Deno.readTextFile(timeFile)).trim().split(/\s+/).map(Number);
  const s = JSON.parse(await Deno.readTextFile(summary));
  return {
    cpuPer10k: ((user + sys) * 10_000) / Math.max(1, s.load.started),
    lagP99: s.health.schedulerLag.p99,
    delivered: s.load.started / Math.max(1, s.load.started + s.load.dropped),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const dir = await Deno.makeTempDir();
const port = deadPort();
const server = new Deno.Command("deno", {
  args: ["run", "-A", `${ROOT}cli/main.ts`, "serve", "--port", String(port)],
  stdout: "null",
  stderr: "null",
}).spawn();
try {
  await new Promise((r) => setTimeout(r, 1500));
  const url = `http://127.0.0.1:${port}/`;
  const runs: Record<"none" | "sinks", Sample[]> = { none: [], sinks: [] };
  for (let i = 0; i < Number(values.rounds); i++) {
    runs.none.push(await once(url, [], dir));
    runs.sinks.push(await once(url, SINKS, dir));
    console.error(`round ${i + 1}: none ${JSON.stringify(runs.none.at(-1))}`);
    console.error(`round ${i + 1}: sinks ${JSON.stringify(runs.sinks.at(-1))}`);
  }
  const m = (k: "none" | "sinks", f: keyof Sample) => median(runs[k].map((s) => s[f]));
  console.log(
    `## Streaming outputs' cost at ${values.rate}, ${values.duration}, medians of ${values.rounds}`,
  );
  console.log("| outputs | CPU-s per 10,000 req | lag p99 ms | delivered |");
  console.log("|---|---:|---:|---:|");
  for (const k of ["none", "sinks"] as const) {
    console.log(
      `| ${k === "none" ? "none" : "5 dead sinks"} | ${m(k, "cpuPer10k").toFixed(3)} | ${
        m(k, "lagP99").toFixed(2)
      } | ${(m(k, "delivered") * 100).toFixed(2)}% |`,
    );
  }
  console.log(
    `\nCPU ratio sinks ÷ none: ${(m("sinks", "cpuPer10k") / m("none", "cpuPer10k")).toFixed(2)}`,
  );
} finally {
  server.kill();
  await server.status;
  await Deno.remove(dir, { recursive: true });
}
