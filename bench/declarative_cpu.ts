/**
 * What a declarative scenario costs per request: the same one-request iteration at the same
 * open-loop rate (default 2,000/s for 10 s, one load thread, a status check on every response)
 * run three ways, interleaved A B C A B C: the ad-hoc URL path (`rampa run URL
 * --expect-status 200`), a one-step YAML flow (`expect: { status: 200 }`) and the equivalent
 * TypeScript scenario (`ctx.http.get` + `check`). Reports CPU per 10,000 requests during the
 * load (the summary's generator CPU share × the run's duration) and for the whole process
 * (user + sys from `/usr/bin/time`, start-up included), delivery, and the ratios of the
 * medians to ad-hoc (issue 21 asks for YAML within 1.3× of ad-hoc), after one untimed run of
 * each (Deno's transpile cache). The target is rampa's
 * embedded server in its own process. Load goes only to 127.0.0.1; every run is bounded.
 *
 * ```sh
 * deno run -A bench/declarative_cpu.ts [--rate 2000/s] [--duration 10s] [--rounds 3]
 * ```
 *
 * @module
 */
import $ from "dax";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { parseDuration } from "../core/units.ts";
import { RAMPA_RUN_FLAGS } from "../tools/rampa_task.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "2000/s" },
    duration: { type: "string", default: "10s" },
    rounds: { type: "string", default: "3" },
  },
});
const rate = Number(/^\d+/.exec(values.rate!)?.[0] ?? "2000");
const durationMs = parseDuration(values.duration!, "--duration");
const rounds = Number(values.rounds);

type Kind = "adhoc" | "yaml" | "ts";
const KINDS: readonly Kind[] = ["adhoc", "yaml", "ts"];

interface Sample {
  /** CPU-s per 10,000 requests during the load. */
  loadCpu: number;
  /** CPU-s per 10,000 requests for the whole process. */
  processCpu: number;
  delivered: number;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** The scenario files, written once: the same scenario block in YAML and TypeScript. */
async function writeScenarios(dir: string, url: string): Promise<Record<Kind, string>> {
  const vus = Math.max(16, Math.ceil(rate / 50));
  const scenario =
    `{ executor: "constant-arrival-rate", rate: ${rate}, timeUnit: "1s", duration: "${values.duration}", preAllocatedVUs: ${vus} }`;
  await Deno.writeTextFile(
    `${dir}/one.yaml`,
    `options:\n  scenarios:\n    one: ${scenario}\nsteps:\n  - name: get\n    request: { url: "${url}" }\n    expect: { status: 200 }\n`,
  );
  await Deno.writeTextFile(
    `${dir}/one.ts`,
    `import { check, type Options, type VuContext } from "rampa";
export const options: Options = { scenarios: { one: ${scenario} } };
export default async function (ctx: VuContext): Promise<void> {
  await ctx.group("get", async () => {
    const r = await ctx.http.get("${url}");
    check(r, { "get status 200": (x) => x.status === 200 });
  });
}
`,
  );
  return { adhoc: url, yaml: `${dir}/one.yaml`, ts: `${dir}/one.ts` };
}

async function once(kind: Kind, target: string, dir: string): Promise<Sample> {
  const summary = `${dir}/s.json`;
  const load = kind === "adhoc"
    ? ["--rate", values.rate!, "-d", values.duration!, "--expect-status", "200"]
    : [];
  const args = [
    "run",
    "-A",
    ...RAMPA_RUN_FLAGS,
    "--config",
    `${ROOT}deno.json`,
    `${ROOT}cli/main.ts`,
    "run",
    target,
    ...load,
    "--workers",
    "1",
    "--summary",
    summary,
    "-q",
  ];
  const timeFile = `${dir}/time.txt`;
  // A run that failed before writing its summary must not be read as the previous run's.
  await Deno.remove(summary).catch(() => {});
  const r = await $`/usr/bin/time -f ${"%U %S"} -o ${timeFile} deno ${args}`
    .env({ NO_COLOR: "1", NO_PROXY: "127.0.0.1", RUST_BACKTRACE: "0" })
    .stdout("null").stderr("piped").noThrow();
  if (!(await Deno.stat(summary).catch(() => null))) {
    throw new Error(`The ${kind} run failed (exit ${r.code}): ${r.stderr.trim().slice(0, 500)}`);
  }
  // time(1) puts "Command exited with non-zero status N" first when the run's verdict failed.
  const last = (await Deno.readTextFile(timeFile)).trim().split("\n").at(-1)!;
  const [user, sys] = last.split(/\s+/).map(Number);
  const s = JSON.parse(await Deno.readTextFile(summary));
  const n = Math.max(1, s.load.started);
  return {
    loadCpu: (s.health.cpu * durationMs / 1000) * 10_000 / n,
    processCpu: ((user + sys) * 10_000) / n,
    delivered: s.load.started / Math.max(1, s.load.started + s.load.dropped),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const dir = await Deno.makeTempDir();
const port = freePort();
const server = new Deno.Command("deno", {
  args: ["run", "-A", `${ROOT}cli/main.ts`, "serve", "--port", String(port)],
  stdout: "null",
  stderr: "null",
}).spawn();
try {
  await new Promise((r) => setTimeout(r, 1500));
  const files = await writeScenarios(dir, `http://127.0.0.1:${port}/`);
  // One untimed run of each first: the first run of a path fills Deno's transpile cache.
  for (const k of KINDS) await once(k, files[k], dir);
  const runs: Record<Kind, Sample[]> = { adhoc: [], yaml: [], ts: [] };
  for (let i = 0; i < rounds; i++) {
    for (const k of KINDS) {
      runs[k].push(await once(k, files[k], dir));
      console.error(`round ${i + 1}: ${k} ${JSON.stringify(runs[k].at(-1))}`);
    }
  }
  const m = (k: Kind, f: keyof Sample) => median(runs[k].map((s) => s[f]));
  console.log(
    `## CPU per request: ad-hoc vs YAML vs TypeScript at ${values.rate}, ${values.duration}, medians of ${rounds}`,
  );
  console.log(
    "| path | load CPU-s / 10k req | process CPU-s / 10k req | delivered | load ÷ ad-hoc | process ÷ ad-hoc |",
  );
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const k of KINDS) {
    console.log(
      `| ${k} | ${m(k, "loadCpu").toFixed(3)} | ${m(k, "processCpu").toFixed(3)} | ${
        (m(k, "delivered") * 100).toFixed(2)
      }% | ${(m(k, "loadCpu") / m("adhoc", "loadCpu")).toFixed(2)} | ${
        (m(k, "processCpu") / m("adhoc", "processCpu")).toFixed(2)
      } |`,
    );
  }
} finally {
  server.kill();
  await server.status;
  await Deno.remove(dir, { recursive: true });
}
