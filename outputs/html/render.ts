/**
 * The HTML report's rendering: a run summary as one self-contained HTML file with inline CSS,
 * uPlot inlined from the vendored module, and the chart data embedded as JSON. Nothing is
 * fetched when the file is opened, so a report mailed or archived years later still shows
 * everything. Loaded only by runs that write a report (html_output.ts).
 *
 * What is embedded stays bounded whatever the run's length: time series are merged down to
 * at most {@link MAX_CHART_POINTS} points, the latency distribution is sampled to about a
 * hundred points at render time, and the summary's encoded histograms are never embedded.
 *
 * @module
 */
import { customMetricsSection, protocolSections } from "./_sections_protocols.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { decodeSnapshot, type Snapshot } from "../../core/metrics/snapshot.ts";
import { chartData, MAX_CHART_POINTS, MAX_ENDPOINT_LINES } from "./_chart_data.ts";
import { escapeHtml as e, formatSpan, jsonForScript, section } from "./_format.ts";
import { PAGE_SCRIPT } from "./_page_script.ts";
import { PAGE_CSS } from "./_page_style.ts";
import {
  checksSection,
  endpointsSection,
  errorsSection,
  groupsSection,
  healthSection,
  scenariosSection,
} from "./_sections_tables.ts";
import {
  configSection,
  overviewSection,
  thresholdsSection,
  verdictHeader,
} from "./_sections_top.ts";
import { UPLOT_CSS, UPLOT_JS, UPLOT_VERSION } from "./_vendor_uplot.ts";

export { MAX_CHART_POINTS };

/** A chart's frame: title, an optional note, and the element uPlot draws into. */
function chartBox(id: string, title: string, note = ""): string {
  const n = note ? `<p class="note">${note}</p>` : "";
  return `<div class="chart"><h3>${title}</h3>${n}<div class="plot" id="${id}"></div></div>`;
}

/** Reads the summary's merged snapshot; null (with the reason) when it cannot be decoded. */
function readSnapshot(s: Summary): { snap: Snapshot | null; problem: string } {
  try {
    return { snap: decodeSnapshot(s.snapshot), problem: "" };
  } catch (err) {
    return { snap: null, problem: err instanceof Error ? err.message : String(err) };
  }
}

function timeSections(s: Summary, merged: number): string {
  if (s.timeline.length === 0) {
    return section("charts", "Over time", '<p class="empty">No time series was recorded.</p>');
  }
  const span = s.timeline.length > 1 ? s.timeline[1].dt : s.timeline[0].dt;
  const resolution = `${s.timeline.length} intervals of about ${e(formatSpan(span))}` +
    (merged > 1 ? `, drawn as ${Math.ceil(s.timeline.length / merged)} merged points` : "");
  const offered = s.scenarios.some((x) => x.plan.some((p) => p.rate !== undefined))
    ? "Offered: the planned arrival rate of the arrival-rate scenarios, averaged over each " +
      "interval (closed-loop scenarios plan no rate). "
    : "Closed loop: no arrival rate was planned. ";
  return section(
    "charts",
    "Over time",
    `<div class="charts">
${
      chartBox(
        "chart-rate",
        "Offered vs achieved rate",
        `${offered}Achieved: iterations completed per second, and requests per second (an ` +
          "iteration may make several requests).",
      )
    }
${
      chartBox(
        "chart-latency",
        "Latency percentiles (http_req_duration)",
        "Per interval, log scale; dashed red lines are thresholds. Merged intervals keep their " +
          "highest value.",
      )
    }
<div class="charts two">
${chartBox("chart-errors", "Errors", "Failed requests and dropped arrivals per second.")}
${chartBox("chart-vus", "Virtual users", "Busy VUs at the end of each interval.")}
</div></div>`,
    resolution,
  );
}

function distributionSection(s: Summary, hasData: boolean, problem: string): string {
  if (!hasData) {
    const why = problem ? `Cannot read the histograms: ${e(problem)}` : "No latency was recorded.";
    return section("distribution", "Latency distribution", `<p class="empty">${why}</p>`);
  }
  const dur = s.metrics.http_req_duration;
  const count = dur?.type === "trend" ? dur.count.toLocaleString("en-US") : "?";
  return section(
    "distribution",
    "Latency distribution",
    chartBox(
      "chart-distribution",
      "Latency by percentile",
      `All ${count} requests, from the merged HDR histograms. The x axis is 1/(1−p) on a log ` +
        "scale, so each step right is ten times rarer; latency counts from the scheduled start, " +
        "service time from the actual send.",
    ),
  );
}

/** The per-endpoint latency chart's frame. */
function endpointChart(s: Summary): string {
  const shown = Math.min(s.endpoints.length, MAX_ENDPOINT_LINES);
  const of = s.endpoints.length > shown ? ` (the ${shown} busiest of ${s.endpoints.length})` : "";
  return chartBox(
    "chart-endpoints",
    "Latency by percentile, per endpoint",
    `Each endpoint${of} from its own merged HDR histogram; same axes as the distribution.`,
  );
}

/** Renders a summary as a single self-contained HTML document. */
export function renderHtmlReport(summary: Summary): string {
  const { snap, problem } = readSnapshot(summary);
  const data = chartData(summary, snap);
  const merged = Math.ceil(summary.timeline.length / MAX_CHART_POINTS);
  const names = summary.scenarios.map((x) => x.name).join(", ") || "run";
  const lagChart = summary.timeline.length
    ? chartBox(
      "chart-lag",
      "Scheduler lag p99 over time",
      "How late arrivals started, per interval.",
    )
    : "";
  const body = [
    verdictHeader(summary),
    '<p id="render-error" hidden></p>',
    thresholdsSection(summary),
    overviewSection(summary),
    configSection(summary),
    timeSections(summary, merged),
    distributionSection(summary, data.distribution !== null, problem),
    endpointsSection(summary, data.endpoints !== null ? endpointChart(summary) : ""),
    protocolSections(summary),
    customMetricsSection(summary),
    scenariosSection(summary, snap),
    groupsSection(summary, snap),
    checksSection(summary),
    errorsSection(summary),
    healthSection(summary, lagChart),
  ].filter((x) => x !== "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rampa ${e(summary.tool.version)}">
<title>rampa report: ${e(names)} (${e(summary.run.startedAt)})</title>
<style>${UPLOT_CSS}</style>
<style>${PAGE_CSS}</style>
</head>
<body data-rendered="pending">
<main>
${body.join("\n")}
<footer>Generated by rampa ${
    e(summary.tool.version)
  } from a <code>rampa.summary</code> v${summary.schemaVersion} file. Charts by uPlot ${
    e(UPLOT_VERSION)
  } (MIT License, © Leon Sorokin), embedded.</footer>
</main>
<script type="application/json" id="rampa-data">${jsonForScript(data)}</script>
<script>${UPLOT_JS}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
