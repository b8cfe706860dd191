/**
 * The HTML report output (`--out html=report.html`, `rampa report --html`). As with the JSON
 * output, the path is checked before any load is sent and a write failure is reported with exit
 * code 9, never swallowed.
 *
 * The renderer (render.ts, with uPlot's 55 KB inlined) is imported by the output's `start`,
 * before any load, and only by runs that write a report: as a static import it cost every
 * `rampa run` ~45 ms of start-up CPU.
 *
 * @module
 */
import type { Output } from "../../core/run/output.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { createSummaryFileOutput, writeOutputFile } from "../_file_output.ts";

type Render = (summary: Summary) => string;

let loading: Promise<Render> | null = null;

function loadRender(): Promise<Render> {
  return loading ??= import("./render.ts").then((m) => m.renderHtmlReport);
}

/** Renders a summary as a single self-contained HTML document. */
export async function renderHtmlReport(summary: Summary): Promise<string> {
  return (await loadRender())(summary);
}

/** Creates the HTML report output writing to `path`. */
export function createHtmlOutput(path: string): Output {
  let render: Render | null = null;
  const out = createSummaryFileOutput("html", path, "HTML report", (s) => render!(s));
  return {
    ...out,
    start: async (info) => {
      render = await loadRender();
      await out.start(info);
    },
    stop: async (summary) => {
      render ??= await loadRender();
      await out.stop(summary);
    },
  };
}

/** Renders `summary` and writes it to `path`; throws a RampaError (exit 9) on failure. */
export async function writeHtmlReport(path: string, summary: Summary): Promise<void> {
  await writeOutputFile(path, await renderHtmlReport(summary), "HTML report");
}
