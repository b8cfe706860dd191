/**
 * The self-contained HTML report: verdict and thresholds first, then the configuration,
 * charts of offered vs achieved rate, latency percentiles with threshold lines, errors, VUs
 * and the latency distribution, and tables per endpoint, scenario, group and check. One file,
 * no network at view time.
 *
 * @example
 * ```ts
 * import { renderHtmlReport } from "./outputs/html/mod.ts";
 * import { SummarySchema } from "./core/summary/schema.ts";
 * const summary = SummarySchema.parse(JSON.parse(await Deno.readTextFile("rampa-summary.json")));
 * await Deno.writeTextFile("report.html", await renderHtmlReport(summary));
 * ```
 *
 * @module
 */
export { createHtmlOutput, renderHtmlReport, writeHtmlReport } from "./html_output.ts";
export { MAX_CHART_POINTS } from "./_chart_data.ts";
