/**
 * `--console-output FILE`, the main thread's side: scenario threads post their console lines
 * on a BroadcastChannel (`cli/worker/console_forward.ts`); this appends them to the file, one
 * line per call (`warn`/`error` marked), in the order they arrive. The path is checked and
 * claimed before any thread starts (the same lock as the summary files), so a typo or a
 * second run on the same file costs nothing.
 *
 * @module
 */
import { ExitCode, RampaError } from "../core/errors.ts";
import { checkWritable, claimPath } from "../outputs/_file_output.ts";
import { CONSOLE_CHANNEL_ENV, type ConsoleLine } from "./worker/console_forward.ts";

/** The open console file of a run. */
export interface ConsoleFile {
  /** Lines written so far. */
  readonly lines: () => number;
  /** Waits for lines still in flight (up to ~2 s), closes the file and the channel. */
  close(): Promise<void>;
}

/** How long the channel must stay quiet before the file is closed, ms. */
const QUIET_MS = 100;
/** Longest wait for lines in flight at the end, ms. */
const MAX_DRAIN_MS = 2000;

/** Opens `path` for the run's scenario console and tells scenario threads to use it. */
export async function openConsoleFile(path: string): Promise<ConsoleFile> {
  await checkWritable(path);
  const release = await claimPath(path);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { write: true, create: true, truncate: true });
  } catch (e) {
    await release();
    throw new RampaError(
      `Cannot write --console-output "${path}": ${e instanceof Error ? e.message : e}`,
      ExitCode.OUTPUT_FAILED,
    );
  }
  const name = `rampa-console-${crypto.randomUUID()}`;
  const channel = new BroadcastChannel(name);
  const encoder = new TextEncoder();
  let count = 0;
  let lastAt = performance.now();
  let failed = false;
  channel.onmessage = (e: MessageEvent<ConsoleLine>) => {
    lastAt = performance.now();
    if (failed) return;
    const { level, text } = e.data;
    const mark = level === "warn" || level === "error" ? `[${level}] ` : "";
    try {
      const bytes = encoder.encode(mark + text + "\n");
      let done = 0;
      while (done < bytes.byteLength) done += file.writeSync(bytes.subarray(done));
      count++;
    } catch (err) {
      failed = true;
      console.error(`! --console-output "${path}": ${(err as Error).message}; lines dropped`);
    }
  };
  Deno.env.set(CONSOLE_CHANNEL_ENV, name);
  return {
    lines: () => count,
    async close() {
      Deno.env.delete(CONSOLE_CHANNEL_ENV);
      // A BroadcastChannel delivers after a thread's other messages: wait for the tail.
      const t0 = performance.now();
      const quiet = () => performance.now() - Math.max(lastAt, t0);
      while (quiet() < QUIET_MS && performance.now() - t0 < MAX_DRAIN_MS) {
        await new Promise((r) => setTimeout(r, 20));
      }
      channel.close();
      try {
        file.close();
      } finally {
        await release();
      }
    },
  };
}
