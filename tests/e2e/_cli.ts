/**
 * Runs the real CLI as a subprocess, from source, exactly as users and CI do.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type Summary, SummarySchema } from "../../core/summary/schema.ts";
import { RAMPA_RUN_FLAGS } from "../../tools/rampa_task.ts";

/** The repository root. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = ROOT + "cli/main.ts";
const CONFIG = ROOT + "deno.json";

/** What a CLI run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for CLI subprocesses: no colours, no proxies for loopback, no backtraces. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NO_COLOR: "1",
    NO_PROXY: "127.0.0.1,localhost,::1",
    no_proxy: "127.0.0.1,localhost,::1",
    RUST_BACKTRACE: "0",
    // `deno task test` sets INIT_CWD for this process; a CLI spawned here stands in its own
    // cwd (cli/user_path.ts), unless a test says otherwise.
    INIT_CWD: "",
    ...extra,
  };
}

/** The argv of `rampa <args>` as the tests run it (for wrappers such as `ip netns exec`). */
export function cliArgv(args: string[]): string[] {
  return [Deno.execPath(), "run", "-A", ...RAMPA_RUN_FLAGS, "--config", CONFIG, MAIN, ...args];
}

/**
 * Starts `rampa <args>` in `cwd` (with `env` added), with the Deno flags of `deno task rampa`;
 * the caller reads output and status.
 */
export function spawnCli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...RAMPA_RUN_FLAGS, "--config", CONFIG, MAIN, ...args],
    cwd,
    env: cliEnv(env),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Runs `rampa <args>` to completion (in a fresh temp dir unless `cwd` is given). */
export async function runCli(
  args: string[],
  cwd?: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const dir = cwd ?? await Deno.makeTempDir({ prefix: "rampa-e2e-" });
  const out = await spawnCli(args, dir, env).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Reads a summary file and validates it against the schema. */
export async function readSummary(path: string): Promise<Summary> {
  return SummarySchema.parse(JSON.parse(await Deno.readTextFile(path)));
}

/** The count of a counter or rate metric in a summary (0 when absent). */
export function count(s: Summary, metric: string): number {
  const m = s.metrics[metric];
  return m && (m.type === "counter" || m.type === "rate") ? m.count : 0;
}
