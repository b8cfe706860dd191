/**
 * Echo messages per generator CPU-second: rampa's ad-hoc `ws://` run against k6's `k6/ws`, on
 * the same `Deno.upgradeWebSocket` echo server (its own process), closed loop with 16 VUs each
 * running sessions of 1,000 sequential echoes, 5 s per run, rounds interleaved (rampa, k6, …).
 * CPU is each tool's user + system time from `/usr/bin/time` (start-up included, as a user pays
 * it); messages are the tool's own `ws_msgs_received` count.
 *
 * Run: `deno run -A bench/ws_vs_k6.ts [rounds]` (needs k6: PATH or ../shared/tools/k6).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { provideK6 } from "./peers/k6_binary.ts";
import { timed } from "./_timed.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ROUNDS = Number(Deno.args[0] ?? 2);

const SERVER = `
Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.args[0]), onListen() { console.log("ready"); } }, (req) => {
  const { socket, response } = Deno.upgradeWebSocket(req);
  socket.onmessage = (e) => socket.send(e.data);
  return response;
});`;

const K6_SCRIPT = `
import ws from "k6/ws";
export const options = { vus: 16, duration: "5s" };
export default function () {
  ws.connect(__ENV.URL, {}, function (socket) {
    let n = 0;
    socket.on("open", () => socket.send("hello rampa"));
    socket.on("message", () => {
      if (++n >= 1000) socket.close();
      else socket.send("hello rampa");
    });
  });
}`;

const k6 = await provideK6();
if (!k6) throw new Error("k6 not found (PATH or ../shared/tools/k6)");
const k6Bin = k6 === "PATH" ? "k6" : k6;
const dir = await Deno.makeTempDir({ prefix: "rampa-ws-bench-" });
await Deno.writeTextFile(`${dir}/k6.js`, K6_SCRIPT);
const port = 19000 + Math.floor(Math.random() * 500);
const server = new Deno.Command(Deno.execPath(), {
  args: ["eval", SERVER, String(port)],
  stdout: "piped",
}).spawn();
await server.stdout.pipeThrough(new TextDecoderStream()).getReader().read();
const url = `ws://127.0.0.1:${port}/`;
const rows: { round: number; tool: string; msgs: number; cpuS: number; perCpuS: number }[] = [];
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
      url,
      "--vus",
      "16",
      "-d",
      "5s",
      "--ws-send",
      "hello rampa",
      "--ws-messages",
      "1000",
      "-q",
    ], dir);
    const s = JSON.parse(await Deno.readTextFile(`${dir}/rampa-summary.json`));
    const rm = s.metrics.ws_msgs_received.count as number;
    rows.push({
      round,
      tool: "rampa",
      msgs: rm,
      cpuS: +r.cpuS.toFixed(2),
      perCpuS: Math.round(rm / r.cpuS),
    });
    const k = await timed([
      k6Bin,
      "run",
      "-q",
      "--summary-export",
      `${dir}/k6.json`,
      "-e",
      `URL=${url}`,
      `${dir}/k6.js`,
    ], dir);
    const km = JSON.parse(await Deno.readTextFile(`${dir}/k6.json`)).metrics.ws_msgs_received
      .count as number;
    rows.push({
      round,
      tool: "k6",
      msgs: km,
      cpuS: +k.cpuS.toFixed(2),
      perCpuS: Math.round(km / k.cpuS),
    });
  }
  console.table(rows);
  const med = (tool: string) => {
    const v = rows.filter((r) => r.tool === tool).map((r) => r.perCpuS).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  console.log(`rampa ÷ k6 (echo msgs per CPU-second): ${(med("rampa") / med("k6")).toFixed(2)}`);
} finally {
  server.kill();
  await server.status;
  await Deno.remove(dir, { recursive: true });
}
