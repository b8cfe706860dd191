/**
 * The detail tables of the HTML report: per endpoint, per scenario, per group, per check,
 * errors and statuses, and generator health. Counts come from the summary's breakdowns;
 * latency for a scenario or group is computed exactly from the merged histograms of the
 * snapshot when it can be read.
 *
 * @module
 */
import type { Summary, TrendSummary } from "../../core/summary/schema.ts";
import type { Snapshot } from "../../core/metrics/snapshot.ts";
import { trendOf } from "../../core/summary/describe.ts";
import {
  escapeHtml as e,
  formatInt,
  formatMs,
  formatPercent,
  formatRate,
  section,
  table,
} from "./_format.ts";

/** Most rows in one table; the rest are counted in a note so nothing disappears silently. */
export const MAX_TABLE_ROWS = 500;

const LATENCY_HEAD = ["p50", "p90", "p95", "p99", "max"];

function latencyCells(t: TrendSummary | null): string[] {
  if (!t || t.count === 0) return LATENCY_HEAD.map(() => "–");
  return [t.p50, t.p90, t.p95, t.p99, t.max].map((v) => e(formatMs(v)));
}

function capped<T>(rows: readonly T[]): { rows: readonly T[]; note: string } {
  if (rows.length <= MAX_TABLE_ROWS) return { rows, note: "" };
  return {
    rows: rows.slice(0, MAX_TABLE_ROWS),
    note: `Showing ${MAX_TABLE_ROWS} of ${formatInt(rows.length)} rows.`,
  };
}

/** Right-aligned columns of the endpoints table: the figures, not the names or statuses. */
const ENDPOINT_NUMBERS = new Set([2, 3, 4, 5, 6, 7, 8, 9]);

/** Requests per endpoint (name and method), with failures, statuses and latency. */
export function endpointsSection(s: Summary, chart = ""): string {
  if (s.endpoints.length === 0) return "";
  const { rows, note } = capped(s.endpoints);
  const body = rows.map((x) => [
    `<code>${e(x.method)}</code>`,
    `<span class="name">${e(x.name)}</span>`,
    formatInt(x.requests),
    e(formatRate(x.rate)),
    x.failed ? `<span class="bad">${e(formatPercent(x.failed / (x.requests || 1)))}</span>` : "0%",
    ...latencyCells(x.duration),
    Object.entries(x.statuses).map(([k, v]) => `${e(k)}: ${formatInt(v)}`).join(", ") +
    (Object.keys(x.errors).length
      ? " " + Object.entries(x.errors).map(([k, v]) => `${e(k)}: ${formatInt(v)}`).join(", ")
      : ""),
  ]);
  return section(
    "endpoints",
    "Endpoints",
    table(
      ["method", "name", "requests", "requests/s", "failed", ...LATENCY_HEAD, "statuses"],
      body,
      ENDPOINT_NUMBERS,
    ) + (chart ? "\n" + chart : ""),
    note,
  );
}

/** Sums `value` (counters) or failures (rates) of a metric's breakdown by one tag. */
function sumBy(s: Summary, metric: string, tag: string): Map<string, number> {
  const out = new Map<string, number>();
  const m = s.metrics[metric];
  if (!m || (m.type !== "counter" && m.type !== "rate")) return out;
  for (const b of m.breakdown) {
    const v = b.tags[tag];
    if (v === undefined) continue;
    const n = m.type === "counter" ? b.count : (b as { passes: number }).passes;
    out.set(v, (out.get(v) ?? 0) + n);
  }
  return out;
}

/** Rows of requests, failures and latency per value of `tag`. */
function byTag(s: Summary, snap: Snapshot | null, tag: string, values: readonly string[]) {
  const reqs = sumBy(s, "http_reqs", tag);
  const failed = sumBy(s, "http_req_failed", tag);
  return values.map((v) => {
    const n = reqs.get(v) ?? 0;
    const f = failed.get(v) ?? 0;
    const lat = snap ? trendOf(snap, "http_req_duration", { [tag]: v }) : null;
    return {
      value: v,
      cells: [
        formatInt(n),
        f ? `<span class="bad">${e(formatPercent(f / (n || 1)))}</span>` : "0%",
        ...latencyCells(lat),
      ],
    };
  });
}

/** Load delivery and results per scenario. */
export function scenariosSection(s: Summary, snap: Snapshot | null): string {
  if (s.scenarios.length === 0) return "";
  const rows = byTag(s, snap, "scenario", s.scenarios.map((x) => x.name));
  const body = s.scenarios.map((x, i) => [
    `<b>${e(x.name)}</b>`,
    x.offeredRate === undefined
      ? "–"
      : x.offeredRate === null
      ? '<span class="muted">none (VUs)</span>'
      : e(formatRate(x.offeredRate)),
    x.achievedRate === undefined ? "–" : e(formatRate(x.achievedRate)),
    x.requestRate === undefined ? "–" : e(formatRate(x.requestRate)),
    formatInt(x.started),
    x.dropped ? `<span class="bad">${formatInt(x.dropped)}</span>` : "0",
    formatInt(x.interrupted),
    ...rows[i].cells,
  ]);
  return section(
    "scenarios",
    "Scenarios",
    table(
      [
        "scenario",
        "offered it/s",
        "achieved it/s",
        "requests/s",
        "started",
        "dropped",
        "interrupted",
        "requests",
        "failed",
        ...LATENCY_HEAD,
      ],
      body,
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
    ),
    "Rates over each scenario's own scheduling window; VU scenarios offer no rate.",
  );
}

/** Requests per group (tag `group`; nested groups read `outer::inner`). */
export function groupsSection(s: Summary, snap: Snapshot | null): string {
  const names = new Set<string>();
  for (const metric of ["http_reqs", "http_req_duration"]) {
    for (const b of s.metrics[metric]?.breakdown ?? []) if (b.tags.group) names.add(b.tags.group);
  }
  if (names.size === 0) return "";
  const { rows, note } = capped([...names].sort());
  const body = byTag(s, snap, "group", rows).map((r) => [
    `<span class="name">${e(r.value)}</span>`,
    ...r.cells,
  ]);
  return section(
    "groups",
    "Groups",
    table(["group", "requests", "failed", ...LATENCY_HEAD], body, new Set([1, 2, 3, 4, 5, 6, 7])),
    note,
  );
}

/** Passes and failures per check, with the most frequent failure reasons. */
export function checksSection(s: Summary): string {
  if (s.checks.length === 0) return "";
  const { rows, note } = capped(s.checks);
  const body = rows.map((c) => {
    const total = c.passes + c.fails;
    return [
      c.fails ? '<span class="bad">✗</span>' : '<span class="ok">✓</span>',
      `<span class="name">${e(c.name)}</span>`,
      formatInt(c.passes),
      c.fails ? `<span class="bad">${formatInt(c.fails)}</span>` : "0",
      e(formatPercent(total ? c.passes / total : 0)),
      (c.reasons ?? []).map((r) => `${e(r.reason)} (${formatInt(r.count)})`).join("; "),
    ];
  });
  return section(
    "checks",
    "Checks",
    table(["", "check", "passes", "fails", "passed", "failure reasons"], body, new Set([2, 3, 4])),
    note,
  );
}

/** Transport errors by kind, response statuses and exceptions thrown by scenario code. */
export function errorsSection(s: Summary): string {
  const parts: string[] = [];
  if (s.errors.length) {
    parts.push(table(
      ["error", "count", "example"],
      s.errors.map((x) => [`<code>${e(x.kind)}</code>`, formatInt(x.count), e(x.example)]),
      new Set([1]),
    ));
  }
  const statuses = Object.entries(s.statuses).sort(([a], [b]) => a.localeCompare(b));
  if (statuses.length) {
    parts.push(
      `<p class="statuses">${
        statuses.map(([k, v]) =>
          `<span class="${Number(k) >= 400 || k === "0" ? "bad" : ""}">${
            e(k === "0" ? "no response" : k)
          }: ${formatInt(v)}</span>`
        ).join(" · ")
      }</p>`,
    );
  }
  if (s.iterationErrors.length) {
    parts.push(
      `<h3>Exceptions in scenario code</h3>` + table(
        ["error", "count", "example"],
        s.iterationErrors.map((
          x,
        ) => [`<code>${e(x.kind)}</code>`, formatInt(x.count), e(x.example)]),
        new Set([1]),
      ),
    );
  }
  if (parts.length === 0) return "";
  return section("errors", "Errors and statuses", parts.join("\n"));
}

/**
 * Generator health: CPU, timing spin, scheduler and event-loop lag, drops, the verdict with its
 * reasons, and the notes.
 */
export function healthSection(s: Summary, chart: string): string {
  const h = s.health;
  const rows: [string, string][] = [
    ["verdict", h.verdict],
    ["generator CPU", `${(h.cpu * 100).toFixed(0)}% of one core`],
    ["timing spin", formatPercent(h.timingSpin)],
    [
      "scheduler lag p50 / p99 / max",
      [h.schedulerLag.p50, h.schedulerLag.p99, h.schedulerLag.max]
        .map(formatMs).join(" / "),
    ],
    [
      "event loop lag p50 / p99 / max",
      [
        h.eventLoopLag.p50,
        h.eventLoopLag.p99,
        h.eventLoopLag.max,
      ].map(formatMs).join(" / "),
    ],
    ["dropped iterations", formatInt(s.load.dropped)],
    ["interrupted iterations", formatInt(s.load.interrupted)],
  ];
  const kv = `<table class="kv"><tbody>${
    rows.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join("")
  }</tbody></table>`;
  const reasons = h.reasons.length
    ? `<ul class="reasons">${h.reasons.map((r) => `<li>${e(r)}</li>`).join("")}</ul>`
    : "";
  // Notes (start-up lag, connections opened mid-run, a rehearsal) are not held against the
  // results but a reader of the report must see them as the console's reader does.
  const notes = h.notes?.length
    ? `<ul class="notes">${h.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>`
    : "";
  return section("health", "Generator health", `${kv}${reasons}${notes}\n${chart}`);
}
