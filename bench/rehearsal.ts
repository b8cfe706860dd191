/**
 * What the rehearsal before the clock buys (ADR 23): `rampa run <nginx> --rate R/s -d Ds` with
 * default flags against the same with `--no-rehearsal`, in interleaved rounds, each from source
 * as `deno task rampa` runs it. Reports per variant the medians of the first second's scheduler
 * lag p99, the whole run's lag p99 and the process's CPU (cores, start-up included), and the
 * rehearsed/not ratios. Needs Debian's nginx (the tests' private instance, one process);
 * without it, rampa's embedded target stands in and the output says so.
 *
 * Usage: deno run -A bench/rehearsal.ts [--rounds 4] [--rate 20000] [--duration 10s]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { RAMPA_RUN_FLAGS } from "../tools/rampa_task.ts";
import { hasNginx, startNginx } from "../tools/testing/nginx.ts";
import { startTarget } from "../target/mod.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "4" },
    rate: { type: "string", default: "20000" },
    duration: { type: "string", default: "10s" },
  },
});
const ROUNDS = Number(values.rounds);

let url: string;
let stop: () => Promise<void>;
let what: string;
if (hasNginx()) {
  const nginx = await startNginx();
  url = `http://127.0.0.1:${nginx.port}/`;
  stop = () => nginx.stop();
  what = "nginx (1 process)";
} else {
  const target = startTarget({ quiet: true });
  url = `${target.url}/`;
  stop = () => target.close();
  what = "rampa's embedded target (no nginx installed)";
}

interface Sample {
  firstSecondP99: number;
  p99: number;
  cpu: number;
}

const root = new URL("../", import.meta.url).pathname;
const dir = await Deno.makeTempDir();

async function once(extra: string[]): Promise<Sample> {
  const out = `${dir}/s.json`;
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...RAMPA_RUN_FLAGS,
      "-A",
      `${root}cli/main.ts`,
      "run",
      url,
      "--rate",
      `${values.rate}/s`,
      "-d",
      values.duration!,
      "--quiet",
      "--out",
      `json=${out}`,
      ...extra,
    ],
    stdout: "null",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).output();
  if (r.code !== 0 && r.code !== 3) throw new Error(`rampa exited ${r.code}`);
  const s = JSON.parse(await Deno.readTextFile(out));
  const points = (s.timeline as { requests: number; lagP99: number }[]).filter((p) =>
    p.requests > 0
  );
  return {
    firstSecondP99: points[0]?.lagP99 ?? NaN,
    p99: s.health.schedulerLag.p99,
    cpu: s.health.cpu,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const variants: Record<string, string[]> = {
  "rehearsed (default)": [],
  "--no-rehearsal": ["--no-rehearsal"],
};
const samples: Record<string, Sample[]> = {};
for (const name of Object.keys(variants)) samples[name] = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, extra] of Object.entries(variants)) samples[name].push(await once(extra));
  }
} finally {
  await stop();
  await Deno.remove(dir, { recursive: true });
}

console.log(
  `rehearsal: ${values.rate}/s for ${values.duration} against ${what}, ${ROUNDS} interleaved rounds`,
);
const med: Record<string, Sample> = {};
for (const [name, ss] of Object.entries(samples)) {
  med[name] = {
    firstSecondP99: median(ss.map((s) => s.firstSecondP99)),
    p99: median(ss.map((s) => s.p99)),
    cpu: median(ss.map((s) => s.cpu)),
  };
  const m = med[name];
  console.log(
    `${name.padEnd(20)} first-second lag p99 ${m.firstSecondP99.toFixed(2)} ms  ` +
      `(runs: ${ss.map((s) => s.firstSecondP99.toFixed(1)).join(", ")})  whole-run p99 ` +
      `${m.p99.toFixed(2)} ms  CPU ${m.cpu.toFixed(3)} cores`,
  );
}
const [a, b] = Object.values(med);
console.log(
  `ratio rehearsed / not: first second ${(a.firstSecondP99 / b.firstSecondP99).toFixed(2)}, ` +
    `whole run ${(a.p99 / b.p99).toFixed(2)}, CPU ${(a.cpu / b.cpu).toFixed(2)}`,
);
