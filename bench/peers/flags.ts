/**
 * The command line of the peers benchmark: its usage text and the parsed, checked options.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { TIMING_MODES } from "../../core/schedule/wait.ts";
import { GENERATORS } from "./generators.ts";
import { MEMORY_RATE } from "./memory.ts";

/** The `--help` text. */
export const USAGE = `Usage: deno run -A bench/peers/main.ts [options]

  --duration <dur>         length of each closed-loop generator run, whole seconds (default 5s)
  --open-duration <dur>    length of each open-loop run after its 2 s warm-up (default 15s:
                           the first seconds carry the JIT's tier-up and a major GC comes
                           every ~7-10 s, so short windows show start-up, not the generator)
  --rounds <n>             interleaved rounds; tables show medians (default 3)
  --only <ids>             comma list of: wrk, ab, hey, autocannon, k6, rampa-http1,
                           rampa-http1-w2 (2 workers), rampa-fetch, open-loop
                           (default: all that are installed)
  --no-open-loop           skip the open-loop accuracy table
  --timing <modes>         rampa --timing modes for the open-loop table, comma list of
                           slice, precise, efficient, spin (default: slice,precise)
  --no-pin                 do not pin target and generators to CPUs with taskset
  --target <nginx|rampa>   the server: nginx (default; rampa's when nginx is missing) or
                           rampa's embedded target (\`rampa serve\`)
  --memory                 only run the memory check: rampa at ${MEMORY_RATE}/s, VmRSS every second
  --memory-duration <dur>  length of the memory run (default 60s)
  -h, --help               this help
`;

/** The benchmark's options, checked. */
export interface Options {
  /** Print the usage and stop. */
  help: boolean;
  /** Length of each closed-loop generator run in whole seconds. @default 5 */
  seconds: number;
  /** Length of each open-loop run (after its warm-up) in whole seconds. @default 15 */
  openSeconds: number;
  /** Interleaved rounds. @default 3 */
  rounds: number;
  /** Generator ids (and `open-loop`) to run; null for all that are installed. */
  only: Set<string> | null;
  /** Skip the open-loop table. @default false */
  noOpenLoop: boolean;
  /** rampa `--timing` modes for the open-loop table. @default ["slice", "precise"] */
  timing: string[];
  /** Do not pin with taskset. @default false */
  noPin: boolean;
  /** The server to load. @default "nginx" */
  target: "nginx" | "rampa";
  /** Run only the memory check. @default false */
  memory: boolean;
  /** Length of the memory run in whole seconds. @default 60 */
  memorySeconds: number;
}

/** Parses `500ms`, `5s`, `2m30s`, `1h` into milliseconds. */
export function parseDuration(text: string): number {
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

/** A duration flag in whole seconds, at least 1. */
const wholeSeconds = (text: string): number => Math.max(1, Math.ceil(parseDuration(text) / 1000));

/** Parses and checks `args`; throws on the first invalid value. */
export function parseFlags(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "5s" },
      rounds: { type: "string", default: "3" },
      only: { type: "string" },
      "no-open-loop": { type: "boolean", default: false },
      "no-pin": { type: "boolean", default: false },
      timing: { type: "string", default: "slice,precise" },
      target: { type: "string", default: "nginx" },
      memory: { type: "boolean", default: false },
      "memory-duration": { type: "string", default: "60s" },
      "open-duration": { type: "string", default: "15s" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const options: Options = {
    help: values.help,
    seconds: 0,
    openSeconds: 0,
    rounds: 0,
    only: null,
    noOpenLoop: values["no-open-loop"],
    noPin: values["no-pin"],
    timing: values.timing.split(",").map((s) => s.trim()).filter(Boolean),
    target: "nginx",
    memory: values.memory,
    memorySeconds: 0,
  };
  if (values.help) return options;
  options.seconds = wholeSeconds(values.duration);
  options.openSeconds = wholeSeconds(values["open-duration"]);
  options.memorySeconds = wholeSeconds(values["memory-duration"]);
  options.rounds = Number(values.rounds);
  if (!Number.isInteger(options.rounds) || options.rounds < 1) {
    throw new Error(`invalid --rounds: ${values.rounds}`);
  }
  for (const t of options.timing) {
    if (!(TIMING_MODES as readonly string[]).includes(t)) {
      throw new Error(`unknown --timing: ${t} (known: ${TIMING_MODES.join(", ")})`);
    }
  }
  const known = new Set([...GENERATORS.map((g) => g.id), "open-loop"]);
  if (values.only !== undefined) {
    options.only = new Set(values.only.split(",").map((s) => s.trim()).filter(Boolean));
  }
  for (const id of options.only ?? []) {
    if (!known.has(id)) throw new Error(`unknown --only entry: ${id} (known: ${[...known]})`);
  }
  if (values.target !== "nginx" && values.target !== "rampa") {
    throw new Error(`invalid --target: ${values.target} (nginx or rampa)`);
  }
  options.target = values.target;
  return options;
}
