/**
 * Runs one reliability case: starts its target, writes its files, mounts its tmpfs, runs the
 * real CLI (and a background one when the case has it), then judges the result. The verdict is
 * a category (pass, hang, crash, leak, lost result, load on bad input, wrong) plus every failed
 * assertion.
 *
 * @module
 */
import { closedPort, type FaultServer, startFaultServer } from "../../tools/testing/faults.ts";
import type { Case } from "./_case.ts";
import {
  categorize,
  type Category,
  errorLine,
  firstLine,
  judge,
  listFiles,
  STACK,
} from "./_judge.ts";
import { ROOT, type RunOutput, sleep, spawnAndWait, within } from "./_spawn.ts";
import { mountTmpfs, umount } from "./_tmpfs.ts";

export { type Category, ROOT };

/** The outcome of one case. */
export interface CaseResult {
  /** The case run. */
  case: Case;
  /** The worst thing that went wrong, or pass/skip. */
  category: Category;
  /** Every failed assertion, one line each. */
  failures: string[];
  /** Exit code (128+n when killed by signal n); null when the runner failed first. */
  code: number | null;
  /** The signal that ended the CLI, if one did. */
  signal: string | null;
  /** Wall time from spawn to exit. */
  wallMs: number;
  /** The first stderr line (or stdout line), for the report. */
  firstLine: string;
  /** Why the case was skipped. */
  skipped?: string;
}

/** Shared across cases: a fixture summary for merge/report cases. */
export interface Shared {
  /** Path of a real run's summary (made on first use), for merge and report cases. */
  fixture(): Promise<string>;
}

/** Runs one case to completion; never throws. */
export async function runCase(c: Case, shared: Shared): Promise<CaseResult> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-rel-" });
  let target: FaultServer | null = null;
  let tmpfs: string | null = null;
  const t0 = performance.now();
  try {
    target = await startFaultServer(c.target ?? "healthy", c.targetOptions);
    const vars: Record<string, string> = {
      url: target.url,
      port: String(target.port),
      closed: String(closedPort()),
      dir,
      scenario: `${dir}/scenario.ts`,
      tmpfs: `${dir}/tmpfs`,
      root: ROOT,
    };
    const fill = (s: string): string => s.replace(/\{(\w+)\}/g, (m, k) => vars[k] ?? m);
    if (c.tmpfs) {
      const why = await mountTmpfs(vars.tmpfs, c.tmpfs.sizeKiB, c.tmpfs.freeKiB);
      if (why) return skip(c, why);
      tmpfs = vars.tmpfs;
    }
    const written = new Set<string>();
    if (c.scenario !== undefined) {
      await Deno.writeTextFile(vars.scenario, fill(c.scenario));
      written.add(vars.scenario);
    }
    for (const [name, spec] of Object.entries(c.files ?? {})) {
      const path = `${dir}/${name}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      let text: string;
      if (typeof spec === "string") text = fill(spec);
      else {
        const base = await Deno.readTextFile(await shared.fixture());
        text = "fixture" in spec ? base : JSON.stringify(spec.fromSummary(JSON.parse(base)));
      }
      await Deno.writeTextFile(path, text);
      written.add(path);
    }

    let other: Promise<RunOutput> | null = null;
    if (c.background) {
      const { args, leadMs } = c.background;
      other = spawnAndWait(
        { ...c, args, signals: [], stdin: undefined, stdout: undefined },
        dir,
        fill,
      );
      await sleep(leadMs);
    }
    const run = await spawnAndWait(c, dir, fill);
    // The background run ends first: the files are judged once both have written theirs.
    const o = other ? await other : null;
    const failures = await judge(c, run, dir, fill, target, written);
    if (o) {
      if (o.timedOut) failures.push({ category: "hang", text: "the background run hung" });
      if (STACK.test(o.stdout + o.stderr) || o.code === 1) {
        failures.push({
          category: "crash",
          text: `the background run crashed: ${errorLine(o.stderr)}`,
        });
      }
    }
    if (tmpfs) {
      const expected = new Set(Object.keys(c.expect.files ?? {}).map(fill));
      for (const f of await listFiles(tmpfs)) {
        if (!expected.has(f) && !f.endsWith("/.filler")) {
          failures.push({ category: "lost", text: `left behind: ${f.replace(dir, "{dir}")}` });
        }
      }
    }
    if (run.leftovers > 0) {
      failures.push({ category: "leak", text: `${run.leftovers} process(es) left running` });
    }
    return {
      case: c,
      category: categorize(failures, run.timedOut),
      failures: failures.map((f) => f.text),
      code: run.code,
      signal: run.signal,
      wallMs: run.wallMs,
      firstLine: errorLine(run.stderr) || firstLine(run.stdout),
    };
  } catch (e) {
    return {
      case: c,
      category: "wrong",
      failures: [`runner error: ${e instanceof Error ? e.message : String(e)}`],
      code: null,
      signal: null,
      wallMs: performance.now() - t0,
      firstLine: "",
    };
  } finally {
    // A fault server that cannot close must not stall the lane: give it 5 s.
    if (target) await within(target.close(), 5_000);
    if (tmpfs) await umount(tmpfs);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function skip(c: Case, why: string): CaseResult {
  return {
    case: c,
    category: "skip",
    failures: [],
    code: null,
    signal: null,
    wallMs: 0,
    firstLine: "",
    skipped: why,
  };
}
