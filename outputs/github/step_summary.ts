/**
 * Renders a summary as the Markdown of a GitHub Actions job summary: what a reviewer needs
 * on the run page without downloading artifacts. The verdict line first, then thresholds,
 * the busiest endpoints, checks and load delivery, so the reason for a red build is on top.
 *
 * @module
 */
import type { Summary } from "../../core/summary/schema.ts";
import { formatDuration } from "../../core/units.ts";
import { formatPercent, formatRate, groupInt, percentOf } from "../_numbers.ts";
import { formatObservedValue } from "../_observed.ts";

/** Endpoints listed before the rest are folded into one "more" line. */
export const TOP_ENDPOINTS = 10;
/** Checks listed before the rest are folded into one "more" line. */
export const TOP_CHECKS = 20;

type Threshold = Summary["thresholds"][number];

/** Escapes plain text for a Markdown table cell; names come from users and URLs. */
export function mdText(s: string): string {
  return s.replace(/\r?\n|\r/g, " ").replace(/[\\`*_[\]<>|~#&]/g, "\\$&");
}

/** A code span that survives a table: pipes escaped, fence longer than any backtick run. */
export function mdCode(s: string): string {
  const text = s.replace(/\r?\n|\r/g, " ").replaceAll("|", "\\|");
  const runs = text.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** The observed value of a threshold in the unit people think in (tags looked through). */
export function formatObserved(t: Threshold, summary: Summary): string {
  return formatObservedValue(summary, t.metric, t.expression, t.observed);
}

/** The threshold's name as the verdict line spells it. */
export function thresholdName(t: Threshold): string {
  return `${t.key ?? t.metric} ${t.expression}`;
}

const HEALTH: Record<Summary["health"]["verdict"], string> = {
  trustworthy: "results trustworthy",
  saturated: "generator saturated: latencies include generator delay",
  "load-not-delivered": "load not delivered",
  "coordinated-omission": "closed loop hid stalls (coordinated omission)",
};

function table(head: string[], align: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |\n`;
  return line(head) + line(align) + rows.map(line).join("");
}

function thresholdsSection(s: Summary): string {
  const md = "#### Thresholds\n\n";
  if (s.thresholds.length === 0) return md + "No thresholds were set.\n\n";
  const rows = s.thresholds.map((t) => {
    const mark = t.status === "ignored" ? "–" : t.passed ? "✓" : "✗";
    const why = !t.passed && t.reason ? ` (${mdText(t.reason)})` : "";
    return [mark, mdCode(thresholdName(t)), mdText(formatObserved(t, s)) + why];
  });
  return md + table(["", "threshold", "observed"], [":-:", "---", "---"], rows) + "\n";
}

function endpointsSection(s: Summary): string {
  if (s.endpoints.length === 0) return "";
  const rows = s.endpoints.slice(0, TOP_ENDPOINTS).map((e) => [
    mdText(e.method),
    mdCode(e.name),
    groupInt(e.requests),
    percentOf(e.failed, e.requests),
    formatDuration(e.duration.p50),
    formatDuration(e.duration.p95),
    formatDuration(e.duration.p99),
  ]);
  const more = s.endpoints.length - TOP_ENDPOINTS;
  return "#### Top endpoints\n\n" +
    table(
      ["method", "name", "requests", "failed", "p50", "p95", "p99"],
      ["---", "---", "--:", "--:", "--:", "--:", "--:"],
      rows,
    ) + (more > 0 ? `\n…and ${groupInt(more)} more endpoints.\n` : "") + "\n";
}

function checksSection(s: Summary): string {
  if (s.checks.length === 0) return "";
  const rows = s.checks.slice(0, TOP_CHECKS).map((c) => {
    const total = c.passes + c.fails;
    return [
      c.fails > 0 ? "✗" : "✓",
      mdText(c.name),
      total > 0 ? formatPercent(c.passes / total) : "-",
      groupInt(c.passes),
      groupInt(c.fails),
    ];
  });
  const more = s.checks.length - TOP_CHECKS;
  return "#### Checks\n\n" +
    table(
      ["", "check", "pass rate", "passes", "fails"],
      [":-:", "---", "--:", "--:", "--:"],
      rows,
    ) +
    (more > 0 ? `\n…and ${groupInt(more)} more checks.\n` : "") + "\n";
}

function loadSection(s: Summary): string {
  const l = s.load;
  const arrivals = l.started + l.dropped;
  const row = [
    l.offeredRate === null ? "none (VUs)" : formatRate(l.offeredRate),
    formatRate(l.achievedRate),
    l.requestRate === undefined ? "–" : formatRate(l.requestRate),
    groupInt(l.started),
    `${groupInt(l.dropped)} (${percentOf(l.dropped, arrivals)})`,
    groupInt(l.interrupted),
    l.delivered ? "✓" : "✗",
  ];
  return "#### Load delivery\n\n" +
    table(
      [
        "offered iterations/s",
        "achieved iterations/s",
        "requests/s",
        "started",
        "dropped",
        "interrupted",
        "delivered",
      ],
      ["--:", "--:", "--:", "--:", "--:", "--:", ":-:"],
      [row],
    ) + (l.note ? `\n> ${mdText(l.note)}\n` : "") + "\n";
}

/** The whole job-summary Markdown of a run. */
export function renderStepSummary(s: Summary): string {
  const icon = s.verdict.passed ? "✅" : "❌";
  const reqs = s.metrics.http_reqs?.type === "counter" ? s.metrics.http_reqs.count : null;
  const scenarios = s.scenarios.map((c) => `${mdCode(c.name)} (${mdText(c.executor)})`);
  const facts = [
    formatDuration(s.run.durationMs),
    ...(reqs === null ? [] : [`${groupInt(reqs)} requests`]),
    ...(scenarios.length
      ? [`${scenarios.length > 1 ? "scenarios" : "scenario"} ${scenarios.join(", ")}`]
      : []),
    `generator: ${mdText(HEALTH[s.health.verdict])}`,
  ];
  return `### ${icon} rampa: ${mdText(s.verdict.summary)}\n\n${facts.join(" · ")}\n\n` +
    thresholdsSection(s) + endpointsSection(s) + checksSection(s) + loadSection(s);
}
