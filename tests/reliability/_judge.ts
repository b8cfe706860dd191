/**
 * Judges one CLI run against its case's expectations: exit code, a one-line error without a
 * stack trace, no load on bad input, a complete summary, whole output files, no secrets and no
 * raw control characters. Each failed assertion is one line with a category.
 *
 * @module
 */
import { SummarySchema } from "../../core/summary/schema.ts";
import type { FaultServer } from "../../tools/testing/faults.ts";
import type { Case, FileCheck } from "./_case.ts";
import type { RunOutput } from "./_spawn.ts";

/** What went wrong, worst first: a case gets the first category that applies. */
export type Category =
  | "pass"
  | "skip"
  | "hang"
  | "crash"
  | "leak"
  | "lost"
  | "load"
  | "wrong";

/** One failed assertion. */
export interface Failure {
  category: Exclude<Category, "pass" | "skip">;
  text: string;
}

/** A stack-trace line. */
export const STACK = /^\s+at \S/m;
const CRASH = /internal error|panicked at|Stack backtrace|error: Uncaught|^Uncaught /im;

/** Every failed assertion of `run` against `c`. */
export async function judge(
  c: Case,
  run: RunOutput,
  dir: string,
  fill: (s: string) => string,
  target: FaultServer,
  written: Set<string>,
): Promise<Failure[]> {
  const f: Failure[] = [];
  const e = c.expect;
  const codes = Array.isArray(e.exit) ? e.exit : [e.exit];
  const both = run.stdout + "\n" + run.stderr;
  if (run.timedOut) {
    f.push({ category: "hang", text: `hang: killed after ${Math.round(run.wallMs / 1000)} s` });
  }
  if (!run.timedOut && run.code === 1 && !codes.includes(1)) {
    f.push({ category: "crash", text: `exit 1 (internal error): ${firstLine(run.stderr)}` });
  }
  if (!run.timedOut && run.signal && !run.sent.has(run.signal)) {
    f.push({ category: "crash", text: `killed by ${run.signal}` });
  }
  if (STACK.test(both)) f.push({ category: "crash", text: `stack trace: ${stackLine(both)}` });
  else if (CRASH.test(both)) {
    f.push({ category: "crash", text: `crash text: ${CRASH.exec(both)?.[0]}` });
  }
  if (!run.timedOut && !codes.includes(run.code ?? -1)) {
    f.push({
      category: "wrong",
      text: `exit ${run.code}${run.signal ? ` (${run.signal})` : ""}, expected ${
        codes.join("|")
      }: ${firstLine(run.stderr) || firstLine(run.stdout)}`,
    });
  }
  if (e.stderrLine && !e.stderrLine.test(errorLine(run.stderr))) {
    f.push({
      category: "wrong",
      text: `stderr line ${JSON.stringify(errorLine(run.stderr))} !~ ${e.stderrLine}`,
    });
  }
  if (e.stderrNot && e.stderrNot.test(run.stderr)) {
    f.push({ category: "wrong", text: `stderr ~ ${e.stderrNot}: ${errorLine(run.stderr)}` });
  }
  if (e.stdout && !e.stdout.test(run.stdout)) {
    f.push({ category: "wrong", text: `stdout !~ ${e.stdout}: ${firstLine(run.stdout)}` });
  }
  if (e.stderr && !e.stderr.test(run.stderr)) {
    f.push({ category: "wrong", text: `stderr !~ ${e.stderr}: ${firstLine(run.stderr)}` });
  }
  if (e.stdoutNot && e.stdoutNot.test(run.stdout)) {
    f.push({ category: "wrong", text: `stdout ~ ${e.stdoutNot}` });
  }
  if (e.noLoad && (target.requests > 0 || target.connections > 0)) {
    f.push({
      category: "load",
      text: `load on bad input: ${target.connections} connections, ${target.requests} requests`,
    });
  }
  if (e.maxWallMs && run.wallMs > e.maxWallMs) {
    f.push({ category: "wrong", text: `took ${Math.round(run.wallMs)} ms > ${e.maxWallMs} ms` });
  }
  if (e.noControlChars) {
    // deno's NO_COLOR is set: any ESC or C0 control (but tab/newline/CR) came from user input.
    // deno-lint-ignore no-control-regex
    const ctl = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(both);
    if (ctl) {
      f.push({
        category: "leak",
        text: `raw control character 0x${ctl[0].charCodeAt(0).toString(16)} on the terminal`,
      });
    }
  }

  const summaryPath = fill(e.summaryPath ?? "{dir}/rampa-summary.json");
  if (e.summary === "none" && await exists(summaryPath)) {
    f.push({ category: "wrong", text: "a summary was written for a run that should not start" });
  }
  if (e.summary === "complete" && !run.timedOut) {
    const problem = await summaryProblem(summaryPath, run.code, e.summaryMaxBytes);
    if (problem) f.push({ category: "lost", text: `summary: ${problem}` });
  }
  if (e.countsMatch && !run.timedOut && await exists(summaryPath)) {
    const s = await Deno.readTextFile(summaryPath).then(JSON.parse).catch(() => null);
    if (s?.statuses) {
      const ok2xx = Object.entries(s.statuses as Record<string, number>)
        .filter(([k]) => /^2/.test(k)).reduce((a, [, v]) => a + v, 0);
      if (ok2xx !== target.answered) {
        f.push({
          category: "lost",
          text: `the target answered ${target.answered} requests, the summary counts ${ok2xx}`,
        });
      }
    }
  }
  for (const [p, check] of Object.entries(e.files ?? {})) {
    const problem = await fileProblem(fill(p), check);
    if (problem) f.push({ category: "lost", text: `${fill(p).replace(dir, "{dir}")}: ${problem}` });
  }
  if (e.secrets?.length) {
    const texts: [string, string][] = [["stdout", run.stdout], ["stderr", run.stderr]];
    for (const path of await listFiles(dir)) {
      if (written.has(path)) continue;
      try {
        texts.push([path.replace(dir, "{dir}"), await Deno.readTextFile(path)]);
      } catch {
        // unreadable: skip
      }
    }
    for (const secret of e.secrets) {
      for (const [where, text] of texts) {
        if (text.includes(secret)) f.push({ category: "leak", text: `"${secret}" in ${where}` });
      }
    }
  }
  return f;
}

const ORDER: Category[] = ["hang", "crash", "leak", "lost", "load", "wrong"];

/** The worst category among `failures` (a timeout is a hang). */
export function categorize(failures: Failure[], timedOut: boolean): Category {
  if (timedOut) return "hang";
  for (const c of ORDER) if (failures.some((f) => f.category === c)) return c;
  return "pass";
}

async function summaryProblem(
  path: string,
  code: number | null,
  maxBytes?: number,
): Promise<string | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return "missing";
  }
  if (maxBytes && text.length > maxBytes) return `${text.length} bytes > ${maxBytes}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `not JSON (${text.length} bytes, truncated?)`;
  }
  const parsed = SummarySchema.safeParse(json);
  if (!parsed.success) return `invalid: ${parsed.error.issues[0]?.path.join(".")}`;
  const v = parsed.data.verdict.exitCode;
  // 130 and 9 are decided after the summary is written (a signal, a later output failing).
  if (code !== null && code !== 130 && code !== 9 && v !== code) {
    return `verdict exit ${v}, process exit ${code}`;
  }
  return null;
}

async function fileProblem(path: string, check: FileCheck): Promise<string | null> {
  let text: string | null = null;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    text = null;
  }
  if (check === "absent") return text === null ? null : "exists";
  if (text === null) return check === "complete" ? "missing" : null;
  return completeProblem(path, text);
}

function completeProblem(path: string, text: string): string | null {
  if (text.length === 0) return "empty (0 bytes)";
  if (path.endsWith(".json")) {
    try {
      JSON.parse(text);
      return null;
    } catch {
      return `partial JSON (${text.length} bytes)`;
    }
  }
  if (path.endsWith(".html")) return /<\/html>\s*$/i.test(text) ? null : "partial HTML";
  if (path.endsWith(".xml")) return /<\/testsuites>\s*$/.test(text) ? null : "partial XML";
  if (path.endsWith(".csv") || path.endsWith(".txt")) {
    return text.endsWith("\n") ? null : "partial (no final newline)";
  }
  return null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Every regular file under `dir`, recursively. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) out.push(...await listFiles(p));
      else if (e.isFile) out.push(p);
    }
  } catch {
    // vanished
  }
  return out;
}

/** The first non-empty line, trimmed, at most 200 characters. */
export function firstLine(s: string): string {
  return s.split("\n").map((l) => l.trim()).find((l) => l.length > 0)?.slice(0, 200) ?? "";
}

/**
 * The line a user reads as the error: the first `error:` line, else the first line that is
 * not a progress note (`Warming up…`) or a generator-health warning (`! scheduler lag …`,
 * printed when the machine is busy).
 */
export function errorLine(s: string): string {
  const lines = s.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
  return (lines.find((l) => l.startsWith("error:")) ??
    lines.find((l) => !l.startsWith("!") && !/^Warming up/.test(l)) ?? "").slice(0, 200);
}

function stackLine(s: string): string {
  const lines = s.split("\n");
  const i = lines.findIndex((l) => STACK.test(l));
  return (lines[Math.max(0, i - 1)] ?? "").trim().slice(0, 160);
}
