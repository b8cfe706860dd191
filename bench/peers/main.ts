/**
 * rampa next to its peers: one invocation that starts a private nginx, runs every installed load
 * generator against it with the same concurrency (64 connections / VUs, closed loop), and prints
 * Markdown tables. Not a test: run it by hand (`deno task bench:peers`).
 *
 * ```sh
 * deno run -A bench/peers/main.ts [--duration 5s] [--rounds 3] [--only wrk,rampa-http1]
 *                                 [--no-open-loop] [--no-pin]
 * deno run -A bench/peers/main.ts --memory [--memory-duration 60s]
 * ```
 *
 * Generators (each used when installed, otherwise named with how to get it): `wrk`, `ab`, `hey`,
 * `autocannon`, `k6`, `rampa-http1`, `rampa-fetch` (`generators.ts`). `--only` also accepts
 * `open-loop`. The target is the tests' nginx, pinned (`nginx.ts`), or rampa's embedded target
 * (`target.ts`); every tool's CPU is measured the same way from outside (`measure.ts`).
 *
 * Rounds are interleaved (A B C A B C …) and the tables show medians over rounds; "÷ wrk" compares
 * against wrk measured in the same invocation (`closed_loop.ts`, `tables.ts`). Then come the
 * open-loop accuracy table (`open_loop.ts`), or with `--memory` only the memory check
 * (`memory.ts`). Raw results go to `bench/results/peers-<timestamp>.json` (or `memory-…`).
 *
 * Load goes only to 127.0.0.1. Never run two benchmarks at once on a shared machine.
 *
 * @module
 */

import $ from "dax";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { runPeers } from "./closed_loop.ts";
import { type Options, parseFlags, USAGE } from "./flags.ts";
import {
  autocannonRunsThroughNpx,
  CONCURRENCY,
  detectGenerators,
  writeGeneratorFiles,
} from "./generators.ts";
import { runMemory } from "./memory.ts";
import { provideK6 } from "./k6_binary.ts";
import { OPEN_LOOP_MAX_IN_FLIGHT, OPEN_LOOP_RATES, runOpenLoop } from "./open_loop.ts";
import { pickEngine, RAMPA_ENGINES } from "./rampa.ts";
import { closeSession, createSession } from "./session.ts";
import { openLoopTable, peersTable } from "./tables.ts";
import { startTarget } from "./target.ts";
import type { Generator, OpenLoopRecord, PeerRow, RunRecord, Session, Target } from "./types.ts";

const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));

/** The session in progress, for cleanup on a signal or an error. */
let session: Session | null = null;
/** Stops the target; set once it runs. */
let stopTarget: (() => Promise<void>) | null = null;

/** Writes `data` to `bench/results/<prefix>-<timestamp>.json`; returns the path. */
async function writeResults(prefix: string, data: unknown): Promise<string> {
  await Deno.mkdir(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const path = `${RESULTS_DIR}${prefix}-${stamp}.json`;
  await Deno.writeTextFile(path, JSON.stringify(data, null, 2) + "\n");
  return path;
}

/** Stops what runs and removes the scratch directory; safe to call twice. */
async function cleanup(): Promise<void> {
  const s = session;
  const stop = stopTarget;
  session = null;
  stopTarget = null;
  if (s) await closeSession(s, stop);
}

/** The preferred rampa engine that works against `target`; null when none does. */
async function detectRampaEngine(target: Target): Promise<string | null> {
  const ids = new Set(RAMPA_ENGINES.map((e) => `rampa-${e}`));
  const { found } = await detectGenerators(ids, target);
  return pickEngine(found.map((g) => g.id));
}

/** The lines every mode starts with: target, pinning, host, CPU method. */
function printHeader(s: Session, target: Target, kernel: string): void {
  console.log(`# rampa vs peers\n`);
  console.log(`- target: ${target.description} at ${target.url}`);
  console.log(
    `- pinning: ${
      s.pinning
        ? "yes (taskset: target on CPU 1, generators on CPU 0)"
        : "no (taskset missing, fewer than 2 CPUs, or --no-pin): CPU-s still fair, req/s noisier"
    }`,
  );
  console.log(`- host: ${kernel}, ${availableParallelism()} CPUs, Deno ${Deno.version.deno}`);
  console.log(
    "- generator CPU: user+sys of the tool and its waited-for children, from the cutime/cstime " +
      "of a wrapper `sh` (/proc/<pid>/stat)",
  );
}

/** `--memory`: the memory check alone. */
async function memoryMode(s: Session, options: Options, target: Target): Promise<number> {
  const engine = await detectRampaEngine(target);
  if (!engine) throw new Error("no rampa engine works: cannot run the memory check");
  const mem = await runMemory(s, engine, target, options.memorySeconds);
  const path = await writeResults("memory", {
    startedAt: new Date().toISOString(),
    target: target.description,
    pinning: s.pinning,
    ...mem,
  });
  console.log(`\nraw results: ${path}`);
  return 0;
}

/** What the results say about the open-loop runs. */
interface OpenLoopResult {
  engine: string | null;
  records: OpenLoopRecord[];
  note: string | null;
}

/** The open-loop section, when `--only` and `--no-open-loop` leave it in. */
async function openLoopSection(
  s: Session,
  options: Options,
  target: Target,
  found: Generator[],
  wrkPerCpuSecond: number | null,
): Promise<OpenLoopResult> {
  const { only, openSeconds: seconds } = options;
  const wantOpen = !options.noOpenLoop &&
    (only === null || only.has("open-loop") || [...only].some((id) => id.startsWith("rampa-")));
  if (!wantOpen || s.stopping) return { engine: null, records: [], note: null };
  const engine = found.some((g) => g.id.startsWith("rampa-"))
    ? pickEngine(found.map((g) => g.id))
    : await detectRampaEngine(target);
  console.log(
    `\n## Open-loop accuracy: rampa --engine ${engine ?? "?"}, ${seconds} s per rate, ` +
      `--max-in-flight ${OPEN_LOOP_MAX_IN_FLIGHT}\n`,
  );
  let result: OpenLoopResult;
  if (engine === null) {
    result = { engine: null, records: [], note: "no rampa engine works: open-loop table skipped" };
  } else {
    console.error(`\nrunning rampa open loop at ${OPEN_LOOP_RATES.join(", ")} req/s…`);
    const r = await runOpenLoop(s, engine, target, seconds, options.timing);
    result = { engine, ...r };
    if (r.records.length > 0) console.log(openLoopTable(r.records, wrkPerCpuSecond));
  }
  if (result.note) console.log(`note: ${result.note}`);
  return result;
}

/** The default mode: the closed-loop comparison, then the open-loop table. */
async function compareMode(
  s: Session,
  options: Options,
  target: Target,
  kernel: string,
): Promise<number> {
  const { seconds, rounds } = options;
  await provideK6();
  const { found, missing } = await detectGenerators(options.only, target);
  console.log(
    `- duration ${seconds} s per run, ${rounds} interleaved round(s), ` +
      `${CONCURRENCY} connections/VUs, closed loop`,
  );
  console.log(`- generators: ${found.map((g) => g.id).join(", ") || "none"}`);
  for (const m of missing) console.log(`- missing: ${m.id}: ${m.install}`);
  if (autocannonRunsThroughNpx()) {
    console.log("- autocannon runs through `npx --no-install` (its CPU includes npx's)");
  }

  let peers: { runs: RunRecord[]; rows: PeerRow[] } = { runs: [], rows: [] };
  if (found.length > 0) {
    console.error(`\nrunning ${found.length} generator(s) × ${rounds} round(s) of ${seconds} s…`);
    peers = await runPeers(s, found, target, seconds, rounds);
    console.log(`\n## Closed loop, ${CONCURRENCY} connections, median of ${rounds} round(s)\n`);
    console.log(peersTable(peers.rows));
    if (!peers.rows.some((r) => r.generator === "wrk" && r.runs > 0)) {
      console.log("\n(÷ wrk: n/a — wrk was not measured in this invocation)");
    }
  }

  const wrk = peers.rows.find((r) => r.generator === "wrk" && r.runs > 0);
  const openLoop = await openLoopSection(s, options, target, found, wrk?.reqPerCpuSecond ?? null);
  if (s.stopping) return 130;
  const path = await writeResults("peers", {
    startedAt: new Date().toISOString(),
    host: { kernel, cpus: availableParallelism(), deno: Deno.version.deno },
    target: { description: target.description, body: target.body },
    pinning: s.pinning,
    cpuMethod: "cutime+cstime of a wrapper sh from /proc/<pid>/stat",
    durationS: seconds,
    openLoopDurationS: options.openSeconds,
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
}

/** Runs the benchmark; resolves to the exit code. */
async function main(): Promise<number> {
  const options = parseFlags(Deno.args);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const s = await createSession({ noPin: options.noPin });
  session = s;
  await writeGeneratorFiles(s.scratchDir);

  const onSignal = () => {
    if (s.stopping) return;
    s.stopping = true;
    console.error("\ninterrupted: stopping the generator and the target");
    cleanup().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);

  try {
    const target = await startTarget(s, options.target);
    stopTarget = target.stop;
    const kernel = (await $`uname -sr`.noThrow().text()).trim();
    printHeader(s, target, kernel);
    if (options.memory) return await memoryMode(s, options, target);
    return await compareMode(s, options, target, kernel);
  } finally {
    if (!s.stopping) await cleanup();
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
