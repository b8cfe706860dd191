/**
 * Parsing of the units users type: durations (`500ms`, `2m30s`, `1h`) and rates (`100/s`,
 * `6000/1m`, `500`). Errors say what was given and what was expected.
 *
 * @module
 */
import { ConfigError } from "./errors.ts";

/** Milliseconds per duration unit, for every unit rampa accepts. */
export const UNIT_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  "µs": 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION_PART = /(\d+(?:\.\d+)?)(us|µs|ms|s|m|h|d)/y;

/**
 * Parses a duration into milliseconds. Accepts Go/k6 style compounds (`2m30s`, `1h5m`,
 * `1.5s`, `250ms`) and a bare `0`. A bare number other than 0 is rejected: `30` is ambiguous.
 */
export function parseDuration(text: string, what = "duration"): number {
  const t = text.trim();
  if (t === "0") return 0;
  let total = 0;
  let pos = 0;
  DURATION_PART.lastIndex = 0;
  while (pos < t.length) {
    DURATION_PART.lastIndex = pos;
    const m = DURATION_PART.exec(t);
    if (!m) {
      throw new ConfigError(
        `Cannot parse ${what} "${text}": expected a number and a unit such as 500ms, 30s, 2m30s or 1h`,
      );
    }
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = DURATION_PART.lastIndex;
  }
  if (pos === 0) {
    throw new ConfigError(
      `Cannot parse ${what} "${text}": expected a number and a unit such as 500ms, 30s, 2m30s or 1h`,
    );
  }
  // 400 nines parse as Infinity: a run that never ends is never what was meant.
  if (!(total <= MAX_DURATION_MS)) {
    throw new ConfigError(`Cannot use ${what} "${text}": longer than the maximum of 30 days`);
  }
  return total;
}

/** Longest duration any flag or option accepts (a month of load is already a soak). */
export const MAX_DURATION_MS = 30 * 24 * 3600 * 1000;

/** Highest rate accepted, per second: far above what one host can generate. */
export const MAX_RATE_PER_SECOND = 10_000_000;

/** Formats milliseconds compactly for people: `850µs`, `12.3ms`, `1.52s`, `2m30s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 100) return `${round(ms, ms < 10 ? 2 : 1)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${round(ms / 1000, 2)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${s}s` : `${m}m`;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** A rate: `count` events per `perMs` milliseconds. */
export interface Rate {
  readonly count: number;
  readonly perMs: number;
}

/** Events per second of a rate. */
export function perSecond(r: Rate): number {
  return (r.count * 1000) / r.perMs;
}

/**
 * Parses a rate: `100/s`, `6000/1m`, `5/100ms`, or a bare number meaning per second. The
 * count must be positive; 0 is allowed only where `allowZero`.
 */
export function parseRate(text: string, what = "rate", allowZero = false): Rate {
  const t = text.trim();
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d*(?:\.\d+)?)(us|µs|ms|s|m|h|d))?$/.exec(t);
  if (!m) {
    throw new ConfigError(
      `Cannot parse ${what} "${text}": expected a number and a unit such as 100/s, 6000/1m or 5/100ms`,
    );
  }
  const count = Number(m[1]);
  const per = m[3] ? (m[2] ? Number(m[2]) : 1) * UNIT_MS[m[3]] : 1000;
  if (!(per > 0)) throw new ConfigError(`Cannot parse ${what} "${text}": the period must be > 0`);
  if (!(count > 0) && !(allowZero && count === 0)) {
    throw new ConfigError(`Cannot parse ${what} "${text}": the rate must be greater than 0`);
  }
  // 10/0.0000000000000000000000001ms offers 1e29/s: say so instead of spinning on it.
  if (!(count * 1000 / per <= MAX_RATE_PER_SECOND)) {
    throw new ConfigError(
      `Cannot use ${what} "${text}": above the maximum of ${
        MAX_RATE_PER_SECOND.toLocaleString("en-US")
      }/s`,
    );
  }
  return { count, perMs: per };
}

/**
 * Parses a share such as `1%`, `0.01` or `100%` into 0–1; `what` names the flag in the error
 * (e.g. `--max-dropped`).
 */
export function parseShare(text: string, what: string): number {
  const t = text.trim();
  const pct = t.endsWith("%");
  const n = Number(pct ? t.slice(0, -1) : t) / (pct ? 100 : 1);
  if (!(n >= 0 && n <= 1) || t === "" || t === "%") {
    throw new ConfigError(`Cannot parse ${what} "${t}": expected a share such as 1% or 0.01`);
  }
  return n;
}
