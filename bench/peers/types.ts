/**
 * The shapes the peers benchmark passes between its modules: the session, a measured process, the
 * target, a generator and the records that end up in `bench/results/`. No dependencies.
 *
 * The record interfaces keep their field order: it is the key order of the JSON results.
 *
 * @module
 */

/** State of one benchmark invocation, shared by every module that starts processes. */
export interface Session {
  /** Scratch directory for pid files, stat files and summaries; removed at the end. */
  readonly scratchDir: string;
  /** Whether the target runs on CPU 1 and every generator on CPU 0 (`taskset`). */
  readonly pinning: boolean;
  /** Clock ticks per second (`getconf CLK_TCK`), the unit of /proc/<pid>/stat times. */
  readonly clockTicks: number;
  /** Set once SIGINT or SIGTERM arrives: loops start nothing new. */
  stopping: boolean;
  /** Pids of wrappers in progress, killed with their descendants on a signal. */
  readonly active: Set<number>;
  /** A fresh number for scratch file names. */
  nextId(): number;
}

/** Outcome of one measured child process. */
export interface Measured {
  /** Exit code of the tool. */
  code: number;
  /** The tool's standard output. */
  stdout: string;
  /** The tool's standard error. */
  stderr: string;
  /** User CPU-seconds of the tool and the descendants it waited for. */
  userS: number;
  /** System CPU-seconds of the same. */
  sysS: number;
  /** Wall-clock seconds from spawn to exit, seen from here. */
  wallS: number;
}

/** A running HTTP target on 127.0.0.1. */
export interface Target {
  /** Where the generators send their requests. */
  url: string;
  /** What the output and the results call the target. */
  description: string;
  /** The response body at `url`. */
  body: string;
  /** Stops the target and waits for it to exit. */
  stop(): Promise<void>;
}

/** What a generator's own output says about a run. */
export interface Parsed {
  /** Requests completed (responses received). */
  requests: number;
  /** Elapsed seconds as the tool reports them. */
  seconds: number;
  /** Transport errors plus non-2xx/3xx responses, where the tool reports them. */
  errors: number;
}

/** One load generator. */
export interface Generator {
  /** The name in `--only`, the tables and the results. */
  id: string;
  /** How to get it when missing. */
  install: string;
  /**
   * The command line for one run of `seconds` against `url`; `file` is a scratch path for the
   * tool's results and `scratchDir` holds files prepared for the tools.
   */
  argv(url: string, seconds: number, file: string, scratchDir: string): string[];
  /** Reads the run's results. */
  parse(m: Measured, file: string): Promise<Parsed>;
}

/** One generator run. */
export interface RunRecord {
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
  /** Why the run's output could not be read; absent when it could. */
  error?: string;
}

/** Medians of one generator over its rounds. */
export interface PeerRow {
  generator: string;
  /** Rounds whose output could be read. */
  runs: number;
  reqPerSec: number;
  cpuSeconds: number;
  reqPerCpuSecond: number;
  /** `reqPerSec` divided by wrk's; null when wrk was not measured. */
  reqPerSecVsWrk: number | null;
  /** `reqPerCpuSecond` divided by wrk's; null when wrk was not measured. */
  reqPerCpuSecondVsWrk: number | null;
  /** Errors summed over the readable rounds. */
  errors: number;
}

/** One open-loop run of rampa. */
export interface OpenLoopRecord {
  engine: string;
  /** rampa's `--timing` mode. */
  timing: string;
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
  /** Share of a core spent yielding before due times (health.timingSpin). */
  spin: number;
  verdict: string;
  cpuSeconds: number;
  /** Wall-clock seconds of the whole rampa process, start-up and graceful stop included. */
  wallSeconds: number;
}

/** One RSS sample of the rampa process. */
export interface RssSample {
  /** Seconds since the start, to a tenth. */
  t: number;
  /** VmRSS in KiB. */
  rssKiB: number;
}
