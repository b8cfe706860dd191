/**
 * The release and CI workflows and the composite Action, parsed as YAML (they cannot run here):
 * the release matrix builds the five targets on their own platforms, smoke-tests each binary
 * three ways and only then releases with SHA256SUMS; CI runs .ci/run and `deno task check`; the
 * Action's inputs, outputs and steps are wired. The shell of the steps that can run on this
 * machine runs too: the Action's run step against a stand-in `rampa`, and the release's version
 * and scenario smoke steps against rampa from source.
 *
 * @module
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { parse } from "yaml";
import { RAMPA_RUN_FLAGS } from "../../tools/rampa_task.ts";
import { VERSION } from "../../core/version.ts";
import { ROOT } from "./_compile_graph.ts";

/** A workflow or action step, as far as these tests read it. */
interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  "working-directory"?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** A workflow job. */
interface Job {
  needs?: string | string[];
  "runs-on"?: string;
  container?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: { include: { target: string; runner: string }[] } };
  steps: Step[];
}

/** A workflow file. */
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

/** action.yml. */
interface Action {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

async function load<T>(path: string): Promise<T> {
  return parse(await Deno.readTextFile(ROOT + path)) as T;
}

const RELEASE = await load<Workflow>(".github/workflows/release.yml");
const CI = await load<Workflow>(".github/workflows/ci.yml");
const ACTION = await load<Action>("action.yml");

const PLATFORMS: Record<string, string> = {
  "x86_64-unknown-linux-gnu": "ubuntu-latest",
  "aarch64-unknown-linux-gnu": "ubuntu-24.04-arm",
  // GitHub retired macos-13 on 2025-12-04; macos-15-intel is its Intel macOS image now.
  "x86_64-apple-darwin": "macos-15-intel",
  "aarch64-apple-darwin": "macos-latest",
  "x86_64-pc-windows-msvc": "windows-latest",
};

const BUILD = RELEASE.jobs.build;

/** The Deno version .ci/run installs: the project's one Deno version. */
async function projectDenoVersion(): Promise<string> {
  const m = /^DENO_VERSION=(\S+)$/m.exec(await Deno.readTextFile(`${ROOT}.ci/run`));
  ok(m, ".ci/run sets DENO_VERSION");
  return m[1];
}
const needs = (j: Job) => [j.needs ?? []].flat();
const indexOf = (steps: Step[], pred: (s: Step) => boolean) => steps.findIndex(pred);
const runs = (s: Step, re: RegExp) => re.test(s.run ?? "");

Deno.test("release.yml runs on v* tags and by hand", () => {
  deepEqual((RELEASE.on.push as { tags: string[] }).tags, ["v*"]);
  ok("workflow_dispatch" in RELEASE.on);
});

Deno.test("release.yml builds the five targets, each on a runner of its own platform", async () => {
  const include = BUILD.strategy!.matrix.include;
  deepEqual(Object.fromEntries(include.map((m) => [m.target, m.runner])), PLATFORMS);
  equal(BUILD["runs-on"], "${{ matrix.runner }}");
  const setup = BUILD.steps.find((s) => s.uses?.startsWith("denoland/setup-deno@"));
  ok(setup, "Deno from denoland/setup-deno");
  equal(setup.with?.["deno-version"], "${{ env.DENO_VERSION }}");
  const env = (RELEASE as unknown as { env: Record<string, string> }).env;
  equal(env.DENO_VERSION, `v${await projectDenoVersion()}`);
  ok(BUILD.steps.some((s) => runs(s, /\bDeno\.build\.target\b/)), "the runner's target is checked");
});

Deno.test("every build job stamps the commit, runs deno task compile, then the 3 smoke steps, then packages", () => {
  const steps = BUILD.steps;
  const stamp = indexOf(steps, (s) => runs(s, /> cli\/_build_info\.ts/));
  const compile = indexOf(steps, (s) => runs(s, /^deno task compile$/m));
  const version = indexOf(steps, (s) => runs(s, /"\$RAMPA_BIN" version\b/));
  const demo = indexOf(steps, (s) => runs(s, /"\$RAMPA_BIN" demo\b/));
  const scenario = indexOf(steps, (s) => runs(s, /"\$RAMPA_BIN" run smoke\/smoke_scenario\.ts/));
  const pack = indexOf(steps, (s) => runs(s, /tar -czf|Compress-Archive/));
  const upload = indexOf(steps, (s) => s.uses === "actions/upload-artifact@v4");
  ok(stamp >= 0 && compile > stamp, "the commit is stamped before compiling");
  for (const [name, i] of Object.entries({ version, demo, scenario })) {
    ok(i > compile && i < pack, `smoke step ${name} runs between compile and packaging`);
    equal(steps[i]["working-directory"], "${{ runner.temp }}", `${name} runs outside the repo`);
  }
  ok(upload > pack);
  // The scenario lives outside the repository and imports "rampa" and a relative helper.
  const scenarioRun = steps[scenario].run!;
  match(scenarioRun, /cp "\$REPO_DIR\/tests\/dist\/smoke\/smoke_scenario\.ts"/);
  match(scenarioRun, /serve --port \d+/);
});

Deno.test("the archives are named as install.sh expects", async () => {
  const script = await Deno.readTextFile(ROOT + "install.sh");
  match(script, /t="-\$target\.\$ext"/);
  match(script, /f ~ \/\^rampa-\//);
  const tar = BUILD.steps.find((s) => runs(s, /tar -czf/))!.run!;
  match(tar, /tar -czf "out\/rampa-\$VERSION-\$TARGET\.tar\.gz" -C dist rampa/);
  const zip = BUILD.steps.find((s) => runs(s, /Compress-Archive/))!.run!;
  match(
    zip,
    /-Path dist\/rampa\.exe -DestinationPath "out\/rampa-\$env:VERSION-\$env:TARGET\.zip"/,
  );
});

Deno.test("the release job needs the builds, writes SHA256SUMS and publishes it with notes from CHANGELOG.md", () => {
  const job = RELEASE.jobs.release;
  ok(needs(job).includes("build"), "release needs build");
  equal(job.permissions?.contents, "write");
  const download = job.steps.find((s) => s.uses === "actions/download-artifact@v4");
  equal(download?.with?.pattern, "dist-*");
  const sums = job.steps.find((s) => runs(s, /sha256sum .*> SHA256SUMS/));
  ok(sums, "SHA256SUMS is written");
  match(sums.run!, /-ne 5/);
  equal(sums["working-directory"], download?.with?.path);
  ok(job.steps.some((s) => runs(s, /tools\/changelog_section\.ts CHANGELOG\.md "\$VERSION"/)));
  const publish = job.steps.find((s) => runs(s, /gh release create/));
  ok(publish, "gh release create");
  match(
    publish.run!,
    new RegExp(`${download?.with?.path}/\\*`),
    "uploads every file, SHA256SUMS too",
  );
  match(publish.run!, /--notes-file notes\.md/);
  for (const j of ["release", "container"]) {
    ok(needs(RELEASE.jobs[j]).includes("build"), `${j} waits for the smoke-tested builds`);
  }
});

Deno.test("ci.yml runs .ci/run and deno task check on pushes and pull requests", async () => {
  ok("push" in CI.on && "pull_request" in CI.on);
  const steps = Object.values(CI.jobs).flatMap((j) => j.steps);
  ok(steps.some((s) => s.run?.trim() === "bash .ci/run"));
  ok(steps.some((s) => s.run?.trim() === "deno task check"));
  ok(steps.some((s) => runs(s, /shellcheck -s sh install\.sh/)));
  const setup = steps.find((s) => s.uses?.startsWith("denoland/setup-deno@"));
  equal(setup?.with?.["deno-version"], `v${await projectDenoVersion()}`);
});

Deno.test("action.yml declares its inputs and outputs and wires its steps", () => {
  for (const name of ["version", "script", "url", "args", "upload-report", "working-directory"]) {
    ok(name in ACTION.inputs, `input ${name}`);
    ok(ACTION.inputs[name].description, `input ${name} is described`);
  }
  equal(ACTION.inputs["upload-report"].default, "true");
  equal(ACTION.outputs["exit-code"].value, "${{ steps.run.outputs.exit-code }}");
  equal(ACTION.outputs.report.value, "${{ steps.run.outputs.report }}");
  equal(ACTION.runs.using, "composite");
  const steps = ACTION.runs.steps;
  for (const s of steps.filter((s) => s.run)) {
    ok(s.shell, `${s.name}: composite run steps need shell`);
  }
  const install = steps.findIndex((s) => runs(s, /sh "\$INSTALL_SH"/));
  ok(install >= 0);
  equal(steps[install].env?.INSTALL_SH, "${{ github.action_path }}/install.sh");
  const run = steps.findIndex((s) => s.id === "run");
  ok(run > install);
  match(steps[run].run!, /rampa run "\$what" .* --out html=rampa-report\.html/);
  equal(steps[run]["working-directory"], "${{ inputs.working-directory }}");
  const upload = steps.findIndex((s) => s.uses === "actions/upload-artifact@v4");
  ok(upload > run);
  match(steps[upload].if!, /always\(\)/);
  match(steps[upload].if!, /inputs\.upload-report == 'true'/);
  match(String(steps[upload].with?.path), /rampa-report\.html/);
});

/** Runs a step's script as GitHub's `shell: bash` does, bounded to 60 s. */
async function runStep(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  ok(!script.includes("${{"), "no expressions left in the script");
  const out = await new Deno.Command("bash", {
    args: ["--noprofile", "--norc", "-eo", "pipefail", "-c", script],
    cwd,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: cwd,
      NO_COLOR: "1",
      NO_PROXY: "127.0.0.1,localhost,::1",
      no_proxy: "127.0.0.1,localhost,::1",
      RUST_BACKTRACE: "0",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, out: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("the Action's run step passes args split as a shell would and fails with rampa's code", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "rampa-action-" });
  try {
    await Deno.mkdir(`${tmp}/bin`);
    // A stand-in rampa: records its arguments one per line, exits with $FAKE_CODE.
    await Deno.writeTextFile(
      `${tmp}/bin/rampa`,
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${tmp}/argv"\nexit "$FAKE_CODE"\n`,
      { mode: 0o755 },
    );
    const script = ACTION.runs.steps.find((s) => s.id === "run")!.run!;
    const env = (extra: Record<string, string>) => ({
      PATH: `${tmp}/bin:${Deno.env.get("PATH")}`,
      GITHUB_OUTPUT: `${tmp}/output`,
      RUNNER_TEMP: tmp,
      ACTION_SCRIPT: "",
      ACTION_URL: "",
      ACTION_ARGS: "",
      ACTION_WORKDIR: "load",
      FAKE_CODE: "0",
      ...extra,
    });
    const r = await runStep(
      script,
      tmp,
      env({
        ACTION_SCRIPT: "load/s.ts",
        ACTION_ARGS: `--rate 100/s --threshold 'http_req_duration p(99)<300ms'\n-H "X-A: b c"`,
        FAKE_CODE: "3",
      }),
    );
    equal(r.code, 3, r.out);
    deepEqual((await Deno.readTextFile(`${tmp}/argv`)).trimEnd().split("\n"), [
      "run",
      "load/s.ts",
      "--rate",
      "100/s",
      "--threshold",
      "http_req_duration p(99)<300ms",
      "-H",
      "X-A: b c",
      "--out",
      "html=rampa-report.html",
    ]);
    equal(await Deno.readTextFile(`${tmp}/output`), "report=load/rampa-report.html\nexit-code=3\n");

    await Deno.remove(`${tmp}/output`);
    const url = await runStep(script, tmp, env({ ACTION_URL: "http://127.0.0.1:1/" }));
    equal(url.code, 0, url.out);
    equal(
      await Deno.readTextFile(`${tmp}/argv`),
      "run\nhttp://127.0.0.1:1/\n--out\nhtml=rampa-report.html\n",
    );
    equal(await Deno.readTextFile(`${tmp}/output`), "report=load/rampa-report.html\nexit-code=0\n");

    const both = await runStep(script, tmp, env({ ACTION_URL: "http://x", ACTION_SCRIPT: "s.ts" }));
    equal(both.code, 2);
    match(both.out, /::error title=rampa::give script or url, not both/);
    const quote = await runStep(
      script,
      tmp,
      env({ ACTION_URL: "http://x", ACTION_ARGS: "--x 'a" }),
    );
    equal(quote.code, 2);
    match(quote.out, /cannot split args/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

/** A free loopback port (closed again; the caller binds it right away). */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("the release's version and scenario smoke steps pass with rampa from source", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "rampa-smoke-step-" });
  try {
    // RAMPA_BIN stands for the compiled binary: the CLI from source with the rampa task's flags.
    const bin = `${tmp}/rampa`;
    const flags = RAMPA_RUN_FLAGS.map((f) => `'${f}'`).join(" ");
    await Deno.writeTextFile(
      bin,
      `#!/bin/sh\nexec '${Deno.execPath()}' run -A ${flags} --config '${ROOT}deno.json' '${ROOT}cli/main.ts' "$@"\n`,
      { mode: 0o755 },
    );
    const env = {
      RAMPA_BIN: bin,
      REPO_DIR: ROOT.replace(/\/$/, ""),
      VERSION,
      TARGET: Deno.build.target,
      GITHUB_SHA: "dev",
    };
    const step = (re: RegExp) => BUILD.steps.find((s) => runs(s, re))!.run!;
    const version = await runStep(step(/"\$RAMPA_BIN" version\b/), tmp, env);
    equal(version.code, 0, version.out);
    const port = String(freePort());
    const scenario = step(/"\$RAMPA_BIN" run smoke\//).replaceAll(/\b18089\b/g, port);
    const run = await runStep(scenario, tmp, env);
    equal(run.code, 0, run.out);
    ok(await Deno.stat(`${tmp}/smoke-summary.json`), "the scenario wrote its summary");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
