/**
 * Unary gRPC calls per generator CPU-second: rampa's ad-hoc `grpc://` run against k6's
 * `k6/net/grpc`, on the same grpc-js server (rampa's embedded target, `Echo`, in its own
 * process), closed loop with the same VUs and duration, rounds interleaved (rampa, k6, …).
 * CPU is each tool's user + system time from `/usr/bin/time` (start-up included, as a user
 * pays it); calls are rampa's `grpc_reqs` and k6's completed iterations (one call each: k6
 * has no call counter). The result is the ratio of the
 * medians.
 *
 * Run: `deno run -A bench/grpc_vs_k6.ts [rounds=5] [seconds=10] [vus=16]` (needs k6: PATH or
 * ../shared/tools/k6). A smoke run: `deno run -A bench/grpc_vs_k6.ts 1 2 4`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { provideK6 } from "./peers/k6_binary.ts";
import { timed } from "./_timed.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ROUNDS = Number(Deno.args[0] ?? 5);
const SECONDS = Number(Deno.args[1] ?? 10);
const VUS = Number(Deno.args[2] ?? 16);
const METHOD = "rampa.target.v1.Target/Echo";

const SERVER = `
import { startGrpcTarget } from ${JSON.stringify(ROOT + "target/grpc/server.ts")};
const t = await startGrpcTarget({ port: Number(Deno.args[0]) });
console.log("ready " + t.addr);`;

const K6_SCRIPT = `
import grpc from "k6/net/grpc";
const client = new grpc.Client();
client.load([${JSON.stringify(ROOT + "target")}], "rampa_target.proto");
export const options = { vus: ${VUS}, duration: "${SECONDS}s" };
export default function () {
  if (__ITER === 0) client.connect(__ENV.ADDR, { plaintext: true });
  client.invoke("${METHOD}", { message: "hello rampa" });
}`;

const k6 = await provideK6();
if (!k6) throw new Error("k6 not found (PATH or ../shared/tools/k6)");
const k6Bin = k6 === "PATH" ? "k6" : k6;
const dir = await Deno.makeTempDir({ prefix: "rampa-grpc-bench-" });
await Deno.writeTextFile(`${dir}/k6.js`, K6_SCRIPT);
const port = 19500 + Math.floor(Math.random() * 500);
const server = new Deno.Command(Deno.execPath(), {
  args: ["eval", "--config", ROOT + "deno.json", SERVER, String(port)],
  stdout: "piped",
  env: { RUST_BACKTRACE: "0" },
}).spawn();
const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
await reader.read();
const addr = `127.0.0.1:${port}`;
const rows: { round: number; tool: string; calls: number; cpuS: number; perCpuS: number }[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    const r = await timed([
      Deno.execPath(),
      "run",
      "-A",
      "--config",
      ROOT + "deno.json",
      ROOT + "cli/main.ts",
      "run",
      `grpc://${addr}/${METHOD}`,
      "--proto",
      ROOT + "target/rampa_target.proto",
      "--data",
      '{"message":"hello rampa"}',
      "--vus",
      String(VUS),
      "-d",
      `${SECONDS}s`,
      "-q",
    ], dir);
    const s = JSON.parse(await Deno.readTextFile(`${dir}/rampa-summary.json`));
    const rc = s.metrics.grpc_reqs.count as number;
    rows.push({
      round,
      tool: "rampa",
      calls: rc,
      cpuS: +r.cpuS.toFixed(2),
      perCpuS: Math.round(rc / r.cpuS),
    });
    const k = await timed([
      k6Bin,
      "run",
      "-q",
      "--summary-export",
      `${dir}/k6.json`,
      "-e",
      `ADDR=${addr}`,
      `${dir}/k6.js`,
    ], dir);
    // k6 has no call counter (its summary trends carry no count): one call per iteration.
    const km = JSON.parse(await Deno.readTextFile(`${dir}/k6.json`)).metrics;
    if (!km.grpc_req_duration) throw new Error("k6 made no gRPC call");
    const kc = km.iterations.count as number;
    rows.push({
      round,
      tool: "k6",
      calls: kc,
      cpuS: +k.cpuS.toFixed(2),
      perCpuS: Math.round(kc / k.cpuS),
    });
  }
  console.table(rows);
  const med = (tool: string) => {
    const v = rows.filter((r) => r.tool === tool).map((r) => r.perCpuS).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  console.log(
    `rampa ÷ k6 (unary calls per CPU-second, medians of ${ROUNDS}): ${
      (med("rampa") / med("k6")).toFixed(2)
    }`,
  );
} finally {
  reader.releaseLock();
  server.kill();
  await server.status;
  await Deno.remove(dir, { recursive: true });
}
