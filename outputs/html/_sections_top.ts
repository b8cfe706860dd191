/**
 * The top of the HTML report: the verdict, the thresholds table, the headline numbers and
 * the run's configuration (options and each scenario's executor and plan). These answer
 * "did it pass, and what exactly was run" before any chart is read.
 *
 * @module
 */
import type { Summary } from "../../core/summary/schema.ts";
import {
  escapeHtml as e,
  formatInt,
  formatMs,
  formatPercent,
  formatRate,
  formatSpan,
  formatValue,
  section,
  table,
} from "./_format.ts";
import { formatInUnit, observedUnit } from "../_observed.ts";

const HEALTH_TEXT: Readonly<Record<Summary["health"]["verdict"], string>> = {
  trustworthy: "generator healthy: results trustworthy",
  saturated: "generator saturated: latencies include generator delay",
  "load-not-delivered": "load not delivered: arrivals were dropped",
  "coordinated-omission": "closed loop hid stalls: corrected latency is far above measured",
};

/** Most plan points listed per scenario before the rest are counted. */
const MAX_PLAN_POINTS = 12;

/** The verdict banner: passed or failed, why, and how the run ended. */
export function verdictHeader(s: Summary): string {
  const v = s.verdict;
  const cls = v.passed ? "pass" : "fail";
  const names = s.scenarios.map((x) => x.name).join(", ");
  const ended = s.run.status === "completed"
    ? "completed"
    : `${s.run.status}${s.run.reason ? `: ${s.run.reason}` : ""}`;
  const health = s.health.verdict === "trustworthy" ? "ok" : "warn";
  return `<header class="verdict ${cls}">
<div class="mark">${v.passed ? "✓ PASSED" : "✗ FAILED"}</div>
<div class="what"><p class="line">${e(v.summary || (v.passed ? "PASSED" : "FAILED"))}</p>
<p class="meta">exit code ${v.exitCode} · run ${e(ended)} · ${e(formatSpan(s.run.durationMs))}` +
    ` · started ${e(s.run.startedAt)} · scenarios: ${e(names || "none")}` +
    ` · rampa ${e(s.tool.version)}</p>
<p class="chip ${health}">${e(HEALTH_TEXT[s.health.verdict])}</p></div>
</header>`;
}

/** An observed value with its unit ("–" when there is none), as every report writes it. */
function observed(s: Summary, metric: string, expression: string, v: number | null): string {
  if (v === null) return "–";
  const unit = observedUnit(s, metric, expression);
  return unit === "ms" ? formatMs(v) : formatInUnit(v, unit);
}

/** The thresholds table: ✓/✗, metric, expression, observed value, status and reason. */
export function thresholdsSection(s: Summary): string {
  if (s.thresholds.length === 0) {
    return section("thresholds", "Thresholds", '<p class="empty">No thresholds were set.</p>');
  }
  const rows = s.thresholds.map((t) => {
    const status = t.status ?? (t.passed ? "passed" : "failed");
    const mark = status === "passed"
      ? '<span class="ok">✓</span>'
      : status === "failed"
      ? '<span class="bad">✗</span>'
      : '<span class="muted">–</span>';
    const reasons: string[] = [];
    if (t.reason) reasons.push(e(t.reason));
    if (t.window) {
      reasons.push(
        `worst ${e(observed(s, t.metric, t.expression, t.window.worst))} over ${
          e(formatSpan(t.window.ms))
        }` +
          ` ending at ${e(formatSpan(t.window.atMs))}`,
      );
    }
    if (t.abortOnFail) reasons.push("abortOnFail");
    return [
      mark,
      `<code>${e(t.key ?? t.metric)}</code>`,
      `<code>${e(t.expression)}</code>`,
      e(observed(s, t.metric, t.expression, t.observed)),
      `<span class="status ${e(status)}">${e(status)}</span>`,
      reasons.join("; "),
    ];
  });
  return section(
    "thresholds",
    "Thresholds",
    table(["", "metric", "expression", "observed", "status", "reason"], rows, new Set([3])),
  );
}

/** The headline numbers: requests, rates, failures, latency, dropped arrivals. */
export function overviewSection(s: Summary): string {
  const reqs = s.metrics.http_reqs;
  const failed = s.metrics.http_req_failed;
  const dur = s.metrics.http_req_duration;
  const count = reqs?.type === "counter" ? reqs.count : 0;
  const requests = s.load.requests ?? count;
  const reqRate = s.load.requestRate ??
    (reqs?.type === "counter" ? reqs.rate : requests / Math.max(0.001, s.run.durationMs / 1000));
  // Each tile names what it counts: requests and iterations differ whenever an iteration
  // makes more than one request, and only iterations are offered.
  const tiles: [string, string][] = [
    ["requests", formatInt(requests)],
    ["requests/s", formatRate(reqRate)],
    ["iterations/s achieved", formatRate(s.load.achievedRate)],
    // VU scenarios offer no rate; with any in the run there is no overall offer either.
    [
      "iterations/s offered",
      s.load.offeredRate !== null ? formatRate(s.load.offeredRate) : "none (VUs)",
    ],
    ["failed", failed?.type === "rate" ? formatPercent(failed.rate) : "–"],
    ["p50 latency", dur?.type === "trend" ? formatMs(dur.p50) : "–"],
    ["p95 latency", dur?.type === "trend" ? formatMs(dur.p95) : "–"],
    ["p99 latency", dur?.type === "trend" ? formatMs(dur.p99) : "–"],
    ["max latency", dur?.type === "trend" ? formatMs(dur.max) : "–"],
    ["dropped arrivals", formatInt(s.load.dropped)],
  ];
  const html = `<div class="tiles">${
    tiles.map(([k, v]) => `<div class="tile"><span>${e(k)}</span><b>${e(v)}</b></div>`).join("")
  }</div>`;
  return section("overview", "Overview", html, s.load.note ? e(s.load.note) : "");
}

/** One scenario's plan as text: `0s 0/s → 30s 500/s`. */
function planText(plan: Summary["scenarios"][number]["plan"]): string {
  const point = (p: (typeof plan)[number]) =>
    `${formatSpan(p.atMs)} ${
      p.rate !== undefined ? formatRate(p.rate) : p.vus !== undefined ? `${p.vus} VUs` : "?"
    }`;
  const shown = plan.slice(0, MAX_PLAN_POINTS).map(point).join(" → ");
  const more = plan.length > MAX_PLAN_POINTS ? ` … (${plan.length - MAX_PLAN_POINTS} more)` : "";
  return shown + more || "–";
}

/** The run's configuration and its scenarios with executor and plan. */
export function configSection(s: Summary): string {
  const scenarios = table(
    ["scenario", "executor", "target", "starts at", "duration", "planned", "peak", "plan"],
    s.scenarios.map((x) => [
      `<b>${e(x.name)}</b>`,
      `<code>${e(x.executor)}</code>`,
      e(x.target ?? "–"),
      e(formatSpan(x.startTimeMs)),
      e(formatSpan(x.plannedDurationMs)),
      x.plannedIterations === null ? "–" : formatInt(x.plannedIterations),
      e(x.peakRate !== null ? formatRate(x.peakRate) : `${x.peakVUs} VUs`),
      `<span class="plan">${e(planText(x.plan))}</span>`,
    ]),
    new Set([3, 4, 5, 6]),
  );
  const entries = Object.entries(s.run.config);
  const config = entries.length
    ? `<table class="kv"><tbody>${
      entries.map(([k, v]) => `<tr><th>${e(k)}</th><td><code>${e(formatValue(v))}</code></td></tr>`)
        .join("")
    }</tbody></table>`
    : '<p class="empty">No options recorded.</p>';
  const seg = s.run.segment.count > 1
    ? `<p class="note">Segment ${s.run.segment.index + 1} of ${s.run.segment.count}.</p>`
    : "";
  return section(
    "config",
    "Configuration",
    `${seg}<h3>Scenarios</h3>\n${scenarios}\n<h3>Options</h3>\n${config}`,
  );
}
