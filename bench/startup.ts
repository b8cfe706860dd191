/**
 * Start-up benchmark: time from spawning a generator to its first request arriving at a local
 * listener, for `rampa run <url>` (from source, as `deno task rampa` runs it) and, measured in
 * the same interleaved rounds, the floor of any Deno program (`deno run` of a one-line fetch)
 * and the peers that are installed (hey, wrk, ab). Prints medians and rampa's excess over the
 * Deno floor, which is the part rampa controls.
 *
 * Usage: deno run -A bench/startup.ts [--rounds 15] [--rate 10]
 *
 * From 200/s rampa creates its waker thread before the first request (ADR 10), which costs
 * 30–45 ms: `--rate 1000` shows that case.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { RAMPA_RUN_FLAGS } from "../tools/rampa_task.ts";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "15" }, rate: { type: "string", default: "10" } },
});
const ROUNDS = Number(values.rounds);
const RATE = Number(values.rate);
/** A generator that sent nothing by then has failed; rounds are bounded. */
const GIVE_UP_MS = 5000;

const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const url = `http://127.0.0.1:${listener.addr.port}/`;
const RESPONSE = new TextEncoder().encode(
  "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-type: text/plain\r\n\r\nok",
);
let firstRequest: ((t: number) => void) | null = null;

/** Answers every request; the first bytes of each connection signal "first request". */
async function serve(): Promise<void> {
  for await (const conn of listener) {
    (async () => {
      const buf = new Uint8Array(16 * 1024);
      try {
        while (true) {
          const n = await conn.read(buf);
          if (n === null) break;
          firstRequest?.(performance.now());
          firstRequest = null;
          await conn.write(RESPONSE);
        }
      } catch { /* killed mid-request */ }
      try {
        conn.close();
      } catch { /* already closed */ }
    })();
  }
}
serve();

const root = new URL("../", import.meta.url).pathname;
const deno = Deno.execPath();
const which = (bin: string) =>
  new Deno.Command("sh", { args: ["-c", `command -v ${bin}`], stdout: "null", stderr: "null" })
    .outputSync().success;

const generators: Record<string, string[]> = {
  [`rampa run --rate ${RATE} <url>`]: [
    deno,
    "run",
    ...RAMPA_RUN_FLAGS,
    "-A",
    `${root}cli/main.ts`,
    "run",
    "--rate",
    String(RATE),
    "-d",
    "2s",
    "--quiet",
    "--out",
    "json=/dev/null",
    url,
  ],
  "deno floor (one fetch)": [deno, "eval", `await fetch(${JSON.stringify(url)})`],
};
if (which("hey")) generators.hey = ["hey", "-n", "1", "-c", "1", url];
if (which("wrk")) generators["wrk -t1 -c1"] = ["wrk", "-t1", "-c1", "-d1s", url];
if (which("ab")) generators.ab = ["ab", "-n", "1", url];

async function once(argv: string[]): Promise<number> {
  const got = new Promise<number>((resolve) => (firstRequest = resolve));
  const t0 = performance.now();
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: "null",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).spawn();
  const timeout = new Promise<number>((r) => setTimeout(() => r(NaN), GIVE_UP_MS));
  const t1 = await Promise.race([got, timeout]);
  firstRequest = null;
  try {
    child.kill("SIGKILL");
  } catch { /* exited */ }
  await child.status;
  return t1 - t0;
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

const samples: Record<string, number[]> = {};
for (const name of Object.keys(generators)) samples[name] = [];
// One warm-up pass fills Deno's module and transpile caches, as a second run of a user would.
for (const argv of Object.values(generators)) await once(argv);
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, argv] of Object.entries(generators)) samples[name].push(await once(argv));
}

const floor = median(samples["deno floor (one fetch)"]);
console.log(`start-up: spawn to first request, median of ${ROUNDS} interleaved rounds`);
for (const [name, xs] of Object.entries(samples)) {
  const m = median(xs);
  const vsFloor = name.startsWith("rampa") ? `  (+${(m - floor).toFixed(0)} ms over Deno)` : "";
  console.log(
    `  ${name.padEnd(26)} ${m.toFixed(1).padStart(7)} ms  min ${
      Math.min(...xs).toFixed(1).padStart(6)
    }${vsFloor}`,
  );
}
listener.close();
Deno.exit(0);
