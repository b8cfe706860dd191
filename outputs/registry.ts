/**
 * Every output rampa can write, registered the same way: the console, the JSON summary, CSV,
 * HTML, JUnit and the GitHub job summary. A user names one with
 * `--out name=target?option=value&option2=value2` (on `rampa run`, `merge` and `report`), and
 * this map is the single source of truth for what exists: parsing, the error messages and the
 * help text all come from it. A static map: static imports keep `deno compile` honest (every
 * output is in the binary), and adding an exporter means a folder and one entry here.
 *
 * @example
 * ```ts
 * import { createOutput, parseOutputSpec } from "./registry.ts";
 * const spec = parseOutputSpec("csv=metrics.csv?interval=5s");
 * // spec: { name: "csv", target: "metrics.csv", options: { interval: "5s" } }
 * const output = createOutput(spec, {
 *   color: false,
 *   quiet: false,
 *   tty: false,
 *   targetRate: null,
 *   env: Deno.env,
 * });
 * ```
 *
 * @module
 */
import type { Output } from "../core/run/output.ts";
import { ConfigError } from "../core/errors.ts";
import { isSecretName, REDACTED, redactUrl } from "../core/redact.ts";
import { createConsoleOutput, createSummaryTextOutput } from "./console/mod.ts";
import { createCsvOutput, parseCsvOptions } from "./csv/mod.ts";
import { createGithubSummaryOutput, STEP_SUMMARY_VAR } from "./github/mod.ts";
import { createHtmlOutput } from "./html/mod.ts";
import { createJsonOutput, createJsonStdoutOutput, isStdoutTarget } from "./json/mod.ts";
import { stdoutWriter } from "./console/console_output.ts";
import { createJunitOutput } from "./junit/mod.ts";
import { createPrometheusOutput } from "./prometheus/mod.ts";
import { createInfluxOutput } from "./influxdb/mod.ts";
import { createWebhookOutput, WEBHOOK_SECRET_VAR } from "./webhook/mod.ts";
import { createOtlpOutput, parseEncoding } from "./otlp/mod.ts";
import { createStatsdOutput, type StatsdFlavor } from "./statsd/mod.ts";
import { booleanOption, formatOutputSpec, nearestName, splitOutputSpec } from "./_spec.ts";
import { boolFlag, parseStreamOptions, STREAM_OPTION_HELP } from "./_stream.ts";

/** One `--out` value taken apart: `csv=metrics.csv?interval=5s`. */
export interface OutputSpec {
  /** A registered output's name (`csv`). */
  readonly name: string;
  /** What follows `=`, usually a path; empty when none was given. */
  readonly target: string;
  /** The options after `?`, unparsed values (`{ interval: "5s" }`). */
  readonly options: Readonly<Record<string, string>>;
}

/** What the environment tells every output when it is created. */
export interface OutputContext {
  /** Emit ANSI colours on the terminal (the caller applies NO_COLOR, --no-color, the TTY). */
  readonly color: boolean;
  /** `-q`: the console prints only the verdict line and no progress. */
  readonly quiet: boolean;
  /** Whether stderr is a terminal: the console redraws its progress line in place. */
  readonly tty: boolean;
  /** Offered rate (open loop) for the progress line; null for closed loop or no run. */
  readonly targetRate: number | null;
  /** Environment variables (`Deno.env`, or a stub in tests); github reads its path here. */
  readonly env: { get(name: string): string | undefined };
  /** Receives what would go to stdout (tests). @default stdout */
  readonly write?: (text: string) => void;
  /** Receives what would go to stderr (tests). @default `write`, else stderr */
  readonly writeErr?: (text: string) => void;
}

/** A registered output: its help, its rules and how to make it. */
export interface OutputEntry {
  /** The name before `=`. */
  readonly name: string;
  /** One line of help. */
  readonly summary: string;
  /** A complete `--out` value, shown in the help. */
  readonly example: string;
  /** Whether `name=target` must give a target (a path); false when it has a default. */
  readonly needsTarget: boolean;
  /**
   * The options it takes after `?`, each with its help; a help starting with `<…>` names the
   * value (`<duration>`), which the help text shows as `?interval=<duration>`.
   */
  readonly options: Readonly<Record<string, string>>;
  /**
   * Whether it can be written from a saved summary (`rampa merge`, `rampa report`). False
   * for outputs that record each interval while the run goes.
   */
  readonly fromSummary: boolean;
  /** What the target is, for help and messages (`url`, `host:port`). @default "path" */
  readonly targetName?: string;
  /** A note for `rampa run --help` only, e.g. that `--summary` writes this output too. */
  readonly runNote?: string;
  /** Makes the output from a spec already checked by {@link parseOutputSpec}. */
  create(spec: OutputSpec, ctx: OutputContext): Output;
}

const BOOL = "<true|false>";

/** Every output that `--out` accepts, in the order the help lists them. */
export const OUTPUTS: Readonly<Record<string, OutputEntry>> = {
  console: {
    name: "console",
    summary: "live progress, then the summary; with a path, the summary as text",
    example: "console?quiet=true",
    needsTarget: false,
    options: {
      quiet: `${BOOL} only the verdict line, no progress (default: -q)`,
      color: `${BOOL} ANSI colours (default: on a terminal)`,
    },
    fromSummary: true,
    runNote: "always on; a path-less --out console?… replaces it",
    create(spec, ctx) {
      if (spec.target) {
        return createSummaryTextOutput(spec.target, {
          quiet: booleanOption(spec, "quiet", false),
          color: booleanOption(spec, "color", false),
        });
      }
      return createConsoleOutput({
        color: booleanOption(spec, "color", ctx.color),
        quiet: booleanOption(spec, "quiet", ctx.quiet),
        tty: ctx.tty,
        targetRate: ctx.targetRate,
        write: ctx.write,
        writeErr: ctx.writeErr,
      });
    },
  },
  json: {
    name: "json",
    summary: "the summary with its histograms, for rampa merge",
    example: "json=copy.json",
    needsTarget: true,
    options: {},
    fromSummary: true,
    runNote: "also --summary; json=- to stdout",
    create: (spec, ctx) =>
      isStdoutTarget(spec.target)
        ? createJsonStdoutOutput(ctx.write ?? stdoutWriter)
        : createJsonOutput(spec.target),
  },
  csv: {
    name: "csv",
    summary: "one row per interval × metric × tag set",
    example: "csv=metrics.csv?interval=5s",
    needsTarget: true,
    options: {
      interval: "<duration> rows per interval, e.g. 5s (default: 1s)",
    },
    fromSummary: false,
    create: (spec) => createCsvOutput(spec.target, parseCsvOptions(spec.options)),
  },
  html: {
    name: "html",
    summary: "a self-contained HTML report with charts",
    example: "html=report.html",
    needsTarget: true,
    options: {},
    fromSummary: true,
    create: (spec) => createHtmlOutput(spec.target),
  },
  junit: {
    name: "junit",
    summary: "thresholds and checks as JUnit test cases",
    example: "junit=junit.xml",
    needsTarget: true,
    options: {},
    fromSummary: true,
    create: (spec) => createJunitOutput(spec.target),
  },
  github: {
    name: "github",
    summary: `a Markdown job summary (default: $${STEP_SUMMARY_VAR}), ::error annotations`,
    example: "github?annotations=false",
    needsTarget: false,
    options: { annotations: `${BOOL} print the ::error lines (default: true)` },
    fromSummary: true,
    runNote: `automatic when ${STEP_SUMMARY_VAR} is set`,
    create(spec, ctx) {
      const path = spec.target || ctx.env.get(STEP_SUMMARY_VAR);
      if (!path) {
        throw new ConfigError(
          `Missing target in --out "${formatOutputSpec(spec)}": ${STEP_SUMMARY_VAR} is not ` +
            `set, expected github=path`,
        );
      }
      const annotate = booleanOption(spec, "annotations", true);
      const out = ctx.write;
      const write = !annotate ? () => {} : out ? (line: string) => out(line + "\n") : undefined;
      return createGithubSummaryOutput(path, { write });
    },
  },
  prometheus: {
    name: "prometheus",
    targetName: "url",
    summary: "Prometheus remote write 1.0, every interval and at the end",
    example: "prometheus=http://127.0.0.1:9090/api/v1/write?interval=5s",
    needsTarget: true,
    options: {
      ...STREAM_OPTION_HELP,
      testid: "<id> the testid label (default: time-based)",
      native: "<true|false> trends as native histograms (default: false)",
    },
    fromSummary: false,
    create: (spec, ctx) =>
      createPrometheusOutput(spec.target, {
        ...parseStreamOptions("prometheus", spec.options),
        native: boolFlag("prometheus", "native", spec.options.native, false),
        testId: spec.options.testid,
        warn: warnOf(ctx),
      }),
  },
  influxdb: {
    name: "influxdb",
    targetName: "url",
    summary: "InfluxDB line protocol per interval (1.x; 2.x with token=)",
    example: "influxdb=http://127.0.0.1:8086/rampa?interval=5s",
    needsTarget: true,
    options: {
      ...STREAM_OPTION_HELP,
      testid: "<id> the testid tag (default: time-based)",
      token: "<token> InfluxDB 2.x API token (never printed)",
      org: "<org> InfluxDB 2.x organisation",
      bucket: "<bucket> InfluxDB 2.x bucket (default: the URL's path)",
    },
    fromSummary: false,
    create: (spec, ctx) =>
      createInfluxOutput(spec.target, {
        ...parseStreamOptions("influxdb", spec.options),
        testId: spec.options.testid,
        token: spec.options.token,
        org: spec.options.org,
        bucket: spec.options.bucket,
        warn: warnOf(ctx),
      }),
  },
  otlp: {
    name: "otlp",
    targetName: "url",
    summary: "OpenTelemetry metrics over OTLP/HTTP (protobuf or JSON)",
    example: "otlp=http://127.0.0.1:4318/v1/metrics?encoding=json",
    needsTarget: true,
    options: {
      ...STREAM_OPTION_HELP,
      encoding: "<protobuf|json> the request body (default: protobuf)",
      testid: "<id> the rampa.test_id attribute (default: time-based)",
    },
    fromSummary: false,
    create: (spec, ctx) =>
      createOtlpOutput(spec.target, {
        ...parseStreamOptions("otlp", spec.options),
        encoding: parseEncoding(spec.options.encoding),
        testId: spec.options.testid,
        warn: warnOf(ctx),
      }),
  },
  statsd: statsdEntry("statsd"),
  datadog: statsdEntry("datadog"),
  webhook: {
    name: "webhook",
    targetName: "url",
    summary: `POST the summary as JSON, signed when $${WEBHOOK_SECRET_VAR} is set`,
    example: "webhook=https://hooks.example.com/rampa?interval=30s",
    needsTarget: true,
    options: {
      interval: "<duration> also POST each interval (default: summary only)",
      required: STREAM_OPTION_HELP.required,
      testid: "<id> the X-Rampa-Test-Id header (default: time-based)",
    },
    fromSummary: false,
    create: (spec, ctx) =>
      createWebhookOutput(spec.target, {
        ...parseStreamOptions("webhook", spec.options, 0),
        testId: spec.options.testid,
        secret: ctx.env.get(WEBHOOK_SECRET_VAR) || undefined,
        warn: warnOf(ctx),
      }),
  },
};

/** The statsd and datadog entries: one output, two dialects. */
function statsdEntry(flavor: StatsdFlavor): OutputEntry {
  const dd = flavor === "datadog";
  return {
    name: flavor,
    targetName: "host:port",
    summary: dd
      ? "DogStatsD over UDP: counters, gauges, timings, with tags"
      : "StatsD over UDP: counters, gauges, timings (no tags)",
    example: `${flavor}=127.0.0.1:8125?prefix=rampa.`,
    needsTarget: true,
    options: {
      interval: "<duration> how often to send, e.g. 5s (default: 1s)",
      required: STREAM_OPTION_HELP.required,
      prefix: "<text> before every metric name (default: rampa.)",
      ...(dd ? { testid: "<id> the testid tag (default: time-based)" } : {}),
    },
    fromSummary: false,
    create: (spec, ctx) =>
      createStatsdOutput(spec.target, {
        ...parseStreamOptions(flavor, spec.options, 1_000),
        flavor,
        prefix: spec.options.prefix,
        testId: spec.options.testid,
        warn: warnOf(ctx),
      }),
  };
}

/** Where a streaming output says, once, that it is failing. */
function warnOf(ctx: OutputContext): ((line: string) => void) | undefined {
  const err = ctx.writeErr;
  return err ? (line) => err(line + "\n") : undefined;
}

/** The registered names, in help order. */
export function outputNames(): string[] {
  return Object.keys(OUTPUTS);
}

/** The entry of a registered output, or undefined. */
export function outputEntry(name: string): OutputEntry | undefined {
  return Object.hasOwn(OUTPUTS, name) ? OUTPUTS[name] : undefined;
}

/**
 * An `--out` value with its path target passed through `map` (the CLI resolves it from where
 * the user stands). URL and `host:port` targets, path-less values and unknown outputs are
 * returned unchanged, for {@link parseOutputSpec} to judge as given.
 */
export function mapOutputPath(text: string, map: (path: string) => string): string {
  const spec = splitOutputSpec(text);
  const entry = outputEntry(spec.name);
  if (!entry || (entry.targetName ?? "path") !== "path" || !spec.target) return text;
  const target = map(spec.target);
  return target === spec.target ? text : formatOutputSpec({ ...spec, target });
}

/** The problems of a spec against the registry: unknown name, missing target, unknown options. */
function specIssues(spec: OutputSpec): string[] {
  // Messages quote the spec without its secrets (a token in a webhook URL or an option).
  const text = formatOutputSpec({
    ...spec,
    target: spec.target ? redactUrl(spec.target) : spec.target,
    options: Object.fromEntries(
      Object.entries(spec.options).map(([k, v]) => [k, isSecretName(k) ? REDACTED : v]),
    ),
  });
  const names = outputNames();
  const entry = outputEntry(spec.name);
  if (!entry) {
    const near = spec.name ? nearestName(spec.name, names) : null;
    const what = spec.name ? `Unknown output "${spec.name}"` : "Missing output name";
    return [
      `${what} in --out "${text}"${near ? ` (did you mean ${near}?)` : ""}: expected one of ` +
      `${names.join(", ")}, as name=target`,
    ];
  }
  const issues: string[] = [];
  if (entry.needsTarget && !spec.target) {
    issues.push(
      `Missing target in --out "${text}": expected ${entry.name}=${
        entry.targetName ?? "path"
      }, e.g. ${entry.example}`,
    );
  }
  const known = Object.keys(entry.options);
  for (const key of Object.keys(spec.options)) {
    if (known.includes(key)) continue;
    const near = nearestName(key, known);
    const takes = known.length ? `takes ${known.join(", ")}` : "takes no options";
    issues.push(
      `Unknown option "${key}" in --out "${text}"${near ? ` (did you mean ${near}?)` : ""}: ` +
        `${entry.name} ${takes}`,
    );
  }
  return issues;
}

/**
 * Parses one `--out` value, `name=target?option=value&…`, and checks it against the registry.
 * A ConfigError lists every problem: an unknown output (with the known ones and a did-you-mean
 * for a near miss), a missing target where one is required, an unknown option.
 */
export function parseOutputSpec(text: string): OutputSpec {
  const spec = splitOutputSpec(text);
  const issues = specIssues(spec);
  if (issues.length) throw new ConfigError(issues);
  return spec;
}

/**
 * Creates an output from an `--out` value or a spec (checked again, so a hand-made spec gets
 * the same messages). Option values are checked here (`interval=5x` is a ConfigError).
 */
export function createOutput(spec: string | OutputSpec, ctx: OutputContext): Output {
  const parsed = typeof spec === "string" ? parseOutputSpec(spec) : spec;
  if (typeof spec !== "string") {
    const issues = specIssues(parsed);
    if (issues.length) throw new ConfigError(issues);
  }
  return OUTPUTS[parsed.name].create(parsed, ctx);
}

/** A context for outputs made outside a run's CLI: no colours, not a terminal, `Deno.env`. */
export const PLAIN_CONTEXT: OutputContext = {
  color: false,
  quiet: false,
  tty: false,
  targetRate: null,
  env: { get: (name) => Deno.env.get(name) },
};

/**
 * Parses one `--out` value (`json=path`) into an output made in {@link PLAIN_CONTEXT}. One
 * parameter, so it can be handed to `map`; {@link createOutput} takes a context.
 */
export function createOutputFromFlag(spec: string): Output {
  return createOutput(spec, PLAIN_CONTEXT);
}

/** Options of {@link outputsHelp}. */
export interface OutputsHelpOptions {
  /**
   * List only what a saved summary can feed (`rampa merge`, `rampa report`), without the notes
   * about `rampa run`.
   * @default false
   */
  readonly fromSummary?: boolean;
}

const COLUMN = 23;
const WIDTH = 92;

/** `label` padded to the help column (or to `indent`), then `text` wrapped under it. */
function helpLine(label: string, text: string, indent = COLUMN): string[] {
  const lines: string[] = [];
  let line = label.length + 2 > indent ? label + "  " : label.padEnd(indent);
  const start = line.length;
  for (const word of text.split(" ")) {
    if (line.length > start && line.length + word.length > WIDTH) {
      lines.push(line.trimEnd());
      line = " ".repeat(indent);
    }
    line += word + " ";
  }
  lines.push(line.trimEnd());
  return lines;
}

/** A shell needs `?` quoted (zsh refuses an unmatched glob). */
function shellWord(s: string): string {
  return /[?&*[\]]/.test(s) ? `'${s}'` : s;
}

/**
 * The outputs' help, from the registry: one entry per output with its options, then examples.
 * Lines are indented by two spaces; the caller adds the heading.
 */
export function outputsHelp(opts: OutputsHelpOptions = {}): string {
  const entries = Object.values(OUTPUTS).filter((e) => !opts.fromSummary || e.fromSummary);
  const lines: string[] = [];
  for (const e of entries) {
    const t = e.targetName ?? "path";
    const usage = e.needsTarget ? `  ${e.name}=${t}` : `  ${e.name}[=${t}]`;
    const note = e.runNote && !opts.fromSummary ? ` (${e.runNote})` : "";
    lines.push(...helpLine(usage, e.summary + note));
    for (const [key, help] of Object.entries(e.options)) {
      const m = /^(<[^>]*>)\s*(.*)$/.exec(help);
      const label = `${" ".repeat(COLUMN)}?${key}=${m ? m[1] : "…"}`;
      lines.push(...helpLine(label, m ? m[2] : help, COLUMN + 4));
    }
  }
  lines.push("  Examples:");
  for (const e of entries) lines.push(`    --out ${shellWord(e.example)}`);
  return lines.join("\n");
}
