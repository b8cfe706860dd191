/**
 * The JUnit XML output (`--out junit=path`): thresholds and checks as test cases, the format
 * CI systems (GitLab, Jenkins, Azure DevOps, GitHub test-report actions) already show, so a
 * failed threshold appears next to failed unit tests instead of in a log nobody reads.
 *
 * Layout: `<testsuites>` holding two `<testsuite>`s, `thresholds` and `checks`. Each threshold
 * is a `<testcase name="metric expression" classname="rampa.thresholds">`; each check a
 * `<testcase name="check name" classname="rampa.checks.<scenario>">` (`all` when the check
 * ran in several scenarios). Failures carry `<failure message="…">observed …</failure>`;
 * thresholds ignored for lack of data (`noData: ignore`) are `<skipped/>`.
 *
 * Like the JSON summary, the path is checked before any load is sent and the file is written
 * once, at the end; a write failure is an output failure (exit 9), never swallowed.
 *
 * @module
 */
import type { Output } from "../../core/run/output.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { createSummaryFileOutput, writeOutputFile } from "../_file_output.ts";
import { observedUnit } from "../_observed.ts";

type Threshold = Summary["thresholds"][number];
type Check = Summary["checks"][number];

/** One `<testcase>` before rendering. */
interface Case {
  name: string;
  classname: string;
  failure?: { message: string; body: string };
  skipped?: string;
}

// XML 1.0 forbids most control characters even when escaped; they become U+FFFD.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const TEXT_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const ATTR_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': "&quot;",
  "'": "&apos;",
  // Attribute values are whitespace-normalized by parsers; keep line breaks as references.
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** Escapes character data: names and messages are user text (check names, tag filters). */
export function xmlText(s: string): string {
  return s.replace(INVALID_XML, "\uFFFD").replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]);
}

/** Escapes an attribute value (double-quoted), keeping tabs and line breaks intact. */
export function xmlAttr(s: string): string {
  return s.replace(INVALID_XML, "\uFFFD").replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c]);
}

/** A number as people read it in a CI report: up to 6 significant digits, no exponent. */
function plain(v: number): string {
  return Math.abs(v) >= 1e6 ? String(Math.round(v)) : String(Number(v.toPrecision(6)));
}

/** A share as a percentage with 3 significant digits: 1.34%, 0.0213%. */
function percent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}

/** The observed value with the metric's unit (tags looked through), or "no data". */
function observed(t: Threshold, summary: Summary, v: number | null = t.observed): string {
  if (v === null) return "no data";
  switch (observedUnit(summary, t.metric, t.expression)) {
    case "share":
      return `${plain(v)} (${percent(v)})`;
    case "ms":
      return `${plain(v)} ms`;
    case "bytes":
      return `${plain(v)} bytes`;
    case "per-second":
      return `${plain(v)}/s`;
    default:
      return plain(v);
  }
}

function thresholdCase(t: Threshold, summary: Summary): Case {
  const name = `${t.key ?? t.metric} ${t.expression}`;
  const c: Case = { name, classname: "rampa.thresholds" };
  if (t.status === "ignored") c.skipped = t.reason ?? "ignored";
  else if (!t.passed) {
    const seen = observed(t, summary);
    const why = t.reason && t.reason !== "no data" ? `; ${t.reason}` : "";
    const window = t.window
      ? `\nworst ${plain(t.window.ms / 1000)} s window: ${
        observed(t, summary, t.window.worst)
      } at ${plain(t.window.atMs / 1000)} s`
      : "";
    c.failure = {
      message: `${name} failed: observed ${seen}${why}`,
      body: `observed ${seen}${why}${window}`,
    };
  }
  return c;
}

/** Scenarios each check ran in, from the `checks` series of the merged snapshot. */
function checkScenarios(summary: Summary): Map<string, Set<string>> {
  const by = new Map<string, Set<string>>();
  for (const s of summary.snapshot.series) {
    if (s.metric !== "checks") continue;
    const name = s.tags.check ?? "";
    let set = by.get(name);
    if (!set) by.set(name, set = new Set());
    set.add(s.tags.scenario ?? "");
  }
  return by;
}

function checkCase(c: Check, scenarios: ReadonlySet<string> | undefined): Case {
  const only = scenarios?.size === 1 ? [...scenarios][0] : "";
  const out: Case = { name: c.name, classname: `rampa.checks.${only || "all"}` };
  if (c.fails > 0) {
    const total = c.passes + c.fails;
    const share = percent(c.fails / total);
    const reasons = (c.reasons ?? []).map((r) => `\n${r.count} × ${r.reason}`).join("");
    out.failure = {
      message: `${c.fails} of ${total} failed (${share})`,
      body: `observed ${c.fails} failures in ${total} checks (${share})${reasons}`,
    };
  }
  return out;
}

function renderSuite(name: string, cases: readonly Case[], time: string, stamp: string): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  let xml = `  <testsuite name="${name}" tests="${cases.length}" failures="${failures}" ` +
    `errors="0" skipped="${skipped}" time="${time}" timestamp="${xmlAttr(stamp)}">\n`;
  for (const c of cases) {
    const open = `    <testcase name="${xmlAttr(c.name)}" classname="${xmlAttr(c.classname)}" ` +
      `time="0"`;
    if (c.failure) {
      xml += `${open}>\n      <failure message="${xmlAttr(c.failure.message)}">${
        xmlText(c.failure.body)
      }</failure>\n    </testcase>\n`;
    } else if (c.skipped !== undefined) {
      xml += `${open}>\n      <skipped message="${xmlAttr(c.skipped)}"/>\n    </testcase>\n`;
    } else xml += `${open}/>\n`;
  }
  return xml + "  </testsuite>\n";
}

/** The JUnit XML document of a summary. */
export function renderJunit(summary: Summary): string {
  const thresholds = summary.thresholds.map((t) => thresholdCase(t, summary));
  const scenarios = checkScenarios(summary);
  const checks = summary.checks.map((c) => checkCase(c, scenarios.get(c.name)));
  const all = [...thresholds, ...checks];
  const time = (summary.run.durationMs / 1000).toFixed(3);
  const stamp = summary.run.startedAt;
  return `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="rampa" tests="${all.length}" ` +
    `failures="${all.filter((c) => c.failure).length}" errors="0" ` +
    `skipped="${all.filter((c) => c.skipped !== undefined).length}" time="${time}">\n` +
    renderSuite("thresholds", thresholds, time, stamp) +
    renderSuite("checks", checks, time, stamp) +
    `</testsuites>\n`;
}

/** Creates the JUnit XML output writing to `path`. */
export function createJunitOutput(path: string): Output {
  return createSummaryFileOutput("junit", path, "JUnit report", renderJunit);
}

/** Writes the JUnit report of `summary`; throws a RampaError (exit 9) on failure. */
export function writeJunit(path: string, summary: Summary): Promise<void> {
  return writeOutputFile(path, renderJunit(summary), "JUnit report");
}
