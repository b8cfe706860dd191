import { deepEqual, equal, match, ok } from "node:assert/strict";
import { parse } from "yaml";
import { type GithubOptions, githubWorkflow } from "../../../cli/fleet/github.ts";
import { type GitlabOptions, gitlabPipeline } from "../../../cli/fleet/gitlab.ts";

const GITHUB: GithubOptions = {
  scenario: "load/checkout.ts",
  hosts: 3,
  leadSeconds: 120,
  version: "v0.2.0",
  runArgs: ["--env", "BASE_URL=http://it's"],
  mergeArgs: ["--threshold", "error_rate: <1%"],
};

// deno-lint-ignore no-explicit-any
type Doc = any;

// deno-lint-ignore no-explicit-any
function step(steps: any[], name: RegExp): any {
  const found = steps.find((s) => name.test(s.name ?? ""));
  ok(found, `no step ${name}`);
  return found;
}

/**
 * A stand-in `rampa` on PATH: logs its arguments and the job summary variable, writes the
 * `--summary` file unless FAKE_WRITE=0, and exits FAKE_CODE. The recipes' shell scripts run
 * for real against it.
 */
async function sandbox(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-fleet-ci-" });
  await Deno.mkdir(`${dir}/bin`);
  await Deno.writeTextFile(
    `${dir}/bin/rampa`,
    [
      "#!/bin/sh",
      'printf "%s\\n" "$@" > "$FAKE_LOG"',
      'echo "step-summary=[${GITHUB_STEP_SUMMARY-unset}]" >> "$FAKE_LOG"',
      'prev=""',
      'for a in "$@"; do',
      '  if [ "$prev" = "--summary" ] && [ "${FAKE_WRITE:-1}" = 1 ]; then echo "{}" > "$a"; fi',
      '  prev="$a"',
      "done",
      'exit "${FAKE_CODE:-0}"',
    ].join("\n") + "\n",
  );
  await Deno.chmod(`${dir}/bin/rampa`, 0o755);
  return {
    dir,
    env: { PATH: `${dir}/bin:${Deno.env.get("PATH")}`, FAKE_LOG: `${dir}/rampa.log` },
  };
}

/** Runs a script as the CI systems do (bash, stop on the first error); returns the exit code. */
async function bash(script: string, cwd: string, env: Record<string, string>): Promise<number> {
  const out = await new Deno.Command("bash", {
    args: ["-e", "-c", script],
    cwd,
    env,
    stdout: "null",
    stderr: "null",
  }).output();
  return out.code;
}

async function rampaLog(dir: string): Promise<string[]> {
  return (await Deno.readTextFile(`${dir}/rampa.log`)).trimEnd().split("\n");
}

Deno.test("github workflow parses and has a plan job, a matrix of N and a merge job", () => {
  const yaml = githubWorkflow(GITHUB);
  const wf: Doc = parse(yaml);
  deepEqual(Object.keys(wf.jobs), ["plan", "segment", "merge"]);
  deepEqual(wf.on, { workflow_dispatch: {} });
  equal(wf.jobs.plan.outputs["start-at"], "${{ steps.plan.outputs.start-at }}");
  const seg = wf.jobs.segment;
  equal(seg.needs, "plan");
  deepEqual(seg.strategy.matrix.index, [0, 1, 2]);
  equal(seg.strategy["fail-fast"], false);
  const run = step(seg.steps, /^Run segment/);
  deepEqual(run.env, {
    SEGMENT: "${{ matrix.index }}/3",
    INDEX: "${{ matrix.index }}",
    START_AT: "${{ needs.plan.outputs.start-at }}",
  });
  equal(step(seg.steps, /^Upload/).with.name, "rampa-summary-${{ matrix.index }}");
  const merge = wf.jobs.merge;
  equal(merge.needs, "segment");
  equal(merge.if, "${{ !cancelled() }}");
  equal(step(merge.steps, /^Download/).with.pattern, "rampa-summary-*");
  match(
    step(merge.steps, /^Merge/).run,
    /rampa merge rampa-summaries\/summary-\*\.json --out json=rampa-summary\.json --out html=rampa-report\.html --out github --threshold 'error_rate: <1%'/,
  );
  match(
    step(seg.steps, /^Install/).run,
    /releases\/download\/v0\.2\.0\/install\.sh \| sh -s -- --version v0\.2\.0/,
  );
});

Deno.test("github workflow with an image runs both jobs in it and installs nothing", () => {
  const wf: Doc = parse(
    githubWorkflow({ ...GITHUB, image: "ghcr.io/acme/rampa-shell:1", version: undefined }),
  );
  deepEqual(wf.jobs.segment.container, { image: "ghcr.io/acme/rampa-shell:1" });
  deepEqual(wf.jobs.merge.container, { image: "ghcr.io/acme/rampa-shell:1" });
  ok(!JSON.stringify(wf).includes("install.sh"));
});

Deno.test("github plan step prints an RFC 3339 instant the lead ahead", async () => {
  const { dir } = await sandbox();
  const wf: Doc = parse(githubWorkflow(GITHUB));
  const before = Math.floor(Date.now() / 1000);
  const code = await bash(wf.jobs.plan.steps[0].run, dir, {
    PATH: Deno.env.get("PATH")!,
    GITHUB_OUTPUT: `${dir}/out`,
  });
  equal(code, 0);
  const line = (await Deno.readTextFile(`${dir}/out`)).trim();
  const m = line.match(/^start-at=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/);
  ok(m, line);
  const at = Date.parse(m[1]) / 1000;
  ok(at >= before + 120 && at <= before + 125, `${m[1]} is not 120 s ahead`);
});

Deno.test("github segment step runs its segment and succeeds whatever the segment's verdict", async () => {
  const { dir, env } = await sandbox();
  const run = step(parse(githubWorkflow(GITHUB)).jobs.segment.steps, /^Run segment/).run;
  const stepEnv = {
    ...env,
    SEGMENT: "1/3",
    INDEX: "1",
    START_AT: "2026-12-03T14:00:00Z",
    GITHUB_STEP_SUMMARY: `${dir}/step-summary.md`,
    FAKE_CODE: "3",
  };
  equal(await bash(run, dir, stepEnv), 0);
  deepEqual(await rampaLog(dir), [
    "run",
    "load/checkout.ts",
    "--segment",
    "1/3",
    "--start-at",
    "2026-12-03T14:00:00Z",
    "--summary",
    "summary-1.json",
    "--env",
    "BASE_URL=http://it's",
    // The segment writes no job summary of its own: its thresholds saw a share of the load.
    "step-summary=[]",
  ]);
  await Deno.remove(`${dir}/summary-1.json`);
  equal(await bash(run, dir, { ...stepEnv, FAKE_CODE: "2", FAKE_WRITE: "0" }), 1);
});

Deno.test("github merge step refuses a partial run and exits with the merged verdict", async () => {
  const { dir, env } = await sandbox();
  const run = step(parse(githubWorkflow(GITHUB)).jobs.merge.steps, /^Merge/).run;
  await Deno.mkdir(`${dir}/rampa-summaries`);
  for (const i of [0, 1]) {
    await Deno.writeTextFile(`${dir}/rampa-summaries/summary-${i}.json`, "{}");
  }
  equal(await bash(run, dir, env), 10);
  await Deno.stat(`${dir}/rampa.log`).then(() => ok(false, "rampa ran"), () => {});
  await Deno.writeTextFile(`${dir}/rampa-summaries/summary-2.json`, "{}");
  equal(await bash(run, dir, { ...env, FAKE_CODE: "3" }), 3);
  const args = await rampaLog(dir);
  deepEqual(args.slice(0, 4), [
    "merge",
    "rampa-summaries/summary-0.json",
    "rampa-summaries/summary-1.json",
    "rampa-summaries/summary-2.json",
  ]);
});

const GITLAB: GitlabOptions = { scenario: "load/checkout.ts", hosts: 3, leadSeconds: 60 };

Deno.test("gitlab pipeline parses and has parallel: N between a plan and a merge job", () => {
  const p: Doc = parse(gitlabPipeline(GITLAB));
  deepEqual(p.stages, ["rampa-plan", "rampa-load", "rampa-merge"]);
  equal(p["rampa-plan"].artifacts.reports.dotenv, "rampa-plan.env");
  const seg = p["rampa-segment"];
  equal(seg.parallel, 3);
  deepEqual(seg.needs, ["rampa-plan"]);
  equal(seg.image, "debian:stable-slim");
  match(seg.before_script.join("\n"), /latest\/download\/install\.sh \| sh/);
  deepEqual(seg.artifacts.paths, ["summary-*.json"]);
  const merge = p["rampa-merge"];
  deepEqual(merge.needs, [{ job: "rampa-segment", artifacts: true }]);
  equal(merge.when, "always");
  equal(merge.artifacts.reports.junit, "rampa-junit.xml");
  match(
    merge.script.join("\n"),
    /rampa merge rampa-summaries\/summary-\*\.json .*--out junit=rampa-junit\.xml/,
  );
});

Deno.test("gitlab pipeline with an image clears its entrypoint and installs nothing", () => {
  const p: Doc = parse(gitlabPipeline({ ...GITLAB, image: "registry.example/rampa:1" }));
  deepEqual(p["rampa-segment"].image, { name: "registry.example/rampa:1", entrypoint: [""] });
  equal(p["rampa-segment"].before_script, undefined);
});

Deno.test("gitlab segment job turns the 1-based CI_NODE_INDEX into a 0-based segment", async () => {
  const p: Doc = parse(gitlabPipeline(GITLAB));
  const script = p["rampa-segment"].script.join("\n");
  for (const [node, segment] of [["1", "0/3"], ["3", "2/3"]]) {
    const { dir, env } = await sandbox();
    const stepEnv = {
      ...env,
      CI_NODE_INDEX: node,
      CI_NODE_TOTAL: "3",
      RAMPA_START_AT: "2026-12-03T14:00:00Z",
    };
    equal(await bash(script, dir, stepEnv), 0);
    const args = await rampaLog(dir);
    deepEqual(args.slice(0, 8), [
      "run",
      "load/checkout.ts",
      "--segment",
      segment,
      "--start-at",
      "2026-12-03T14:00:00Z",
      "--summary",
      `summary-${Number(node) - 1}.json`,
    ]);
  }
});

Deno.test("gitlab plan and merge scripts run: dotenv instant, summaries gathered and judged", async () => {
  const { dir, env } = await sandbox();
  const p: Doc = parse(gitlabPipeline(GITLAB));
  equal(await bash(p["rampa-plan"].script.join("\n"), dir, env), 0);
  match(
    await Deno.readTextFile(`${dir}/rampa-plan.env`),
    /^RAMPA_START_AT=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/,
  );
  for (const i of [0, 1, 2]) await Deno.writeTextFile(`${dir}/summary-${i}.json`, "{}");
  equal(await bash(p["rampa-merge"].script.join("\n"), dir, { ...env, FAKE_CODE: "0" }), 0);
  equal((await rampaLog(dir))[0], "merge");
  await Deno.stat(`${dir}/rampa-summaries/summary-2.json`);
});
