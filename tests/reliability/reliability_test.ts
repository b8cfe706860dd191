/**
 * The fault and bad-input suite (issue 14): every case of `cases/` runs the real CLI as a
 * subprocess, a few at a time, each under a hard timeout. A case marked `knownFailing` still
 * runs and is reported apart (an ignored step saying what it does today, or FIXED); every other
 * case must pass. The table at the end counts cases, clear errors, hangs, crashes, lost results
 * and leaks.
 *
 * Environment: `RELIABILITY_FILTER=<regex>` runs matching cases only; `RELIABILITY_CONCURRENCY`
 * (default 3); `RELIABILITY_REPORT=<path>` also writes the known-failing list as Markdown;
 * `RELIABILITY_STRICT=1` fails on a known-failing case that now passes.
 *
 * @module
 */
import { CASES } from "./cases/mod.ts";
import type { Case } from "./_case.ts";
import { type CaseResult, type Category, ROOT, runCase, type Shared } from "./_runner.ts";
import { RAMPA_RUN_FLAGS } from "../../tools/rampa_task.ts";
import { startFaultServer } from "../../tools/testing/faults.ts";

const filter = Deno.env.get("RELIABILITY_FILTER");
const concurrency = Number(Deno.env.get("RELIABILITY_CONCURRENCY") ?? 3);
const selected = filter ? CASES.filter((c) => new RegExp(filter).test(c.name)) : CASES;

Deno.test({
  name: `reliability: ${selected.length} fault and bad-input cases end cleanly`,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    checkNames(CASES);
    const shared = createShared();
    const t0 = performance.now();
    const results = await pool(selected, concurrency, async (c) => {
      const r = await runCase(c, shared);
      console.log(progressLine(r));
      return r;
    });
    await shared.dispose();
    const wall = (performance.now() - t0) / 1000;

    for (const r of results) {
      const c = r.case;
      if (r.category === "skip") {
        await t.step({ name: `${c.name} (skipped: ${r.skipped})`, ignore: true, fn() {} });
      } else if (c.knownFailing) {
        const now = r.category === "pass" ? "FIXED, remove knownFailing" : r.category;
        const strict = Deno.env.get("RELIABILITY_STRICT") === "1" && r.category === "pass";
        await t.step({
          name: `${c.name} [known failing: ${c.knownFailing}] → ${now}`,
          ignore: !strict,
          fn() {
            throw new Error(`"${c.name}" passes now: remove its knownFailing`);
          },
        });
      } else {
        await t.step(c.name, () => {
          if (r.category !== "pass") {
            throw new Error(`${r.category}:\n  ${r.failures.join("\n  ")}`);
          }
        });
      }
    }
    console.log(table(results, wall));
    const report = Deno.env.get("RELIABILITY_REPORT");
    if (report) await Deno.writeTextFile(report, markdown(results, wall));
  },
});

/** Runs `f` over `items`, at most `n` at a time, keeping the order of `items`. */
async function pool<T, R>(items: readonly T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, n) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  });
  await Promise.all(lanes);
  return out;
}

function checkNames(cases: readonly Case[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`duplicate case name: ${c.name}`);
    seen.add(c.name);
  }
}

/** The fixture summary merge and report cases start from: one real 1 s run, made once. */
function createShared(): Shared & { dispose(): Promise<void> } {
  let made: Promise<string> | null = null;
  let dir: string | null = null;
  return {
    fixture() {
      made ??= (async () => {
        dir = await Deno.makeTempDir({ prefix: "rampa-rel-fixture-" });
        const target = await startFaultServer("healthy");
        try {
          const out = await new Deno.Command(Deno.execPath(), {
            args: [
              "run",
              "-A",
              ...RAMPA_RUN_FLAGS,
              "--config",
              ROOT + "deno.json",
              ROOT + "cli/main.ts",
              ...["run", target.url, "--rate", "20/s", "-d", "1s", "-q"],
            ],
            cwd: dir,
            env: { NO_COLOR: "1", NO_PROXY: "127.0.0.1", RUST_BACKTRACE: "0" },
            stdout: "null",
            stderr: "piped",
          }).output();
          if (!out.success) {
            throw new Error(`fixture run failed: ${new TextDecoder().decode(out.stderr)}`);
          }
        } finally {
          await target.close();
        }
        return `${dir}/rampa-summary.json`;
      })();
      return made;
    },
    async dispose() {
      await made?.catch(() => {});
      if (dir) await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

const MARK: Record<Category, string> = {
  pass: "ok  ",
  skip: "skip",
  hang: "HANG",
  crash: "CRSH",
  leak: "LEAK",
  lost: "LOST",
  load: "LOAD",
  wrong: "FAIL",
};

function progressLine(r: CaseResult): string {
  const kf = r.case.knownFailing ? " (known failing)" : "";
  const why = r.category === "pass" || r.category === "skip"
    ? (r.skipped ?? "")
    : r.failures[0] ?? "";
  return `${MARK[r.category]} ${(r.wallMs / 1000).toFixed(1).padStart(5)}s  ${r.case.name}${kf}${
    why ? `: ${why}` : ""
  }`;
}

interface Tally {
  cases: number;
  clear: number;
  hangs: number;
  crashes: number;
  lost: number;
  leaks: number;
  load: number;
  wrong: number;
  skipped: number;
}

function tally(results: CaseResult[]): Tally {
  const t: Tally = {
    cases: 0,
    clear: 0,
    hangs: 0,
    crashes: 0,
    lost: 0,
    leaks: 0,
    load: 0,
    wrong: 0,
    skipped: 0,
  };
  for (const r of results) {
    if (r.category === "skip") {
      t.skipped++;
      continue;
    }
    t.cases++;
    const exits = r.case.expect.exit;
    const expectsError = (Array.isArray(exits) ? exits : [exits]).every((x) => x !== 0);
    if (r.category === "pass" && expectsError) t.clear++;
    if (r.category === "hang") t.hangs++;
    if (r.category === "crash") t.crashes++;
    if (r.category === "lost") t.lost++;
    if (r.category === "leak") t.leaks++;
    if (r.category === "load") t.load++;
    if (r.category === "wrong") t.wrong++;
  }
  return t;
}

function table(results: CaseResult[], wall: number): string {
  const all = tally(results);
  const known = tally(results.filter((r) => r.case.knownFailing));
  const rest = tally(results.filter((r) => !r.case.knownFailing));
  const cols: [string, keyof Tally][] = [
    ["cases", "cases"],
    ["clear errors", "clear"],
    ["hangs", "hangs"],
    ["crashes", "crashes"],
    ["lost results", "lost"],
    ["leaks", "leaks"],
    ["load on bad input", "load"],
    ["other mismatches", "wrong"],
    ["skipped", "skipped"],
  ];
  const row = (label: string, t: Tally) =>
    label.padEnd(16) + cols.map(([h, k]) => String(t[k]).padStart(h.length + 2)).join("");
  const fixed = results.filter((r) => r.case.knownFailing && r.category === "pass");
  return [
    "",
    `reliability: ${results.length} cases in ${wall.toFixed(0)} s`,
    "".padEnd(16) + cols.map(([h]) => h.padStart(h.length + 2)).join(""),
    row("all", all),
    row("known failing", known),
    row("the rest", rest),
    ...(fixed.length
      ? [
        "known failing that pass now (remove knownFailing):",
        ...fixed.map((r) => `  ${r.case.name}`),
      ]
      : []),
    "",
  ].join("\n");
}

function markdown(results: CaseResult[], wall: number): string {
  const lines = [
    "# Reliability suite: known-failing cases",
    "",
    "```",
    table(results, wall).trim(),
    "```",
    "",
  ];
  const kf = results.filter((r) => r.case.knownFailing);
  lines.push(`## Still failing (${kf.filter((r) => r.category !== "pass").length})`, "");
  for (const r of kf.filter((r) => r.category !== "pass")) {
    lines.push(
      `- **${r.case.name}** — ${r.category}, exit ${r.code ?? r.signal ?? "none"}: ` +
        r.failures.join("; ").replaceAll("\n", " "),
    );
  }
  const fixed = kf.filter((r) => r.category === "pass");
  if (fixed.length) {
    lines.push("", `## Fixed: remove knownFailing (${fixed.length})`, "");
    for (const r of fixed) lines.push(`- ${r.case.name}`);
  }
  const unexpected = results.filter((r) =>
    !r.case.knownFailing && r.category !== "pass" && r.category !== "skip"
  );
  if (unexpected.length) {
    lines.push("", `## Failing and not marked (${unexpected.length})`, "");
    for (const r of unexpected) {
      lines.push(`- **${r.case.name}** — ${r.category}: ${r.failures.join("; ")}`);
    }
  }
  return lines.join("\n") + "\n";
}
