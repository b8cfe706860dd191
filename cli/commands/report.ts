/**
 * `rampa report <summary.json> --html <out.html>`: renders a saved summary file as a report,
 * long after the run. The file is validated against the summary schema first, so a damaged or
 * foreign file fails with one line naming the file and the first problem, not a stack trace.
 *
 * @module
 */
import { ConfigError, ExitCode } from "../../core/errors.ts";
import {
  type Summary,
  SUMMARY_SCHEMA,
  SUMMARY_VERSION,
  SummarySchema,
} from "../../core/summary/schema.ts";
import { writeHtmlReport } from "../../outputs/html/mod.ts";
import { parseFlags } from "../flags.ts";

/** Help text for `rampa report --help`. */
export const REPORT_USAGE: string = `Usage: rampa report <summary.json> --html <out.html>

Renders a saved summary file (written by rampa run, e.g. rampa-summary.json) as a report.

Options:
  --html <path>   Write a self-contained HTML report: verdict, thresholds, configuration,
                  charts over time, latency distribution and tables; it needs no network
                  to view
  -h, --help      Show this help
`;

const OPTIONS = {
  html: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** One line, however the underlying message was wrapped. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** Where a zod issue points, as `scenarios[0].plan`. */
function issuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    out += typeof p === "number" ? `[${p}]` : `${out ? "." : ""}${String(p)}`;
  }
  return out || "(top level)";
}

/**
 * Reads and validates a summary file. Every failure is a {@link ConfigError} (exit 2) whose
 * one line names the file and the first problem found.
 */
export async function readSummaryFile(path: string): Promise<Summary> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new ConfigError(
      `Cannot read summary "${path}": ${oneLine(e instanceof Error ? e.message : String(e))}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(
      `Cannot parse summary "${path}": ${
        oneLine(e instanceof Error ? e.message : String(e))
      } (expected a rampa summary JSON file)`,
    );
  }
  const head = (raw ?? {}) as { schema?: unknown; schemaVersion?: unknown };
  if (typeof raw !== "object" || raw === null || head.schema !== SUMMARY_SCHEMA) {
    throw new ConfigError(
      `Invalid summary "${path}": schema is ${
        JSON.stringify(head.schema ?? null)
      }, expected "${SUMMARY_SCHEMA}"`,
    );
  }
  if (head.schemaVersion !== SUMMARY_VERSION) {
    throw new ConfigError(
      `Invalid summary "${path}": schemaVersion is ${
        JSON.stringify(head.schemaVersion ?? null)
      }, this rampa reads version ${SUMMARY_VERSION}`,
    );
  }
  const parsed = SummarySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `Invalid summary "${path}": at ${issuePath(issue.path)}: ${oneLine(issue.message)}`,
    );
  }
  return parsed.data;
}

/** Runs `rampa report`; returns the exit code. */
export async function reportCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags("report", args, OPTIONS, true);
  if (v.help) {
    console.log(REPORT_USAGE);
    return ExitCode.OK;
  }
  if (positionals.length !== 1) {
    throw new ConfigError(
      positionals.length === 0
        ? "Missing summary file: expected rampa report <summary.json> --html <out.html>"
        : `Expected one summary file, got ${positionals.length}: ${
          positionals.map((p) => `"${p}"`).join(", ")
        }`,
    );
  }
  if (!v.html) {
    throw new ConfigError(
      "Missing --html <path>: say where to write the report (see rampa report --help)",
    );
  }
  const summary = await readSummaryFile(positionals[0]);
  await writeHtmlReport(v.html, summary);
  console.error(`HTML report written to ${v.html}`);
  return ExitCode.OK;
}
