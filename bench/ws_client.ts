/**
 * Chooses rampa's WebSocket client by measurement (ADR 14): the `ws` npm package vs Deno's
 * native `WebSocket`, both against the same echo server in another process (so the server's
 * CPU is not counted), run one after the other, interleaved twice.
 *
 * - echo throughput: messages per client CPU-second, 16 sessions each keeping one message in
 *   flight (send, await the echo, send again), for a fixed count;
 * - connect cost: sequential connect + close on loopback, wall ms and CPU ms per session;
 * - handshake phases: whether TCP connect and the 101 response can be timed apart.
 *
 * Run: `deno run -A bench/ws_client.ts` (about 10 s).
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { connect as netConnect } from "node:net";
import WebSocket from "ws";

const SERVER = `
const port = Number(Deno.args[0]);
Deno.serve({ hostname: "127.0.0.1", port, onListen() { console.log("ready"); } }, (req) => {
  const { socket, response } = Deno.upgradeWebSocket(req);
  socket.onmessage = (e) => socket.send(e.data);
  return response;
});`;

const cpuMs = () => {
  const u = cpuUsage();
  return (u.user + u.system) / 1000;
};

type Sock = { send(d: string): void; close(): void; onmsg(fn: () => void): void };

function openWs(url: string): Promise<Sock> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once("open", () =>
      resolve({
        send: (d) => ws.send(d),
        close: () => ws.close(),
        onmsg: (fn) => ws.on("message", fn),
      }));
    ws.once("error", reject);
  });
}

function openNative(url: string): Promise<Sock> {
  return new Promise((resolve, reject) => {
    const ws = new globalThis.WebSocket(url);
    ws.onopen = () =>
      resolve({
        send: (d) => ws.send(d),
        close: () => ws.close(),
        onmsg: (fn) => ws.onmessage = fn,
      });
    ws.onerror = () => reject(new Error("error"));
  });
}

async function echo(open: (u: string) => Promise<Sock>, url: string, total: number) {
  const socks = await Promise.all(Array.from({ length: 16 }, () => open(url)));
  const per = total / socks.length;
  const c0 = cpuMs();
  const t0 = performance.now();
  await Promise.all(socks.map((s) =>
    new Promise<void>((done) => {
      let n = 0;
      s.onmsg(() => {
        if (++n === per) done();
        else s.send("hello rampa");
      });
      s.send("hello rampa");
    })
  ));
  const cpu = cpuMs() - c0;
  const wall = performance.now() - t0;
  for (const s of socks) s.close();
  return { perCpuSec: total / (cpu / 1000), perSec: total / (wall / 1000) };
}

async function connectCost(open: (u: string) => Promise<Sock>, url: string, n: number) {
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) (await open(url)).close();
  return { wallMs: (performance.now() - t0) / n, cpuMs: (cpuMs() - c0) / n };
}

/** Can ws time TCP connect apart from the upgrade? Through its `createConnection` option. */
function wsPhases(url: string): Promise<{ tcp: number; upgrade: number; open: number }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let tcp = NaN;
    let upgrade = NaN;
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      createConnection: () => {
        const s = netConnect(Number(u.port), u.hostname);
        s.once("connect", () => tcp = performance.now() - t0);
        return s;
      },
    });
    ws.once("upgrade", () => upgrade = performance.now() - t0);
    ws.once("open", () => {
      resolve({ tcp, upgrade, open: performance.now() - t0 });
      ws.close();
    });
    ws.once("error", reject);
  });
}

const port = 18000 + Math.floor(Math.random() * 1000);
const server = new Deno.Command(Deno.execPath(), {
  args: ["eval", SERVER, String(port)],
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
await reader.read();
const url = `ws://127.0.0.1:${port}/`;
const rows: Record<string, unknown>[] = [];
try {
  await echo(openWs, url, 16_000); // warm-up, both
  await echo(openNative, url, 16_000);
  for (let round = 0; round < 2; round++) {
    for (const [name, open] of [["ws", openWs], ["native", openNative]] as const) {
      const e = await echo(open, url, 64_000);
      const c = await connectCost(open, url, 300);
      rows.push({
        round,
        client: name,
        "echo msgs/CPU-s": Math.round(e.perCpuSec),
        "echo msgs/s": Math.round(e.perSec),
        "connect ms": +c.wallMs.toFixed(3),
        "connect CPU ms": +c.cpuMs.toFixed(3),
      });
    }
  }
  console.table(rows);
  console.log("ws phases (ms from start):", await wsPhases(url));
} finally {
  server.kill();
  await server.status;
}
