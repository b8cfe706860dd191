/**
 * This host's part of a fleet run: `--segment i/N` (0-based), or `--segment auto` from the
 * orchestrator's environment (Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX` with
 * `RAMPA_SEGMENTS=N`; GitLab `parallel:`: `CI_NODE_INDEX`/`CI_NODE_TOTAL`, 1-based), and the
 * shared start instant `--start-at`. The union of every host's segment is the single-host
 * schedule, arrival for arrival (segments stripe, see core/schedule/segment.ts).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { validateSegment } from "../core/schedule/segment.ts";
import { type Segment, WHOLE_RUN } from "../core/types.ts";

/** Most hosts one run may be split over. */
export const MAX_SEGMENTS = 10_000;

/** Parses `--segment`; `env` is the process environment (for `auto`). */
export function parseSegment(
  text: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Segment {
  if (text === undefined) return WHOLE_RUN;
  const t = text.trim();
  if (t === "auto") return autoSegment(env);
  const m = /^(\d+)\/(\d+)$/.exec(t);
  if (!m) {
    throw new ConfigError(
      `Cannot parse --segment "${text}": expected i/N (0-based, e.g. 0/4) or auto`,
    );
  }
  return checked({ index: Number(m[1]), count: Number(m[2]) }, `--segment ${t}`);
}

function checked(seg: Segment, what: string): Segment {
  if (seg.count > MAX_SEGMENTS) {
    throw new ConfigError(`${what}: more than ${MAX_SEGMENTS} segments`);
  }
  const problem = validateSegment(seg);
  if (problem) throw new ConfigError(`${what}: ${problem}`);
  return seg;
}

function autoSegment(env: Readonly<Record<string, string | undefined>>): Segment {
  const whole = (name: string) => {
    const v = env[name];
    if (v === undefined || v === "") return null;
    if (!/^\d+$/.test(v.trim())) {
      throw new ConfigError(`--segment auto: ${name}="${v}" is not a whole number`);
    }
    return Number(v);
  };
  const k8s = whole("JOB_COMPLETION_INDEX");
  if (k8s !== null) {
    const n = whole("RAMPA_SEGMENTS");
    if (n === null) {
      throw new ConfigError(
        "--segment auto: JOB_COMPLETION_INDEX is set but RAMPA_SEGMENTS (the number of hosts) is not",
      );
    }
    return checked({ index: k8s, count: n }, "--segment auto (JOB_COMPLETION_INDEX)");
  }
  const node = whole("CI_NODE_INDEX");
  const total = whole("CI_NODE_TOTAL");
  if (node !== null && total !== null) {
    return checked({ index: node - 1, count: total }, "--segment auto (CI_NODE_INDEX)");
  }
  throw new ConfigError(
    "--segment auto needs JOB_COMPLETION_INDEX and RAMPA_SEGMENTS (Kubernetes Indexed Job) " +
      "or CI_NODE_INDEX and CI_NODE_TOTAL (GitLab parallel); give --segment i/N otherwise",
  );
}

/** Longest a host may wait for `--start-at`: beyond it, the instant is a mistake. */
export const MAX_START_WAIT_MS = 24 * 3600_000;

/**
 * Parses `--start-at` (an RFC 3339 instant with a zone, e.g. `2026-12-03T14:00:00Z`) into
 * epoch ms. An instant already past is accepted (the host starts at once and the summary
 * shows how late); one more than a day ahead is refused.
 */
export function parseStartAt(text: string | undefined, now = Date.now()): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  const ms = rfc3339.test(t) ? Date.parse(t.replace(" ", "T")) : NaN;
  if (!Number.isFinite(ms)) {
    throw new ConfigError(
      `Cannot parse --start-at "${text}": expected an RFC 3339 instant such as 2026-12-03T14:00:00Z`,
    );
  }
  if (ms - now > MAX_START_WAIT_MS) {
    throw new ConfigError(`--start-at ${t} is more than 24 hours ahead`);
  }
  return ms;
}
