/**
 * Runs the real CLI for one case: in its own process group (setsid) so a hang is killed whole,
 * stdout and stderr captured as they arrive so signals can wait for a line, a hard timeout,
 * and a count of processes the CLI left behind.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { RAMPA_RUN_FLAGS } from "../../tools/rampa_task.ts";
import type { Case } from "./_case.ts";

/**
 * The checkout whose CLI runs: this repository, or `RELIABILITY_ROOT` (e.g. an export of HEAD,
 * to tell rampa's bugs from a work tree in the middle of a change).
 */
export const ROOT: string = (() => {
  const dir = Deno.env.get("RELIABILITY_ROOT");
  return dir ? dir.replace(/\/?$/, "/") : fileURLToPath(new URL("../../", import.meta.url));
})();
const MAIN = ROOT + "cli/main.ts";
const CONFIG = ROOT + "deno.json";
const DEFAULT_TIMEOUT_MS = 20_000;
const MAX_CAPTURE = 2 << 20;

/** What one CLI run did. */
export interface RunOutput {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  wallMs: number;
  /** Signals the runner sent. */
  sent: Set<string>;
  /** Processes still in the CLI's process group after it exited (killed then). */
  leftovers: number;
}

/** Collects a stream's text as it arrives, so signals can wait for a line. */
class Capture {
  text = "";
  #waiters: (() => void)[] = [];
  done: Promise<void>;
  constructor(stream: ReadableStream<Uint8Array> | null) {
    this.done = (async () => {
      if (!stream) return;
      const dec = new TextDecoder();
      try {
        for await (const chunk of stream) {
          if (this.text.length < MAX_CAPTURE) this.text += dec.decode(chunk, { stream: true });
          for (const w of this.#waiters.splice(0)) w();
        }
      } catch {
        // the process was killed
      }
    })();
  }
  changed(): Promise<void> {
    return new Promise((r) => this.#waiters.push(r));
  }
}

/** Runs the case's CLI command in `dir` to its end (or its hard timeout). */
export async function spawnAndWait(
  c: Case,
  dir: string,
  fill: (s: string) => string,
): Promise<RunOutput> {
  const deno = [
    Deno.execPath(),
    "run",
    "-A",
    ...RAMPA_RUN_FLAGS,
    "--config",
    CONFIG,
    MAIN,
    ...c.args.map(fill),
  ];
  // setsid: the CLI leads its own process group, so a hang is killed with everything it started.
  const argv = c.stdout === "/dev/full"
    ? ["sh", "-c", 'exec "$@" >/dev/full', "sh", ...deno]
    : deno;
  const env: Record<string, string> = {
    NO_COLOR: "1",
    NO_PROXY: "127.0.0.1,localhost,::1",
    no_proxy: "127.0.0.1,localhost,::1",
    RUST_BACKTRACE: "0",
    TARGET: fill("{url}"),
  };
  for (const [k, v] of Object.entries(c.env ?? {})) env[k] = fill(v);
  const t0 = performance.now();
  const child = new Deno.Command("setsid", {
    args: argv,
    cwd: dir,
    env,
    stdin: c.stdin === undefined ? "null" : "piped",
    stdout: c.stdout === "/dev/full" ? "null" : "piped",
    stderr: "piped",
  }).spawn();
  if (c.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(c.stdin)).catch(() => {});
    await w.close().catch(() => {});
  }
  const out = new Capture(c.stdout === "/dev/full" ? null : child.stdout);
  const err = new Capture(child.stderr);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const timeoutMs = c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timedOut = false;
  let stuck: ReturnType<typeof setTimeout> | undefined;
  const reaped = new Promise<Deno.CommandStatus>((resolve) => {
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      // Should the status never arrive after SIGKILL, stop waiting for it.
      stuck = setTimeout(() => resolve({ success: false, code: 137, signal: "SIGKILL" }), 5_000);
    }, timeoutMs);
    status.then((s) => {
      clearTimeout(timer);
      resolve(s);
    });
  });

  const sent = new Set<string>();
  const signals = (async () => {
    for (const step of c.signals ?? []) {
      if (step.after) {
        while (!exited && !step.after.test(out.text + err.text)) {
          await Promise.race([out.changed(), err.changed(), status, sleep(200)]);
        }
      }
      if (step.delayMs) await Promise.race([sleep(step.delayMs), status]);
      if (exited) return;
      try {
        Deno.kill(child.pid, step.name);
        sent.add(step.name);
      } catch {
        // it exited in between
      }
    }
  })();

  const s = await reaped;
  clearTimeout(stuck);
  // Anything the CLI left behind in its group (it should leave nothing) is counted, then goes.
  const leftovers = timedOut ? 0 : await groupSize(child.pid);
  killGroup(child.pid);
  await Promise.all([out.done, err.done, signals]);
  return {
    code: s.code,
    sent,
    leftovers,
    signal: s.signal,
    stdout: out.text,
    stderr: err.text,
    timedOut,
    wallMs: performance.now() - t0,
  };
}

/** How many processes are in process group `pgid` (0 when none or unknown). */
async function groupSize(pgid: number): Promise<number> {
  const r = await new Deno.Command("pgrep", { args: ["-g", String(pgid)], stdout: "piped" })
    .output().catch(() => null);
  if (!r) return 0;
  return new TextDecoder().decode(r.stdout).split("\n").filter((l) => l.trim()).length;
}

function killGroup(pid: number): void {
  try {
    Deno.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Waits for `p`, or `ms` at most, leaving no timer behind. */
export async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p, new Promise((r) => timer = setTimeout(r, ms))]).catch(() => {});
  clearTimeout(timer);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
