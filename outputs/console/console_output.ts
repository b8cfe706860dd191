/**
 * The console output: a live progress line on stderr while the test runs, warnings the moment
 * something undermines the results, and the summary on stdout at the end. Progress goes to
 * stderr so `rampa run … > summary.txt` captures only the summary.
 *
 * On a terminal the progress line is redrawn in place; in a CI log (not a TTY) a plain line is
 * printed at most every 10 s, so a long run does not bury the summary under thousands of
 * lines. Writes are synchronous: they happen once per tick, off the request path.
 *
 * @example
 * ```ts
 * import { createConsoleOutput } from "./console_output.ts";
 * const out = createConsoleOutput({
 *   color: !Deno.noColor && Deno.stderr.isTerminal(),
 *   quiet: false,
 *   tty: Deno.stderr.isTerminal(),
 * });
 * ```
 *
 * @module
 */
import type { Output, RunInfo, Tick } from "../../core/run/output.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { SATURATION_LAG_P99_MS } from "../../core/summary/build.ts";
import { formatDuration } from "../../core/units.ts";
import { formatProgress, progressFromTick } from "./progress.ts";
import { DEFAULT_WIDTH, renderSummary, renderVerdict } from "./summary_text.ts";
import { fitLine, formatClock, painter } from "./_text.ts";
import { createSummaryFileOutput } from "../_file_output.ts";
import { CONTROL_CHARS, escapeControl } from "../../core/redact.ts";

/** How often a plain (non-TTY) progress line is printed. */
export const PLAIN_PROGRESS_EVERY_MS = 10_000;
/** Least time between two scheduler-lag warnings, so a sustained overload warns, not floods. */
export const LAG_WARNING_EVERY_MS = 10_000;

/** Options of the console output. */
export interface ConsoleOutputOptions {
  /** Emit ANSI colours. The caller applies NO_COLOR and --no-color. */
  color: boolean;
  /** Print no progress and no warnings, and only the verdict line at the end. */
  quiet: boolean;
  /** Whether stderr is a terminal: redraw one line in place instead of printing lines. */
  tty: boolean;
  /**
   * Writer for the summary (stdout). When `writeErr` is not given it also receives progress
   * and warnings, which lets a test capture everything in order.
   * @default a synchronous write to stdout
   */
  write?: (s: string) => void;
  /** Writer for progress and warnings (stderr). @default `write`, else stderr */
  writeErr?: (s: string) => void;
  /** Offered rate (open loop) to show next to the achieved rate; null for closed loop. */
  targetRate?: number | null;
  /**
   * Columns for progress and the summary, fixed. @default progress: the terminal's width on a
   * TTY (100 when it cannot be read), 80 otherwise; summary: stdout's terminal width up to
   * 140, else 80
   */
  width?: number;
  /** Reads the terminal's columns (tests). @default `Deno.consoleSize().columns` */
  columns?: () => number;
}

/** Moves to the start of the line and clears it: the in-place redraw. */
export const CLEAR_LINE = "\r\u001b[2K";

const encoder = new TextEncoder();

let stdoutBroken = false;

/**
 * Writes to stdout; once stdout fails (a closed pipe, `/dev/full`), says so once and goes on
 * on stderr, so the summary is never lost to a broken stdout.
 */
export function stdoutWriter(s: string): void {
  if (!stdoutBroken) {
    try {
      writeAll(Deno.stdout, encoder.encode(s));
      return;
    } catch (e) {
      stdoutBroken = true;
      stderrWriter(
        `! cannot write to stdout (${e instanceof Error ? e.message : e}); ` +
          "the summary follows on stderr\n",
      );
    }
  }
  stderrWriter(s);
}

function stdoutIsTerminal(): boolean {
  try {
    return Deno.stdout.isTerminal();
  } catch {
    return false;
  }
}

/** Writes to stderr synchronously, whole; a failure is dropped (nowhere left to report). */
export function stderrWriter(s: string): void {
  try {
    writeAll(Deno.stderr, encoder.encode(s));
  } catch { /* nowhere left to report to: the files still carry the results */ }
}

// writeSync may write only part of the buffer (a full pipe); loop until all of it is out.
function writeAll(w: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += w.writeSync(bytes.subarray(off));
}

/** Width of the progress line on a terminal whose size cannot be read. */
export const TTY_FALLBACK_WIDTH = 100;
/** Widest summary on a wide terminal: past this, tables only spread out. */
export const MAX_SUMMARY_WIDTH = 140;

/**
 * Columns of the terminal (`Deno.consoleSize()`), or `fallback` when there is none to ask
 * (output redirected, no permission). Read on every tick, so a resized window is followed.
 */
export function terminalColumns(fallback: number): number {
  try {
    const { columns } = Deno.consoleSize();
    return columns >= 20 ? columns : fallback;
  } catch {
    return fallback;
  }
}

/** Creates the console output. */
export function createConsoleOutput(opts: ConsoleOutputOptions): Output {
  const out = opts.write ?? stdoutWriter;
  const err = opts.writeErr ?? opts.write ?? stderrWriter;
  // Progress is as wide as the terminal it is drawn on; a CI log gets the classic 80.
  const progressWidth = (): number =>
    opts.width ??
      (opts.tty ? (opts.columns?.() ?? terminalColumns(TTY_FALLBACK_WIDTH)) : DEFAULT_WIDTH);
  // The summary goes to stdout: as wide as the terminal there (within reason), else 80.
  const width = opts.width ??
    (!opts.write && stdoutIsTerminal()
      ? Math.min(MAX_SUMMARY_WIDTH, terminalColumns(DEFAULT_WIDTH))
      : DEFAULT_WIDTH);
  const paint = painter(opts.color);
  let plannedMs = 0;
  let scenarios: string[] = [];
  /** Progress lines currently drawn in place on the terminal (0 when none). */
  let drawn = 0;
  let lastPlainAt = 0;
  let warnedDropped = false;
  let lastLagWarnAt = -Infinity;

  // Erases the in-place progress block: back up over its lines, clearing each.
  const erase = (): string => {
    if (drawn === 0) return "";
    const up = drawn > 1 ? `\u001b[${drawn - 1}A` : "";
    const clear = Array.from({ length: drawn }, () => CLEAR_LINE).join("\n");
    const back = drawn > 1 ? `\u001b[${drawn - 1}A` : "";
    drawn = 0;
    return up + clear + back;
  };

  // A warning must not be glued to the in-place progress lines: clear them first.
  const warn = (text: string): void => {
    const line = fitLine(paint("yellow", `! ${text}`), progressWidth());
    err(erase() + line + "\n");
  };

  return {
    reportsLast: true,
    describe(): string {
      return "console";
    },

    start(info: RunInfo): void {
      plannedMs = info.plannedDurationMs;
      // Several scenarios get a line each under the overall one.
      scenarios = info.scenarios.length > 1 ? info.scenarios.map((s) => s.name) : [];
    },

    push(tick: Tick): void {
      if (opts.quiet) return;
      const p = progressFromTick(tick, plannedMs, opts.targetRate ?? null);
      if (p.intervalDropped > 0 && !warnedDropped) {
        warnedDropped = true;
        warn("dropped iterations: the target rate is not being delivered");
      }
      if (
        p.lagP99Ms !== null && p.lagP99Ms > SATURATION_LAG_P99_MS &&
        tick.elapsedMs - lastLagWarnAt >= LAG_WARNING_EVERY_MS
      ) {
        lastLagWarnAt = tick.elapsedMs;
        warn(
          `scheduler lag p99 ${formatDuration(p.lagP99Ms)} at ${formatClock(tick.elapsedMs)} ` +
            `(over ${SATURATION_LAG_P99_MS}ms): latencies include generator delay`,
        );
      }
      const lines = (w: number) => [
        formatProgress(p, { color: opts.color, width: w }),
        ...scenarios.map((name) =>
          formatProgress(progressFromTick(tick, plannedMs, null, name), {
            color: opts.color,
            width: w,
            label: name,
          })
        ),
      ];
      if (opts.tty) {
        // One column short: writing the last column makes some terminals wrap early.
        const block = lines(progressWidth() - 1);
        // Back to the block's first line; each line clears itself as it is rewritten.
        const up = drawn > 1 ? `\u001b[${drawn - 1}A` : "";
        err(up + block.map((l) => CLEAR_LINE + l).join("\n"));
        drawn = block.length;
      } else if (tick.elapsedMs - lastPlainAt >= PLAIN_PROGRESS_EVERY_MS) {
        lastPlainAt = tick.elapsedMs;
        err(lines(progressWidth()).join("\n") + "\n");
      }
    },

    stop(raw: Summary): void {
      const clear = erase();
      if (clear) err(clear);
      // Names come from users and servers: none may write control sequences to the terminal.
      const summary = terminalSafe(raw);
      const text = opts.quiet
        ? renderVerdict(summary, { color: opts.color, width })
        : renderSummary(summary, { color: opts.color, width });
      out(text);
    },
  };
}

/**
 * The end-of-test summary as text in a file (`--out console=summary.txt`): no progress, and
 * no colours unless asked for. The path is checked before the run, like every file output.
 */
export function createSummaryTextOutput(
  path: string,
  opts: { quiet?: boolean; color?: boolean; width?: number } = {},
): Output {
  const render = opts.quiet ? renderVerdict : renderSummary;
  const textOptions = { color: opts.color ?? false, width: opts.width ?? DEFAULT_WIDTH };
  return createSummaryFileOutput("console", path, "text summary", (s) => render(s, textOptions));
}

/** A copy of `s` with every string's control characters escaped (see `escapeControl`). */
export function terminalSafe(s: Summary): Summary {
  const json = JSON.stringify(s);
  // JSON writes C0 controls escaped (\b \f \r \u001b …) and C1 ones raw: look for either.
  if (!/\\[bfr]|\\u00(?:0[0-8bcef]|1[0-9a-fA-F]|7[fF])|[\u007f-\u009f]/.test(json)) return s;
  const control = new RegExp(CONTROL_CHARS.source);
  return JSON.parse(
    json,
    (_k, v) => typeof v === "string" && control.test(v) ? escapeControl(v) : v,
  );
}
