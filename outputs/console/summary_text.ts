/**
 * The end-of-test summary as plain text for a terminal or a CI log. The verdict comes first
 * because a CI log is read from wherever the reader lands; then whether the planned load was
 * actually delivered (a latency figure means little if it was not), then errors, timings,
 * endpoints, thresholds and checks, and last whether the generator itself can be trusted.
 *
 * Every line fits `width` columns (80 by default), styled or not.
 *
 * @example
 * ```ts
 * import { renderSummary } from "./summary_text.ts";
 * import type { Summary } from "../../core/summary/schema.ts";
 * declare const summary: Summary;
 * console.log(renderSummary(summary, { color: !Deno.noColor }));
 * ```
 *
 * @module
 */
import type { Summary } from "../../core/summary/schema.ts";
import { formatDuration } from "../../core/units.ts";
import {
  checksBlock,
  customMetricsBlock,
  endpointsBlock,
  errorsBlock,
  sectionsBlock,
  statusesBlock,
  thresholdsBlock,
  timingsBlock,
} from "./_summary_tables.ts";
import { fitLine, type Paint, painter, type Style, truncateMiddle, wrap } from "./_text.ts";
import { formatBytes, formatPercent, formatRate, groupInt, percentOf } from "../_numbers.ts";

/** Width of a CI log line; also the default. */
export const DEFAULT_WIDTH = 80;

/** How to render a summary. */
export interface SummaryTextOptions {
  /** Emit ANSI colours. The caller decides (TTY, NO_COLOR, --no-color). */
  color: boolean;
  /**
   * Maximum line width in columns. Tables drop their least important columns to fit, and
   * anything still too long is cut with an ellipsis; 10 at the least. @default 80
   */
  width?: number;
}

const KV = 15;

/** Renders the whole summary; lines never exceed the width, even with colour codes. */
export function renderSummary(s: Summary, opts: SummaryTextOptions): string {
  const width = Math.max(10, opts.width ?? DEFAULT_WIDTH);
  const paint = painter(opts.color);
  const requests = requestCount(s);
  const blocks: string[][] = [
    [...verdictLines(s, width, paint), ...runBlock(s, width)],
    loadBlock(s, width, paint),
    [...errorsBlock(s, requests, width, paint), ...statusesBlock(s, requests, paint)],
    timingsBlock(s, width, paint),
    sectionsBlock(s, width, paint),
    customMetricsBlock(s, width, paint),
    endpointsBlock(s, width, paint),
    thresholdsBlock(s, width, paint),
    checksBlock(s, width, paint),
    healthBlock(s, width, paint),
  ];
  return blocks.filter((b) => b.length > 0)
    .map((b) => b.map((l) => fitLine(l, width)).join("\n"))
    .join("\n\n") + "\n";
}

/**
 * Only the verdict, for `--quiet` runs: what a script or a CI step needs to know, with the
 * same mark and colour as the full summary's first line.
 */
export function renderVerdict(s: Summary, opts: SummaryTextOptions): string {
  const width = Math.max(10, opts.width ?? DEFAULT_WIDTH);
  return verdictLines(s, width, painter(opts.color)).map((l) => fitLine(l, width)).join("\n") +
    "\n";
}

function verdictLines(s: Summary, width: number, paint: Paint): string[] {
  const [mark, style]: [string, Style] = s.run.status === "interrupted"
    ? ["■", "yellow"]
    : s.verdict.passed
    ? ["✓", "green"]
    : ["✗", "red"];
  const out = wrap(s.verdict.summary, width, `${mark} `, "  ").map((l) =>
    paint("bold", paint(style, l))
  );
  // Said at once, next to pass/fail, not only at the bottom under generator health.
  const w = s.verdict.warning;
  if (w) out.push(...wrap(w, width, "! ", "  ").map((l) => paint("bold", paint("yellow", l))));
  return out;
}

/** Requests made, counted from statuses when the counter is missing (older summaries). */
function requestCount(s: Summary): number {
  const m = s.metrics.http_reqs;
  if (m?.type === "counter") return m.count;
  return Object.values(s.statuses).reduce((a, b) => a + b, 0);
}

function kv(label: string, value: string): string {
  return ("  " + label).padEnd(KV) + value;
}

function runBlock(s: Summary, width: number): string[] {
  const started = s.run.startedAt.replace("T", " ").replace(/\.\d+Z$/, "Z");
  const seg = s.run.segment.count > 1
    ? ` · segment ${s.run.segment.index + 1}/${s.run.segment.count}`
    : "";
  const out = ["run".padEnd(KV) + `${formatDuration(s.run.durationMs)} from ${started}${seg}`];
  // Why the run had the load threads it had (auto decides from the planned load).
  const why = s.run.config.workersReason;
  if (typeof why === "string") out.push(`  ${truncateMiddle(why, width - 2)}`);
  for (const sc of s.scenarios) {
    const head = `  ${truncateMiddle(sc.name, 24)}: ${sc.executor}`;
    const room = width - head.length - 3;
    out.push(sc.target && room >= 10 ? `${head} → ${truncateMiddle(sc.target, room)}` : head);
  }
  return out;
}

function loadBlock(s: Summary, width: number, paint: Paint): string[] {
  const l = s.load;
  const out = [paint("bold", "load")];
  // Each rate says what it counts: requests and iterations differ as soon as an iteration
  // makes more than one request, and only iterations are offered.
  const requests = l.requests ?? requestCount(s);
  const reqRate = l.requestRate ??
    (s.run.durationMs > 0 ? requests / (s.run.durationMs / 1000) : 0);
  out.push(kv("requests", `${groupInt(requests)} at ${formatRate(reqRate)}`));
  const started = `${groupInt(l.started)} started · ${formatRate(l.achievedRate)} achieved`;
  // Wrapped, not cut: the reason there is no offered rate is the point of the line.
  const iterations = (text: string) => wrap(text, width, kv("iterations", ""), " ".repeat(KV));
  if (l.offeredRate !== null) {
    const ratio = l.offeredRate > 0 ? ` (${formatPercent(l.achievedRate / l.offeredRate)})` : "";
    out.push(...iterations(`${started} of ${formatRate(l.offeredRate)} offered${ratio}`));
  } else if (s.scenarios.some((sc) => sc.offeredRate != null)) {
    out.push(...iterations(`${started} (VU scenarios offer no rate: see below)`));
  } else {
    const vus = s.scenarios.reduce((n, sc) => n + sc.peakVUs, 0);
    out.push(...iterations(`${started} (closed loop, ${vus} VUs: no offered rate)`));
  }
  if (s.scenarios.length > 1) out.push(...scenarioRateLines(s, width));
  const arrivals = l.started + l.dropped;
  const dropped = kv(
    "dropped",
    l.dropped > 0
      ? `${groupInt(l.dropped)} iterations (${percentOf(l.dropped, arrivals)} of arrivals)`
      : "0 iterations",
  );
  out.push(l.dropped > 0 ? paint("yellow", dropped) : dropped);
  out.push(kv(
    "interrupted",
    `${groupInt(l.interrupted)} iterations` + (l.interrupted ? " (cut off at graceful stop)" : ""),
  ));
  const data = dataLine(s);
  if (data) out.push(kv("data", data));
  const note = l.note ??
    (!l.delivered && l.planned !== null
      ? `The planned load was not delivered: ${groupInt(l.started)} of ${
        groupInt(l.planned)
      } planned iterations started.`
      : null);
  if (note) {
    for (const line of wrap(note, width, "  ! ", "    ")) {
      out.push(paint("bold", paint("yellow", line)));
    }
  }
  return out;
}

/** One line per scenario: offered (or why none), achieved iterations/s and requests/s. */
function scenarioRateLines(s: Summary, width: number): string[] {
  const nameW = Math.min(18, Math.max(...s.scenarios.map((sc) => sc.name.length)));
  return s.scenarios.map((sc) => {
    const offered = sc.offeredRate === undefined
      ? null
      : sc.offeredRate === null
      ? "VUs, no offered rate"
      : `${formatRate(sc.offeredRate)} offered`;
    const parts = [
      ...(offered ? [offered] : []),
      ...(sc.achievedRate !== undefined ? [`${formatRate(sc.achievedRate)} iterations`] : []),
      ...(sc.requestRate !== undefined ? [`${formatRate(sc.requestRate)} requests`] : []),
    ];
    if (parts.length === 0) parts.push(`${groupInt(sc.started)} iterations`);
    const head = "    " + truncateMiddle(sc.name, nameW).padEnd(nameW) + "  ";
    return head + truncateMiddle(parts.join(" · "), Math.max(10, width - head.length));
  });
}

function dataLine(s: Summary): string | null {
  const part = (metric: string, verb: string): string | null => {
    const m = s.metrics[metric];
    if (m?.type !== "counter") return null;
    return `${formatBytes(m.count)} ${verb} (${formatBytes(m.rate)}/s)`;
  };
  const parts = [part("data_sent", "sent"), part("data_received", "received")]
    .filter((p) => p !== null);
  return parts.length ? parts.join(" · ") : null;
}

function healthBlock(s: Summary, width: number, paint: Paint): string[] {
  const h = s.health;
  const out = [paint("bold", "generator health")];
  const spin = h.timingSpin >= 0.05
    ? ` (${Math.round(h.timingSpin * 100)}% waiting on the schedule)`
    : "";
  const facts = `cpu ${Math.round(h.cpu * 100)}% of a core${spin} · scheduler lag p99 ${
    formatDuration(h.schedulerLag.p99)
  } · event loop lag p99 ${formatDuration(h.eventLoopLag.p99)}`;
  out.push(...wrap(facts, width, "  ", "  "));
  const why = h.reasons.length ? ` (${h.reasons.join("; ")})` : "";
  const [text, mark, style]: [string, string, Style] = h.verdict === "trustworthy"
    ? ["results trustworthy", "✓", "green"]
    : h.verdict === "saturated"
    ? [`generator saturated: latencies include generator delay${why}`, "✗", "red"]
    : h.verdict === "coordinated-omission"
    ? [`closed loop hid stalls (coordinated omission)${why}`, "!", "yellow"]
    : [`load not delivered${why}`, "!", "yellow"];
  for (const line of wrap(text, width, `  ${mark} `, "    ")) out.push(paint(style, line));
  for (const n of h.notes ?? []) {
    for (const l of wrap(n, width, "    ", "    ")) out.push(paint("dim", l));
  }
  for (const w of s.workers ?? []) {
    const state = w.lost ? paint("red", `LOST: ${w.reason ?? "no reason"}`) : "ok";
    const line = `worker ${w.index}: ${Math.round(w.achievedRate * 10) / 10}/s delivered · ` +
      `scheduler lag p99 ${formatDuration(w.lagP99)} · ${w.dropped} dropped · ${state}`;
    out.push(...wrap(line, width, "  ", "    "));
  }
  return out;
}
