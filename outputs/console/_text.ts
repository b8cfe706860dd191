/**
 * Private text helpers of the console output: ANSI styling, width-aware truncation and
 * wrapping, and the coarse clock of the progress line. The number formats it shares with the
 * other text outputs live one level up, in outputs/_numbers.ts.
 *
 * @module
 */

/** The few ANSI styles the console output uses. */
export type Style = "bold" | "dim" | "red" | "green" | "yellow";

const CODES: Record<Style, string> = {
  bold: "1",
  dim: "2",
  red: "31",
  green: "32",
  yellow: "33",
};

const ESC = "\u001b";
const RESET = `${ESC}[0m`;
// Built from a string so the escape character is not a control character in a regex literal.
const ANSI = new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, "g");
const ANSI_AT = new RegExp(ANSI.source, "y");

/** Applies a style, or nothing: callers never branch on colour themselves. */
export type Paint = (style: Style, text: string) => string;

/** A painter that styles text only when `color` is on (NO_COLOR is the caller's business). */
export function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => text === "" ? text : `${ESC}[${CODES[style]}m${text}${RESET}`;
}

/** Removes ANSI escape sequences, to measure or compare what a reader sees. */
export function stripAnsi(s: string): string {
  return s.replace(ANSI, "");
}

/** Columns a string occupies (code points of the visible text; no East Asian widths). */
export function visibleLength(s: string): number {
  let n = 0;
  for (const _ of stripAnsi(s)) n++;
  return n;
}

/**
 * Truncates a possibly styled line to `width` columns with a trailing ellipsis. The last
 * line of defence for the width promise: escape sequences are copied, never cut in half.
 */
export function fitLine(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  let out = "";
  let seen = 0;
  let styled = false;
  for (let i = 0; i < line.length;) {
    if (line[i] === ESC) {
      ANSI_AT.lastIndex = i;
      const hit = ANSI_AT.exec(line);
      if (hit) {
        out += hit[0];
        styled = true;
        i += hit[0].length;
        continue;
      }
    }
    const cp = String.fromCodePoint(line.codePointAt(i)!);
    if (seen === width - 1) break;
    out += cp;
    seen++;
    i += cp.length;
  }
  return out + "…" + (styled ? RESET : "");
}

/** Cuts plain text to `width` columns, keeping the start. */
export function truncateEnd(s: string, width: number): string {
  const cps = Array.from(s);
  if (cps.length <= width) return s;
  if (width <= 1) return "…".slice(0, width);
  return cps.slice(0, width - 1).join("") + "…";
}

/**
 * Cuts plain text to `width` columns, keeping both ends: endpoint names differ at their
 * start (method, prefix) and their end (the resource), rarely in the middle.
 */
export function truncateMiddle(s: string, width: number): string {
  const cps = Array.from(s);
  if (cps.length <= width) return s;
  if (width <= 1) return "…".slice(0, width);
  const keep = width - 1;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return cps.slice(0, head).join("") + "…" + (tail ? cps.slice(-tail).join("") : "");
}

/**
 * Word-wraps plain text to `width`; continuation lines start with `indent` so a wrapped
 * warning still reads as one item. A word longer than a line is cut, never overflows.
 */
export function wrap(text: string, width: number, first = "", indent = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const sep = empty ? "" : " ";
    if (visibleLength(line) + sep.length + visibleLength(word) <= width) {
      line += sep + word;
      empty = false;
      continue;
    }
    if (!empty) lines.push(line);
    line = indent + truncateEnd(word, Math.max(1, width - visibleLength(indent)));
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Elapsed time as a coarse clock (`12s`, `4m05s`, `1h02m`): progress needs no fractions. */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const two = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
}
