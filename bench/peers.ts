/**
 * rampa next to its peers: one invocation that starts a private nginx, runs every installed load
 * generator against it with the same concurrency (64 connections / VUs, closed loop), and prints
 * Markdown tables. Not a test: run it by hand (`deno task bench:peers`).
 *
 *   deno run -A bench/peers.ts [--duration 5s] [--rounds 3] [--only wrk,rampa-http1]
 *                              [--no-open-loop] [--no-pin]
 *   deno run -A bench/peers.ts --memory [--memory-duration 60s]
 *
 * Generators (each used when installed, otherwise named with how to get it): `wrk`, `ab`, `hey`,
 * `autocannon`, `k6`, `rampa-http1`, `rampa-fetch`. `--only` also accepts `open-loop`.
 *
 * Target: Debian's nginx-light (`/usr/sbin/nginx`), `location / { return 200 "Hello, rampa!"; }`
 * (13 bytes), no access log, `keepalive_requests 1000000`, one process (`master_process off`).
 * Without nginx, rampa's embedded target (`rampa serve`) stands in, and the output says so.
 *
 * Pinning: when `taskset` exists and the machine has at least 2 CPUs, the target runs on CPU 1 and
 * every generator on CPU 0, so neither steals the other's core and a generator's CPU-seconds are
 * its own. The output says whether pinning was used.
 *
 * How generator CPU is measured (the same way for every tool, from outside): the tool runs as the
 * child of a wrapper `sh -c '"$@"; rc=$?; cat /proc/$$/stat > FILE; exit $rc'`. After `sh` has
 * waited for the tool, the kernel has added the tool's user and system time — including every
 * descendant the tool itself waited for (npx/node children, threads, workers) — to the wrapper's
 * `cutime`/`cstime` fields (16 and 17 of /proc/<pid>/stat, in clock ticks of `getconf CLK_TCK`).
 * `cat` reads them before it is itself waited for, so neither `cat` nor the wrapper's own time is
 * included. This is the same rusage `/usr/bin/time` would print, without needing that package.
 * It includes each tool's start-up (for rampa: Deno loading the CLI's modules), which is part of
 * what a user pays; with 5 s runs that is a few percent for rampa and ~0 for the C tools.
 *
 * Requests per second = requests the tool reports completed ÷ the elapsed time the tool reports
 * (rampa: `metrics.http_reqs` of its `--summary` file). Rounds are interleaved (A B C A B C …) and
 * the tables show medians over rounds; "÷ wrk" compares against wrk measured in the same
 * invocation. Raw results go to `bench/results/peers-<timestamp>.json`.
 *
 * The open-loop table runs rampa at `--rate` 1000/s, 10000/s and 50000/s (`--max-in-flight 256`)
 * and reports the delivered rate, scheduler lag, dropped arrivals and rampa's own CPU estimate.
 * `--memory` instead runs rampa at 5000/s for `--memory-duration` and samples its VmRSS every
 * second from /proc/<pid>/status.
 *
 * Load goes only to 127.0.0.1. Never run two benchmarks at once on a shared machine.
 *
 * @module
 */

import $ from "dax";
import { parseArgs } from "node:util";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

// ---------------------------------------------------------------------------------------------
// Options

/** Concurrency every generator uses (connections / VUs). */
const CONCURRENCY = 64;
/** Open-loop rates for the accuracy table, per second. */
const OPEN_LOOP_RATES = [1000, 10000, 50000];
/** Open-loop concurrency cap. */
const OPEN_LOOP_MAX_IN_FLIGHT = 256;
/** Rate of the memory run, per second. */
const MEMORY_RATE = 5000;
/** Where Debian installs nginx. */
const NGINX_BIN = "/usr/sbin/nginx";
/** The body nginx answers with (13 bytes, the same as rampa's embedded target). */
const BODY = "Hello, rampa!";

const CLI_MAIN = fileURLToPath(new URL("../cli/main.ts", import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));

const USAGE = `Usage: deno run -A bench/peers.ts [options]

  --duration <dur>         length of each generator run, whole seconds (default 5s)
  --rounds <n>             interleaved rounds; tables show medians (default 3)
  --only <ids>             comma list of: wrk, ab, hey, autocannon, k6, rampa-http1,
                           rampa-fetch, open-loop (default: all that are installed)
  --no-open-loop           skip the open-loop accuracy table
  --no-pin                 do not pin target and generators to CPUs with taskset
  --target <nginx|rampa>   the server: nginx (default; rampa's when nginx is missing) or
                           rampa's embedded target (\`rampa serve\`)
  --memory                 only run the memory check: rampa at ${MEMORY_RATE}/s, VmRSS every second
  --memory-duration <dur>  length of the memory run (default 60s)
  -h, --help               this help
`;

/** Parses `500ms`, `5s`, `2m30s`, `1h` into milliseconds. */
function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let ms = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`invalid duration: ${text}`);
    ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms"];
    pos = re.lastIndex;
  }
  if (pos === 0 || !(ms > 0)) throw new Error(`invalid duration: ${text}`);
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Processes: a wrapper that reports the CPU time of what it ran, and cleanup on signals

/** Outcome of one measured child process. */
interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  /** User CPU-seconds of the tool and the descendants it waited for. */
  userS: number;
  /** System CPU-seconds of the same. */
  sysS: number;
  /** Wall-clock seconds from spawn to exit, seen from here. */
  wallS: number;
}

let clockTicks = 100;
let pinning = false;
let stopping = false;
let scratchDir = "";
let serial = 0;
/** Wrapper pids of measured runs in progress, for cleanup on a signal. */
const activeWrappers = new Set<number>();
/** Stops the target; set once it runs. */
let stopTarget: (() => Promise<void>) | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Prefix that pins a process to one CPU when pinning is on. */
function pin(cpu: number): string[] {
  return pinning ? ["taskset", "-c", String(cpu)] : [];
}

/** Parent pid of every process, from /proc. */
function processTable(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(e.name), Number(rest[1]));
    } catch { /* exited meanwhile */ }
  }
  return parents;
}

/** Sends SIGTERM to every descendant of `pid` (deepest first), and to `pid` when asked. */
function killTree(pid: number, includeRoot: boolean): void {
  const parents = processTable();
  const order: number[] = [];
  const visit = (p: number) => {
    for (const [child, parent] of parents) if (parent === p) visit(child);
    order.push(p);
  };
  visit(pid);
  for (const p of order) {
    if (p === pid && !includeRoot) continue;
    try {
      Deno.kill(p, "SIGTERM");
    } catch { /* gone */ }
  }
}

/** Reads a file that another process writes shortly; empty string when it never appears. */
async function readWhenThere(path: string, waitMs: number): Promise<string> {
  const until = performance.now() + waitMs;
  for (;;) {
    try {
      const text = await Deno.readTextFile(path);
      if (text.trim() !== "") return text;
    } catch { /* not yet */ }
    if (performance.now() > until) return "";
    await sleep(10);
  }
}

/**
 * Runs `argv` pinned to CPU 0 under the CPU-reporting wrapper (see the module doc), killing it
 * after `timeoutMs`.
 */
async function measure(argv: string[], timeoutMs: number): Promise<Measured> {
  const id = ++serial;
  const pidFile = `${scratchDir}/pid-${id}`;
  const statFile = `${scratchDir}/stat-${id}`;
  const script = 'echo $$ > "$1"; stat="$2"; shift 2; "$@"; rc=$?; ' +
    'cat /proc/$$/stat > "$stat"; exit $rc';
  const full = [...pin(0), "sh", "-c", script, "sh", pidFile, statFile, ...argv];
  const started = performance.now();
  const child = $`${full}`.noThrow().stdin("null").stdout("piped").stderr("piped").spawn();
  const wrapperPid = Number(await readWhenThere(pidFile, 5000));
  if (wrapperPid > 0) activeWrappers.add(wrapperPid);
  const timer = setTimeout(() => {
    console.error(`  timeout after ${timeoutMs / 1000} s: stopping ${argv[0]}`);
    if (wrapperPid > 0) killTree(wrapperPid, false);
  }, timeoutMs);
  const result = await child;
  const wallS = (performance.now() - started) / 1000;
  clearTimeout(timer);
  activeWrappers.delete(wrapperPid);
  const stat = await readWhenThere(statFile, 1000);
  if (stat === "") throw new Error(`no CPU accounting for ${argv.join(" ")}`);
  const rest = stat.slice(stat.lastIndexOf(")") + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state); cutime and cstime are fields 16 and 17.
  const userS = Number(rest[13]) / clockTicks;
  const sysS = Number(rest[14]) / clockTicks;
  return { code: result.code, stdout: result.stdout, stderr: result.stderr, userS, sysS, wallS };
}

// ---------------------------------------------------------------------------------------------
// Target

/** A running HTTP target on 127.0.0.1. */
interface Target {
  url: string;
  description: string;
  stop(): Promise<void>;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitForPort(port: number, isDead: () => boolean): Promise<boolean> {
  for (let i = 0; i < 400 && !isDead(); i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return true;
    } catch {
      await sleep(25);
    }
  }
  return false;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Starts nginx pinned to CPU 1, or rampa's embedded target when nginx is not installed. */
async function startTarget(kind: string): Promise<Target> {
  const port = freePort();
  if (kind === "nginx" && exists(NGINX_BIN)) {
    const dir = `${scratchDir}/nginx`;
    await Deno.mkdir(dir);
    const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
      .map((t) => `  ${t}_temp_path ${dir}/${t};`).join("\n");
    const conf = `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
${temp}
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  default_type text/plain;
  server {
    listen 127.0.0.1:${port};
    location / { return 200 "${BODY}"; }
  }
}
`;
    await Deno.writeTextFile(`${dir}/nginx.conf`, conf);
    const argv = [
      ...pin(1),
      NGINX_BIN,
      "-p",
      dir,
      "-e",
      `${dir}/error.log`,
      "-c",
      `${dir}/nginx.conf`,
    ];
    let dead = false;
    const child = $`${argv}`.noThrow().stdin("null").stdout("null").stderr("piped").spawn();
    const exited = child.then((r) => {
      dead = true;
      return r;
    });
    const stop = async () => {
      if (!dead) child.kill("SIGTERM");
      await exited;
    };
    if (!(await waitForPort(port, () => dead))) {
      await stop();
      const log = await Deno.readTextFile(`${dir}/error.log`).catch(() => "");
      throw new Error(`nginx did not start on port ${port}: ${(await exited).stderr}${log}`);
    }
    const version = (await $`${NGINX_BIN} -v`.noThrow().stderr("piped").stdout("null")).stderr
      .trim().replace(/^nginx version: /, "");
    return {
      url: `http://127.0.0.1:${port}/`,
      description: `${version} (1 process${pinning ? ", pinned to CPU 1" : ""})`,
      stop,
    };
  }
  if (kind === "nginx") {
    console.log(
      `nginx not found at ${NGINX_BIN}: install it with ` +
        "`apt-get install -y --no-install-recommends nginx-light`; " +
        "falling back to rampa's embedded target (`rampa serve`), which is much slower than nginx.",
    );
  }
  const argv = [
    ...pin(1),
    Deno.execPath(),
    "run",
    "-A",
    CLI_MAIN,
    "serve",
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
  ];
  let dead = false;
  const child = $`${argv}`.noThrow().stdin("null").stdout("null").stderr("piped").spawn();
  const exited = child.then((r) => {
    dead = true;
    return r;
  });
  const stop = async () => {
    if (!dead) child.kill("SIGTERM");
    await exited;
  };
  if (!(await waitForPort(port, () => dead))) {
    await stop();
    throw new Error(`rampa serve did not start on port ${port}: ${(await exited).stderr}`);
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    description: `rampa serve (embedded target${pinning ? ", pinned to CPU 1" : ""})`,
    stop,
  };
}

// ---------------------------------------------------------------------------------------------
// Generators

/** What a generator's own output says about a run. */
interface Parsed {
  /** Requests completed (responses received). */
  requests: number;
  /** Elapsed seconds as the tool reports them. */
  seconds: number;
  /** Transport errors plus non-2xx/3xx responses, where the tool reports them. */
  errors: number;
}

/** One load generator. */
interface Generator {
  id: string;
  /** How to get it when missing. */
  install: string;
  /** The command line for one run of `seconds` against `url`; `file` is a scratch path. */
  argv(url: string, seconds: number, file: string): string[];
  /** Reads the run's results. */
  parse(m: Measured, file: string): Promise<Parsed>;
}

function num(text: string, re: RegExp): number | null {
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
}

function required(value: number | null, what: string, output: string): number {
  if (value === null || !Number.isFinite(value)) {
    throw new Error(`could not find ${what} in output:\n${output.slice(-2000)}`);
  }
  return value;
}

function wrkSeconds(text: string): number | null {
  const m = /requests in ([\d.]+)(us|ms|s|m)\b/.exec(text);
  if (!m) return null;
  return Number(m[1]) * { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[m[2] as "s"];
}

async function rampaSummary(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(file));
}

function rampaGenerator(engine: "http1" | "fetch"): Generator {
  return {
    id: `rampa-${engine}`,
    install: "(part of this repository)",
    argv: (url, seconds, file) => [
      Deno.execPath(),
      "run",
      "-A",
      CLI_MAIN,
      "run",
      url,
      "--engine",
      engine,
      "--vus",
      String(CONCURRENCY),
      "-d",
      `${seconds}s`,
      "--summary",
      file,
      "-q",
      "--no-color",
    ],
    parse: async (m, file) => {
      // deno-lint-ignore no-explicit-any
      const s = await rampaSummary(file) as any;
      const reqs = s?.metrics?.http_reqs;
      const requests = required(reqs?.count ?? null, "metrics.http_reqs.count", m.stderr);
      const rate = reqs?.rate > 0 ? reqs.rate : requests / (s.run.durationMs / 1000);
      const failed = s?.metrics?.http_req_failed?.passes ?? 0;
      return { requests, seconds: requests / rate, errors: failed };
    },
  };
}

const K6_SCRIPT = `import http from "k6/http";
export const options = { vus: Number(__ENV.VUS), duration: __ENV.DURATION };
export default function () { http.get(__ENV.TARGET); }
export function handleSummary(data) { return { [__ENV.OUT]: JSON.stringify(data) }; }
`;

/** Every generator this benchmark knows, in table order. */
const GENERATORS: Generator[] = [
  {
    id: "wrk",
    install: "apt-get install wrk",
    argv: (url, seconds) => ["wrk", "-t1", `-c${CONCURRENCY}`, `-d${seconds}s`, url],
    parse: (m) => {
      const out = m.stdout;
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
        .exec(out);
      const errors = (num(out, /Non-2xx or 3xx responses: (\d+)/) ?? 0) +
        (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
      return Promise.resolve({
        requests: required(num(out, /(\d+) requests in /), "requests", out),
        seconds: required(wrkSeconds(out), "elapsed time", out),
        errors,
      });
    },
  },
  {
    id: "ab",
    install: "apt-get install apache2-utils",
    // -t implies -n 50000, so -n comes after it.
    argv: (url, seconds) => [
      "ab",
      "-k",
      "-q",
      "-c",
      String(CONCURRENCY),
      "-t",
      String(seconds),
      "-n",
      "100000000",
      url,
    ],
    parse: (m) => {
      const out = m.stdout;
      return Promise.resolve({
        requests: required(num(out, /Complete requests:\s+(\d+)/), "Complete requests", out),
        seconds: required(num(out, /Time taken for tests:\s+([\d.]+)/), "time taken", out),
        errors: (num(out, /Failed requests:\s+(\d+)/) ?? 0) +
          (num(out, /Non-2xx responses:\s+(\d+)/) ?? 0),
      });
    },
  },
  {
    id: "hey",
    install: "apt-get install hey",
    argv: (url, seconds) => ["hey", "-c", String(CONCURRENCY), "-z", `${seconds}s`, url],
    parse: (m) => {
      const out = m.stdout;
      let requests = 0;
      let errors = 0;
      const statuses = out.split("Status code distribution:")[1]?.split(/\n\s*\n/)[0] ?? "";
      for (const s of statuses.matchAll(/\[(\d+)\]\s+(\d+) responses/g)) {
        requests += Number(s[2]);
        if (Number(s[1]) >= 400) errors += Number(s[2]);
      }
      const errs = out.split("Error distribution:")[1] ?? "";
      for (const e of errs.matchAll(/^\s+\[(\d+)\]/gm)) errors += Number(e[1]);
      return Promise.resolve({
        requests: required(requests || null, "status code distribution", out),
        seconds: required(num(out, /Total:\s+([\d.]+) secs/), "Total", out),
        errors,
      });
    },
  },
  {
    id: "autocannon",
    install: "npm i -g autocannon",
    argv: (url, seconds) => [
      ...autocannonCommand,
      "-c",
      String(CONCURRENCY),
      "-d",
      String(seconds),
      "-j",
      url,
    ],
    parse: (m) => {
      const out = m.stdout;
      const start = out.indexOf("{");
      // deno-lint-ignore no-explicit-any
      let r: any = null;
      try {
        r = JSON.parse(out.slice(start));
      } catch { /* reported below */ }
      const requests = required(r?.requests?.total ?? null, "requests.total", out + m.stderr);
      return Promise.resolve({
        requests,
        seconds: required(r?.duration ?? null, "duration", out),
        errors: (r?.errors ?? 0) + (r?.timeouts ?? 0) + (r?.non2xx ?? 0),
      });
    },
  },
  {
    id: "k6",
    install: "a `k6` binary on PATH (https://github.com/grafana/k6/releases)",
    argv: (url, seconds, file) => [
      "env",
      `TARGET=${url}`,
      `VUS=${CONCURRENCY}`,
      `DURATION=${seconds}s`,
      `OUT=${file}`,
      "k6",
      "run",
      "--quiet",
      "--no-color",
      `${scratchDir}/k6-script.js`,
    ],
    parse: async (m, file) => {
      // deno-lint-ignore no-explicit-any
      let d: any = null;
      try {
        d = JSON.parse(await Deno.readTextFile(file));
      } catch { /* reported below */ }
      const reqs = d?.metrics?.http_reqs?.values;
      const requests = required(reqs?.count ?? null, "http_reqs", m.stdout + m.stderr);
      const seconds = d?.state?.testRunDurationMs
        ? d.state.testRunDurationMs / 1000
        : requests / reqs.rate;
      const failed = d?.metrics?.http_req_failed?.values;
      return { requests, seconds, errors: failed?.passes ?? 0 };
    },
  },
  rampaGenerator("http1"),
  rampaGenerator("fetch"),
];

/** How autocannon is started: the installed binary, never a download. */
let autocannonCommand: string[] = [];

/** Checks which generators are usable; prints what is missing and how to get it. */
async function detectGenerators(
  only: Set<string> | null,
  target: Target,
): Promise<{ found: Generator[]; missing: { id: string; install: string }[] }> {
  const found: Generator[] = [];
  const missing: { id: string; install: string }[] = [];
  for (const g of GENERATORS) {
    if (only && !only.has(g.id)) continue;
    let ok = false;
    if (g.id === "autocannon") {
      const local = fileURLToPath(new URL("../node_modules/.bin/autocannon", import.meta.url));
      const global = await $.which("autocannon");
      if (global) autocannonCommand = [global];
      else if (exists(local)) autocannonCommand = ["npx", "--no-install", "autocannon"];
      ok = autocannonCommand.length > 0;
    } else if (g.id.startsWith("rampa-")) {
      // Probe the engine (also warms Deno's module cache before anything is measured).
      const engine = g.id.slice("rampa-".length);
      const r = await $`${[
        Deno.execPath(),
        "run",
        "-A",
        CLI_MAIN,
        "run",
        target.url,
        "--engine",
        engine,
        "--vus",
        "1",
        "-d",
        "300ms",
        "--no-summary",
        "-q",
        "--no-color",
      ]}`.noThrow().stdin("null").stdout("piped").stderr("piped");
      ok = r.code === 0;
      if (!ok) {
        missing.push({
          id: g.id,
          install: `engine not usable yet (exit ${r.code}: ${r.stderr.trim().split("\n")[0]})`,
        });
        continue;
      }
    } else {
      ok = (await $.which(g.id)) !== undefined;
    }
    if (ok) found.push(g);
    else missing.push({ id: g.id, install: g.install });
  }
  return { found, missing };
}

// ---------------------------------------------------------------------------------------------
// Statistics and tables

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function fmtInt(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a";
}

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}

function table(head: string[], rows: string[][], alignRight: boolean[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    "| " +
    cells.map((c, i) => alignRight[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])).join(" | ") +
    " |";
  const sep = "|" +
    widths.map((w, i) => alignRight[i] ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2)).join("|") +
    "|";
  return [line(head), sep, ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// The peers comparison

/** One generator run. */
interface RunRecord {
  generator: string;
  round: number;
  exitCode: number;
  requests: number;
  toolSeconds: number;
  wallSeconds: number;
  reqPerSec: number;
  cpuUser: number;
  cpuSys: number;
  cpuSeconds: number;
  reqPerCpuSecond: number;
  errors: number;
  error?: string;
}

/** Medians of one generator over its rounds. */
interface PeerRow {
  generator: string;
  runs: number;
  reqPerSec: number;
  cpuSeconds: number;
  reqPerCpuSecond: number;
  reqPerSecVsWrk: number | null;
  reqPerCpuSecondVsWrk: number | null;
  errors: number;
}

async function runPeers(
  gens: Generator[],
  target: Target,
  seconds: number,
  rounds: number,
): Promise<{ runs: RunRecord[]; rows: PeerRow[] }> {
  const runs: RunRecord[] = [];
  for (let round = 1; round <= rounds && !stopping; round++) {
    for (const g of gens) {
      if (stopping) break;
      const file = `${scratchDir}/${g.id}-${round}.json`;
      const m = await measure(g.argv(target.url, seconds, file), seconds * 1000 + 30_000);
      if (stopping) break;
      const cpuSeconds = m.userS + m.sysS;
      let rec: RunRecord;
      try {
        const p = await g.parse(m, file);
        rec = {
          generator: g.id,
          round,
          exitCode: m.code,
          requests: p.requests,
          toolSeconds: p.seconds,
          wallSeconds: m.wallS,
          reqPerSec: p.requests / p.seconds,
          cpuUser: m.userS,
          cpuSys: m.sysS,
          cpuSeconds,
          reqPerCpuSecond: p.requests / cpuSeconds,
          errors: p.errors,
        };
        console.error(
          `  round ${round}/${rounds} ${g.id.padEnd(11)} ${fmtInt(p.requests).padStart(10)} req ` +
            `in ${fmt(p.seconds, 2)} s = ${fmtInt(rec.reqPerSec).padStart(8)} req/s, ` +
            `CPU ${fmt(cpuSeconds, 2)} s (user ${fmt(m.userS, 2)} + sys ${fmt(m.sysS, 2)})` +
            (p.errors ? `, ${fmtInt(p.errors)} errors` : ""),
        );
      } catch (e) {
        const msg = (e as Error).message;
        rec = {
          generator: g.id,
          round,
          exitCode: m.code,
          requests: NaN,
          toolSeconds: NaN,
          wallSeconds: m.wallS,
          reqPerSec: NaN,
          cpuUser: m.userS,
          cpuSys: m.sysS,
          cpuSeconds,
          reqPerCpuSecond: NaN,
          errors: NaN,
          error: `exit ${m.code}: ${msg}\n${m.stderr.slice(-1000)}`,
        };
        console.error(`  round ${round}/${rounds} ${g.id}: FAILED (exit ${m.code}): ${msg}`);
      }
      runs.push(rec);
      await sleep(500); // let closed connections settle between runs
    }
  }
  const rows: PeerRow[] = gens.map((g) => {
    const ok = runs.filter((r) => r.generator === g.id && r.error === undefined);
    return {
      generator: g.id,
      runs: ok.length,
      reqPerSec: median(ok.map((r) => r.reqPerSec)),
      cpuSeconds: median(ok.map((r) => r.cpuSeconds)),
      reqPerCpuSecond: median(ok.map((r) => r.reqPerCpuSecond)),
      reqPerSecVsWrk: null,
      reqPerCpuSecondVsWrk: null,
      errors: ok.reduce((a, r) => a + r.errors, 0),
    };
  });
  const wrk = rows.find((r) => r.generator === "wrk" && r.runs > 0);
  if (wrk) {
    for (const r of rows) {
      r.reqPerSecVsWrk = r.reqPerSec / wrk.reqPerSec;
      r.reqPerCpuSecondVsWrk = r.reqPerCpuSecond / wrk.reqPerCpuSecond;
    }
  }
  return { runs, rows };
}

function peersTable(rows: PeerRow[]): string {
  const ratio = (x: number | null) => x === null || !Number.isFinite(x) ? "n/a" : fmt(x, 2);
  return table(
    ["generator", "req/s", "req/s ÷ wrk", "CPU-s", "req per CPU-s", "÷ wrk", "errors", "runs"],
    rows.map((r) => [
      r.generator,
      fmtInt(r.reqPerSec),
      ratio(r.reqPerSecVsWrk),
      fmt(r.cpuSeconds, 2),
      fmtInt(r.reqPerCpuSecond),
      ratio(r.reqPerCpuSecondVsWrk),
      fmtInt(r.errors),
      String(r.runs),
    ]),
    [false, true, true, true, true, true, true, true],
  );
}

// ---------------------------------------------------------------------------------------------
// Open-loop accuracy

/** One open-loop run of rampa. */
interface OpenLoopRecord {
  engine: string;
  targetRate: number;
  exitCode: number;
  offeredRate: number | null;
  achievedRate: number;
  achievedVsTarget: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  dropped: number;
  healthCpu: number;
  verdict: string;
  cpuSeconds: number;
  /** Wall-clock seconds of the whole rampa process, start-up and graceful stop included. */
  wallSeconds: number;
}

async function runOpenLoop(
  engine: string,
  target: Target,
  seconds: number,
): Promise<{ records: OpenLoopRecord[]; note: string | null }> {
  const records: OpenLoopRecord[] = [];
  for (const rate of OPEN_LOOP_RATES) {
    if (stopping) break;
    const file = `${scratchDir}/open-${rate}.json`;
    const m = await measure([
      Deno.execPath(),
      "run",
      "-A",
      CLI_MAIN,
      "run",
      target.url,
      "--engine",
      engine,
      "--rate",
      `${rate}/s`,
      "--max-in-flight",
      String(OPEN_LOOP_MAX_IN_FLIGHT),
      "-d",
      `${seconds}s`,
      "--summary",
      file,
      "-q",
      "--no-color",
    ], seconds * 1000 + 60_000);
    if (stopping) break;
    // deno-lint-ignore no-explicit-any
    let s: any;
    try {
      s = await rampaSummary(file);
    } catch {
      return {
        records,
        note: `rampa wrote no summary at ${rate}/s (exit ${m.code}): ${m.stderr.trim()}`,
      };
    }
    const lag = s?.metrics?.scheduler_lag;
    const fields = [
      ["load.achievedRate", s?.load?.achievedRate],
      ["load.dropped", s?.load?.dropped],
      ["metrics.scheduler_lag.p50", lag?.p50],
      ["metrics.scheduler_lag.p99", lag?.p99],
      ["metrics.scheduler_lag.max", lag?.max],
      ["health.cpu", s?.health?.cpu],
    ].filter(([, v]) => typeof v !== "number").map(([k]) => k);
    if (fields.length > 0) {
      return { records, note: `rampa's summary lacks ${fields.join(", ")}: table skipped` };
    }
    const rec: OpenLoopRecord = {
      engine,
      targetRate: rate,
      exitCode: m.code,
      offeredRate: s.load.offeredRate ?? null,
      achievedRate: s.load.achievedRate,
      achievedVsTarget: s.load.achievedRate / rate,
      lagP50: lag.p50,
      lagP99: lag.p99,
      lagMax: lag.max,
      dropped: s.load.dropped,
      healthCpu: s.health.cpu,
      verdict: s.health.verdict ?? "",
      cpuSeconds: m.userS + m.sysS,
      wallSeconds: m.wallS,
    };
    records.push(rec);
    console.error(
      `  open loop ${rate}/s: achieved ${fmtInt(rec.achievedRate)}/s, lag p99 ` +
        `${fmt(rec.lagP99, 2)} ms, dropped ${fmtInt(rec.dropped)}, exit ${m.code}`,
    );
    await sleep(500);
  }
  return { records, note: null };
}

function openLoopTable(records: OpenLoopRecord[]): string {
  return table(
    [
      "target rate",
      "achieved/s",
      "achieved ÷ target",
      "lag p50 ms",
      "lag p99 ms",
      "lag max ms",
      "dropped",
      "CPU (health.cpu)",
      "CPU-s (measured)",
      "process wall s",
      "verdict",
    ],
    records.map((r) => [
      `${fmtInt(r.targetRate)}/s`,
      fmtInt(r.achievedRate),
      fmt(r.achievedVsTarget, 3),
      fmt(r.lagP50, 3),
      fmt(r.lagP99, 3),
      fmt(r.lagMax, 1),
      fmtInt(r.dropped),
      `${fmt(r.healthCpu * 100, 0)}%`,
      fmt(r.cpuSeconds, 2),
      fmt(r.wallSeconds, 1),
      r.verdict,
    ]),
    [true, true, true, true, true, true, true, true, true, true, false],
  );
}

// ---------------------------------------------------------------------------------------------
// Memory

/** One RSS sample of the rampa process. */
interface RssSample {
  t: number;
  rssKiB: number;
}

function readRssKiB(pid: number): number | null {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function runMemory(engine: string, target: Target, durationS: number) {
  const pidFile = `${scratchDir}/memory.pid`;
  // exec keeps the pid: sh -> taskset -> deno are one process, the one we sample.
  const argv = [
    "sh",
    "-c",
    'echo $$ > "$1"; shift; exec "$@"',
    "sh",
    pidFile,
    ...pin(0),
    Deno.execPath(),
    "run",
    "-A",
    CLI_MAIN,
    "run",
    target.url,
    "--engine",
    engine,
    "--rate",
    `${MEMORY_RATE}/s`,
    "--max-in-flight",
    String(OPEN_LOOP_MAX_IN_FLIGHT),
    "-d",
    `${durationS}s`,
    "--no-summary",
    "-q",
    "--no-color",
  ];
  const started = performance.now();
  let done = false;
  const child = $`${argv}`.noThrow().stdin("null").stdout("piped").stderr("piped").spawn();
  const finished = child.then((r) => {
    done = true;
    return r;
  });
  const pid = Number(await readWhenThere(pidFile, 5000));
  if (pid > 0) activeWrappers.add(pid);
  const samples: RssSample[] = [];
  for (let i = 1; !done && !stopping; i++) {
    const wait = started + i * 1000 - performance.now();
    await Promise.race([sleep(Math.max(0, wait)), finished]);
    if (done) break;
    const rss = readRssKiB(pid);
    if (rss === null) break;
    samples.push({ t: Math.round((performance.now() - started) / 100) / 10, rssKiB: rss });
    if (i % 10 === 0) console.error(`  t=${i}s RSS ${fmt(rss / 1024, 1)} MiB`);
  }
  const result = await finished;
  activeWrappers.delete(pid);
  const at = (t: number) => samples.find((s) => s.t >= t - 0.5) ?? null;
  const s5 = at(5);
  const s30 = durationS >= 30 ? at(30) : null;
  const end = samples.at(-1) ?? null;
  const mib = (s: RssSample | null) => s ? `${fmt(s.rssKiB / 1024, 1)} MiB (t=${s.t} s)` : "n/a";
  const growth = s30 && end && end.t > s30.t
    ? `${fmt((end.rssKiB - s30.rssKiB) / 1024, 1)} MiB over ${fmt(end.t - s30.t, 0)} s`
    : "n/a (needs a run longer than 30 s)";
  console.log(`\n## Memory: rampa --engine ${engine} at ${MEMORY_RATE}/s for ${durationS} s\n`);
  console.log(`exit code ${result.code}; VmRSS sampled every second from /proc/${pid}/status\n`);
  console.log(table(
    ["when", "VmRSS"],
    [
      ["at 5 s", mib(s5)],
      ["at 30 s", mib(s30)],
      ["at the end", mib(end)],
      [
        "peak",
        mib(samples.reduce<RssSample | null>((a, s) => !a || s.rssKiB > a.rssKiB ? s : a, null)),
      ],
      ["growth after 30 s", growth],
    ],
    [false, true],
  ));
  return { engine, rate: MEMORY_RATE, durationS, exitCode: result.code, samples };
}

// ---------------------------------------------------------------------------------------------
// Main

async function writeResults(prefix: string, data: unknown): Promise<string> {
  await Deno.mkdir(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const path = `${RESULTS_DIR}${prefix}-${stamp}.json`;
  await Deno.writeTextFile(path, JSON.stringify(data, null, 2) + "\n");
  return path;
}

async function cleanup(): Promise<void> {
  for (const pid of activeWrappers) killTree(pid, true);
  const stop = stopTarget;
  stopTarget = null;
  if (stop) await stop().catch(() => {});
  if (scratchDir) await Deno.remove(scratchDir, { recursive: true }).catch(() => {});
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      duration: { type: "string", default: "5s" },
      rounds: { type: "string", default: "3" },
      only: { type: "string" },
      "no-open-loop": { type: "boolean", default: false },
      "no-pin": { type: "boolean", default: false },
      target: { type: "string", default: "nginx" },
      memory: { type: "boolean", default: false },
      "memory-duration": { type: "string", default: "60s" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seconds = Math.max(1, Math.ceil(parseDuration(values.duration) / 1000));
  const memorySeconds = Math.max(1, Math.ceil(parseDuration(values["memory-duration"]) / 1000));
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`invalid --rounds: ${values.rounds}`);
  }
  const known = new Set([...GENERATORS.map((g) => g.id), "open-loop"]);
  const only = values.only === undefined
    ? null
    : new Set(values.only.split(",").map((s) => s.trim()).filter(Boolean));
  for (const id of only ?? []) {
    if (!known.has(id)) throw new Error(`unknown --only entry: ${id} (known: ${[...known]})`);
  }

  clockTicks = Number((await $`getconf CLK_TCK`.noThrow().text()).trim()) || 100;
  pinning = !values["no-pin"] && availableParallelism() >= 2 &&
    (await $.which("taskset")) !== undefined;
  scratchDir = await Deno.makeTempDir({ prefix: "rampa-peers-" });
  await Deno.writeTextFile(`${scratchDir}/k6-script.js`, K6_SCRIPT);

  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.error("\ninterrupted: stopping the generator and the target");
    cleanup().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);

  try {
    if (values.target !== "nginx" && values.target !== "rampa") {
      throw new Error(`invalid --target: ${values.target} (nginx or rampa)`);
    }
    const target = await startTarget(values.target);
    stopTarget = target.stop;
    const kernel = (await $`uname -sr`.noThrow().text()).trim();
    console.log(`# rampa vs peers\n`);
    console.log(`- target: ${target.description} at ${target.url}`);
    console.log(
      `- pinning: ${
        pinning
          ? "yes (taskset: target on CPU 1, generators on CPU 0)"
          : "no (taskset missing, fewer than 2 CPUs, or --no-pin): CPU-s still fair, req/s noisier"
      }`,
    );
    console.log(`- host: ${kernel}, ${availableParallelism()} CPUs, Deno ${Deno.version.deno}`);
    console.log(
      "- generator CPU: user+sys of the tool and its waited-for children, from the cutime/cstime " +
        "of a wrapper `sh` (/proc/<pid>/stat)",
    );

    if (values.memory) {
      const rampa = await detectGenerators(new Set(["rampa-http1", "rampa-fetch"]), target);
      const engine = rampa.found[0]?.id.slice("rampa-".length);
      if (!engine) throw new Error("no rampa engine works: cannot run the memory check");
      const mem = await runMemory(engine, target, memorySeconds);
      const path = await writeResults("memory", {
        startedAt: new Date().toISOString(),
        target: target.description,
        pinning,
        ...mem,
      });
      console.log(`\nraw results: ${path}`);
      return 0;
    }

    const { found, missing } = await detectGenerators(only, target);
    console.log(
      `- duration ${seconds} s per run, ${rounds} interleaved round(s), ` +
        `${CONCURRENCY} connections/VUs, closed loop`,
    );
    console.log(`- generators: ${found.map((g) => g.id).join(", ") || "none"}`);
    for (const m of missing) console.log(`- missing: ${m.id}: ${m.install}`);
    if (autocannonCommand[0] === "npx") {
      console.log("- autocannon runs through `npx --no-install` (its CPU includes npx's)");
    }

    let peers: { runs: RunRecord[]; rows: PeerRow[] } = { runs: [], rows: [] };
    if (found.length > 0) {
      console.error(`\nrunning ${found.length} generator(s) × ${rounds} round(s) of ${seconds} s…`);
      peers = await runPeers(found, target, seconds, rounds);
      console.log(`\n## Closed loop, ${CONCURRENCY} connections, median of ${rounds} round(s)\n`);
      console.log(peersTable(peers.rows));
      if (!peers.rows.some((r) => r.generator === "wrk" && r.runs > 0)) {
        console.log("\n(÷ wrk: n/a — wrk was not measured in this invocation)");
      }
    }

    let openLoop: { engine: string | null; records: OpenLoopRecord[]; note: string | null } = {
      engine: null,
      records: [],
      note: null,
    };
    const wantOpen = !values["no-open-loop"] &&
      (only === null || only.has("open-loop") || [...only].some((id) => id.startsWith("rampa-")));
    if (wantOpen && !stopping) {
      const rampa = found.some((g) => g.id.startsWith("rampa-"))
        ? found
        : (await detectGenerators(new Set(["rampa-http1", "rampa-fetch"]), target)).found;
      const engine = rampa.find((g) => g.id === "rampa-http1")
        ? "http1"
        : rampa.find((g) => g.id === "rampa-fetch")
        ? "fetch"
        : null;
      console.log(
        `\n## Open-loop accuracy: rampa --engine ${engine ?? "?"}, ${seconds} s per rate, ` +
          `--max-in-flight ${OPEN_LOOP_MAX_IN_FLIGHT}\n`,
      );
      if (engine === null) {
        openLoop.note = "no rampa engine works: open-loop table skipped";
      } else {
        console.error(`\nrunning rampa open loop at ${OPEN_LOOP_RATES.join(", ")} req/s…`);
        const r = await runOpenLoop(engine, target, seconds);
        openLoop = { engine, ...r };
        if (r.records.length > 0) console.log(openLoopTable(r.records));
      }
      if (openLoop.note) console.log(`note: ${openLoop.note}`);
    }

    if (stopping) return 130;
    const path = await writeResults("peers", {
      startedAt: new Date().toISOString(),
      host: { kernel, cpus: availableParallelism(), deno: Deno.version.deno },
      target: { description: target.description, body: BODY },
      pinning,
      cpuMethod: "cutime+cstime of a wrapper sh from /proc/<pid>/stat",
      durationS: seconds,
      rounds,
      concurrency: CONCURRENCY,
      generators: found.map((g) => g.id),
      missing,
      peers: peers.rows,
      runs: peers.runs,
      openLoop,
    });
    console.log(`\nraw results: ${path}`);
    return 0;
  } finally {
    if (!stopping) await cleanup();
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    await cleanup();
    Deno.exit(1);
  }
}
