/**
 * The report's stylesheet: light, readable, system fonts only (no network at view time),
 * and a print layout that keeps tables and charts whole.
 *
 * @module
 */

/** The page's CSS (inlined after uPlot's own). */
export const PAGE_CSS = `
:root { --fg: #1f2328; --muted: #656d76; --line: #d8dee4; --bg: #ffffff; --soft: #f6f8fa;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 0 24px 48px; }
h1, h2, h3 { font-weight: 600; line-height: 1.25; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 18px 0 8px; color: var(--muted); text-transform: uppercase;
  letter-spacing: 0.04em; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.verdict { display: flex; gap: 20px; align-items: flex-start; margin: 24px 0 8px; padding: 16px 20px;
  border-radius: 8px; border: 1px solid var(--line); border-left-width: 8px; background: var(--soft); }
.verdict.pass { border-left-color: var(--ok); }
.verdict.fail { border-left-color: var(--bad); }
.verdict .mark { font-size: 26px; font-weight: 700; white-space: nowrap; }
.verdict.pass .mark { color: var(--ok); }
.verdict.fail .mark { color: var(--bad); }
.verdict p { margin: 2px 0; }
.verdict .line { font-size: 16px; font-weight: 500; }
.meta, .note, .empty { color: var(--muted); }
.chip { display: inline-block; margin-top: 6px !important; padding: 1px 10px; border-radius: 999px;
  font-size: 12.5px; border: 1px solid currentColor; }
.chip.ok { color: var(--ok); }
.chip.warn { color: var(--warn); }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { padding: 5px 8px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
thead th { font-weight: 600; color: var(--muted); font-size: 12.5px; background: var(--soft);
  white-space: nowrap; }
tbody tr:hover { background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.kv { width: auto; min-width: 50%; }
table.kv th { font-weight: 500; color: var(--muted); white-space: nowrap; }
.name, .plan { word-break: break-all; }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.muted { color: var(--muted); }
.status { font-size: 12.5px; padding: 0 6px; border-radius: 4px; background: var(--soft); }
.status.failed { color: var(--bad); }
.status.passed { color: var(--ok); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.tile span { display: block; color: var(--muted); font-size: 12px; }
.tile b { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: 1fr; gap: 12px; }
.chart { border: 1px solid var(--line); border-radius: 6px; padding: 8px 8px 4px; min-width: 0; }
.chart h3 { margin: 2px 4px 6px; }
.chart .plot { width: 100%; min-height: 120px; }
.chart p.note { margin: 0 4px 6px; font-size: 12.5px; }
#render-error { color: var(--bad); font-weight: 600; }
.statuses span { white-space: nowrap; }
.reasons { color: var(--warn); }
.notes { color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media (min-width: 1000px) { .charts.two { grid-template-columns: 1fr 1fr; } }
@media print { .chart, table { break-inside: avoid; } main { max-width: none; } }
`;
