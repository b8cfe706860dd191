/**
 * The load generators the peers benchmark knows — `wrk`, `ab`, `hey`, `autocannon`, `k6`,
 * `rampa-http1`, `rampa-fetch` — each as the command line of one closed-loop run and a parser of
 * what the tool reports, plus the check of which are installed.
 *
 * @module
 */

import $ from "dax";
import { fileURLToPath } from "node:url";
import { probeEngine, rampaRunArgv, readSummary } from "./rampa.ts";
import type { Generator, Parsed, Target } from "./types.ts";

/** Concurrency every generator uses (connections / VUs). */
export const CONCURRENCY = 64;

/** The k6 script, configured through the environment; its summary goes to `OUT`. */
const K6_SCRIPT = `import http from "k6/http";
export const options = { vus: Number(__ENV.VUS), duration: __ENV.DURATION };
export default function () { http.get(__ENV.TARGET); }
export function handleSummary(data) { return { [__ENV.OUT]: JSON.stringify(data) }; }
`;
const K6_SCRIPT_FILE = "k6-script.js";

/** Where npm installs autocannon for this repository. */
const LOCAL_AUTOCANNON = fileURLToPath(
  new URL("../../node_modules/.bin/autocannon", import.meta.url),
);

/** How autocannon is started: the installed binary, never a download. Set by detection. */
let autocannonCommand: string[] = [];

/** Whether detection chose `npx --no-install autocannon` (whose CPU then includes npx's). */
export function autocannonRunsThroughNpx(): boolean {
  return autocannonCommand[0] === "npx";
}

/** Writes the files the generators read (the k6 script) into `scratchDir`. */
export async function writeGeneratorFiles(scratchDir: string): Promise<void> {
  await Deno.writeTextFile(`${scratchDir}/${K6_SCRIPT_FILE}`, K6_SCRIPT);
}

/** The first capture group of `re` in `text` as a number; null when it does not match. */
function num(text: string, re: RegExp): number | null {
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
}

/** `value`, or an error quoting the end of the output that lacked it. */
function required(value: number | null, what: string, output: string): number {
  if (value === null || !Number.isFinite(value)) {
    throw new Error(`could not find ${what} in output:\n${output.slice(-2000)}`);
  }
  return value;
}

/** wrk's elapsed time ("… requests in 5.00s") in seconds. */
function wrkSeconds(text: string): number | null {
  const m = /requests in ([\d.]+)(us|ms|s|m)\b/.exec(text);
  if (!m) return null;
  return Number(m[1]) * { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[m[2] as "s"];
}

/** Parses a JSON document, null when it is not one (the caller reports what is missing). */
// deno-lint-ignore no-explicit-any
function jsonOrNull(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const wrk: Generator = {
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
};

const ab: Generator = {
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
};

const hey: Generator = {
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
};

const autocannon: Generator = {
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
    const r = jsonOrNull(out.slice(out.indexOf("{")));
    const requests = required(r?.requests?.total ?? null, "requests.total", out + m.stderr);
    return Promise.resolve({
      requests,
      seconds: required(r?.duration ?? null, "duration", out),
      errors: (r?.errors ?? 0) + (r?.timeouts ?? 0) + (r?.non2xx ?? 0),
    });
  },
};

const k6: Generator = {
  id: "k6",
  install: "a `k6` binary on PATH (https://github.com/grafana/k6/releases)",
  argv: (url, seconds, file, scratchDir) => [
    "env",
    `TARGET=${url}`,
    `VUS=${CONCURRENCY}`,
    `DURATION=${seconds}s`,
    `OUT=${file}`,
    "k6",
    "run",
    "--quiet",
    "--no-color",
    `${scratchDir}/${K6_SCRIPT_FILE}`,
  ],
  parse: async (m, file) => {
    const d = jsonOrNull(await Deno.readTextFile(file).catch(() => ""));
    const reqs = d?.metrics?.http_reqs?.values;
    const requests = required(reqs?.count ?? null, "http_reqs", m.stdout + m.stderr);
    const seconds = d?.state?.testRunDurationMs
      ? d.state.testRunDurationMs / 1000
      : requests / reqs.rate;
    const failed = d?.metrics?.http_req_failed?.values;
    return { requests, seconds, errors: failed?.passes ?? 0 };
  },
};

/**
 * rampa's CLI with `engine`, closed loop, reading its `--summary` file; with `workers`, the same
 * load split over that many Web Workers (`rampa-http1-w2`: the worker-scaling comparison).
 */
function rampaGenerator(engine: "http1" | "fetch", workers = 1): Generator {
  return {
    id: workers === 1 ? `rampa-${engine}` : `rampa-${engine}-w${workers}`,
    install: "(part of this repository)",
    argv: (url, seconds, file) =>
      rampaRunArgv(url, engine, [
        "--vus",
        String(CONCURRENCY),
        "-d",
        `${seconds}s`,
        "--workers",
        String(workers),
      ], file),
    parse: async (m, file) => {
      // deno-lint-ignore no-explicit-any
      const s = await readSummary(file) as any;
      const reqs = s?.metrics?.http_reqs;
      const requests = required(reqs?.count ?? null, "metrics.http_reqs.count", m.stderr);
      const rate = reqs?.rate > 0 ? reqs.rate : requests / (s.run.durationMs / 1000);
      const failed = s?.metrics?.http_req_failed?.passes ?? 0;
      return { requests, seconds: requests / rate, errors: failed } satisfies Parsed;
    },
  };
}

/** Every generator this benchmark knows, in table order. */
export const GENERATORS: readonly Generator[] = [
  wrk,
  ab,
  hey,
  autocannon,
  k6,
  rampaGenerator("http1"),
  rampaGenerator("http1", 2),
  rampaGenerator("fetch"),
];

/** A generator that cannot run here, and how to get it. */
export interface Missing {
  id: string;
  install: string;
}

/** Whether `path` exists. */
function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether `g` can run here: null when it can, otherwise how to get it. */
async function unavailable(g: Generator, target: Target): Promise<string | null> {
  if (g.id === "autocannon") {
    const global = await $.which("autocannon");
    if (global) autocannonCommand = [global];
    else if (exists(LOCAL_AUTOCANNON)) autocannonCommand = ["npx", "--no-install", "autocannon"];
    return autocannonCommand.length > 0 ? null : g.install;
  }
  // Probing rampa also warms Deno's module cache before anything is measured.
  if (g.id.startsWith("rampa-")) {
    return await probeEngine(target.url, g.id.slice("rampa-".length).replace(/-w\d+$/, ""));
  }
  return (await $.which(g.id)) !== undefined ? null : g.install;
}

/** Checks which generators (of `only`, or all) are usable; says how to get the missing ones. */
export async function detectGenerators(
  only: Set<string> | null,
  target: Target,
): Promise<{ found: Generator[]; missing: Missing[] }> {
  const found: Generator[] = [];
  const missing: Missing[] = [];
  for (const g of GENERATORS) {
    if (only && !only.has(g.id)) continue;
    const why = await unavailable(g, target);
    if (why === null) found.push(g);
    else missing.push({ id: g.id, install: why });
  }
  return { found, missing };
}
