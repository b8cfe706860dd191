/**
 * `rampa report <summary.json> --out html=report.html`: renders a saved summary file into any
 * output the registry can write from a summary (HTML, JUnit, JSON, a text summary, a GitHub job
 * summary), long after the run. The file is validated against the summary schema first, so a damaged or
 * foreign file fails with one line naming the file and the first problem, not a stack trace.
 *
 * @module
 */
import { ConfigError, ExitCode, type RampaError } from "../../core/errors.ts";
import {
  type Summary,
  SUMMARY_SCHEMA,
  SUMMARY_VERSION,
  SummarySchema,
} from "../../core/summary/schema.ts";
import { outputsHelp } from "../../outputs/registry.ts";
import { createSummaryOutputs, deliverSummary } from "../../outputs/standard.ts";
import { parseFlags } from "../flags.ts";
import { MAX_SUMMARY_BYTES, readTextFileBounded } from "../read_file.ts";
import { impossibleValue } from "./merge.ts";

/** Help text for `rampa report --help`. */
export const REPORT_USAGE: string = `Usage: rampa report <summary.json> --out <name=path>…

Renders a saved summary file (written by rampa run or rampa merge, e.g. rampa-summary.json)
into outputs: an HTML report, JUnit XML, a text summary, a GitHub job summary.

Options:
  --out <name=path>   Write this output (repeatable), e.g. --out html=report.html
  --html <path>       The same as --out html=<path> (the older form)
  -h, --help          Show this help

Outputs (--out name=path?option=value):
${outputsHelp({ fromSummary: true })}
`;

const OPTIONS = {
  out: { type: "string", multiple: true },
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
    text = await readTextFileBounded(path, MAX_SUMMARY_BYTES, `summary "${path}"`);
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
  const impossible = impossibleValue(parsed.data);
  if (impossible) throw new ConfigError(`Invalid summary "${path}": ${impossible}`);
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
        ? "Missing summary file: expected rampa report <summary.json> --out html=report.html"
        : `Expected one summary file, got ${positionals.length}: ${
          positionals.map((p) => `"${p}"`).join(", ")
        }`,
    );
  }
  const outs = [...(v.out ?? []), ...(v.html !== undefined ? [`html=${v.html}`] : [])];
  if (outs.length === 0) {
    throw new ConfigError(
      "Missing --out: say what to write, e.g. --out html=report.html (see rampa report --help)",
    );
  }
  // Checked before the summary is read: a typo in --out costs nothing.
  const outputs = createSummaryOutputs({
    outs,
    ctx: {
      color: !Deno.noColor && Deno.stdout.isTerminal(),
      quiet: false,
      tty: false,
      targetRate: null,
      env: Deno.env,
    },
  });
  const summary = await readSummaryFile(positionals[0]);
  const [first, ...more]: RampaError[] = await deliverSummary(outputs, summary);
  for (const failure of more) console.error(`error: ${failure.message}`);
  if (first) throw first;
  for (const out of outputs) {
    if (out.describe() !== "console") console.error(`Wrote ${out.describe()}`);
  }
  return ExitCode.OK;
}
