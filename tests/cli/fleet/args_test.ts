import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { parse, parseAllDocuments } from "yaml";
import { ConfigError, ExitCode } from "../../../core/errors.ts";
import { mergeCommand } from "../../../cli/commands/merge.ts";
import {
  fleetCommand,
  parseGithubArgs,
  parseGitlabArgs,
  parseK8sArgs,
} from "../../../cli/fleet/mod.ts";
import { shellQuote } from "../../../cli/fleet/_shared.ts";
import { githubWorkflow } from "../../../cli/fleet/github.ts";
import { gitlabPipeline } from "../../../cli/fleet/gitlab.ts";

/** The ConfigError `fn` throws (sync or async). */
async function configError(fn: () => unknown): Promise<ConfigError> {
  try {
    await fn();
  } catch (e) {
    ok(e instanceof ConfigError, String(e));
    return e;
  }
  throw new Error("expected a ConfigError");
}

/** A scenario folder: load/checkout.ts, load/data/users.csv and a file outside it. */
async function project(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-fleet-" });
  await Deno.mkdir(`${dir}/load/data`, { recursive: true });
  await Deno.writeTextFile(`${dir}/load/checkout.ts`, "export default async () => {};\n");
  await Deno.writeTextFile(`${dir}/load/data/users.csv`, "id\n1\n");
  await Deno.writeTextFile(`${dir}/secrets.csv`, "x\n");
  return dir;
}

Deno.test("fleet k8s reads the scenario and its files at their paths relative to it", async () => {
  const dir = await project();
  const { options, delete: del } = await parseK8sArgs([
    `${dir}/load/checkout.ts`,
    "--hosts",
    "3",
    "--image",
    "rampa:dev",
    "--file",
    `${dir}/load/data/users.csv`,
    "-n",
    "perf",
    "--out",
    "json=/results/merged.json",
    "--",
    "--env",
    "BASE_URL=http://shop",
  ]);
  equal(del, false);
  equal(options.name, "rampa-checkout");
  equal(options.scenario, "checkout.ts");
  deepEqual(options.files!.map((f) => f.path), ["checkout.ts", "data/users.csv"]);
  equal(new TextDecoder().decode(options.files![1].data), "id\n1\n");
  equal(options.namespace, "perf");
  deepEqual(options.runArgs, ["--env", "BASE_URL=http://shop"]);
  deepEqual(options.coordinatorArgs, ["--out", "json=/results/merged.json"]);
});

Deno.test("fleet k8s refuses a file outside the scenario's folder", async () => {
  const dir = await project();
  const e = await configError(() =>
    parseK8sArgs([
      `${dir}/load/checkout.ts`,
      "--hosts",
      "2",
      "--image",
      "r",
      "--file",
      `${dir}/secrets.csv`,
    ])
  );
  match(
    e.issues[0],
    /Cannot ship --file ".*secrets\.csv": expected a file in the scenario's folder/,
  );
});

Deno.test("fleet k8s reports every bad flag at once", async () => {
  const dir = await project();
  const e = await configError(() =>
    parseK8sArgs([
      `${dir}/load/missing.ts`,
      "--hosts",
      "0",
      "--namespace",
      "Perf_Tests",
      "--name",
      "9lives",
      "--join-timeout",
      "soon",
    ])
  );
  equal(e.issues.length, 6, e.issues.join("\n"));
  match(e.issues[0], /Cannot use --hosts "0": expected a whole number from 1/);
  match(e.issues[1], /Missing --image/);
  match(e.issues[2], /--namespace "Perf_Tests"/);
  match(e.issues[3], /run name "9lives"/);
  match(e.issues[4], /Cannot parse --join-timeout "soon"/);
  match(e.issues[5], /Cannot read ".*missing\.ts"/);
});

Deno.test("fleet recipes refuse run flags they set themselves", async () => {
  const e = await configError(() =>
    parseGithubArgs(["s.ts", "--hosts", "2", "--", "--segment=0/2", "--summary", "x.json"])
  );
  match(e.issues[0], /Cannot pass "--segment", "--summary" after --: the recipe sets it/);
});

Deno.test("fleet github refuses ${{ }} in arguments, an image with a release and too many hosts", async () => {
  match(
    (await configError(() =>
      parseGithubArgs(["s.ts", "--hosts", "2", "--", "-e", "K=${{ secrets.X }}"])
    ))
      .issues[0],
    /GitHub would evaluate/,
  );
  const e = await configError(() =>
    parseGithubArgs([
      "/abs/s.ts",
      "--hosts",
      "257",
      "--image",
      "i",
      "--install-from-release",
      "--lead",
      "5s",
    ])
  );
  equal(e.issues.length, 4, e.issues.join("\n"));
  match(e.issues[0], /relative to the repository's root/);
  match(e.issues[1], /from 1 to 256 \(GitHub's matrix limit\)/);
  match(e.issues[2], /--image with --install-from-release/);
  match(e.issues[3], /--lead "5s": expected at least 10s/);
});

Deno.test("fleet github options: version tag, lead, runner and merge thresholds", () => {
  const o = parseGithubArgs([
    "./load/s.ts",
    "--hosts",
    "8",
    "--version",
    "0.2.0",
    "--lead",
    "90s",
    "--runs-on",
    "self-hosted",
    "--threshold",
    "error_rate: <1%",
  ]);
  equal(o.scenario, "load/s.ts");
  equal(o.hosts, 8);
  equal(o.version, "v0.2.0");
  equal(o.leadSeconds, 90);
  equal(o.runsOn, "self-hosted");
  deepEqual(o.mergeArgs, ["--threshold", "error_rate: <1%"]);
});

Deno.test("fleet gitlab caps hosts at GitLab's parallel limit", async () => {
  match(
    (await configError(() => parseGitlabArgs(["s.ts", "--hosts", "201"]))).issues[0],
    /1 to 200/,
  );
  equal(parseGitlabArgs(["s.ts", "--hosts", "200"]).hosts, 200);
});

Deno.test("fleetCommand prints the recipe; --delete prints the objects to remove", async () => {
  const dir = await project();
  let out = "";
  const write = (t: string) => Promise.resolve(void (out += t));
  const args = [`${dir}/load/checkout.ts`, "--hosts", "2", "--image", "rampa:dev"];
  equal(await fleetCommand(["k8s", ...args], write), ExitCode.OK);
  deepEqual(parseAllDocuments(out).map((d) => d.toJS().kind), [
    "ConfigMap",
    "Secret",
    "Service",
    "Job",
    "Job",
  ]);
  out = "";
  equal(await fleetCommand(["k8s", ...args, "--delete"], write), ExitCode.OK);
  ok(!out.includes("stringData"));
  out = "";
  equal(await fleetCommand(["github", "load/checkout.ts", "--hosts", "2"], write), ExitCode.OK);
  deepEqual(parse(out).jobs.segment.strategy.matrix.index, [0, 1]);
  out = "";
  equal(await fleetCommand(["gitlab", "load/checkout.ts", "--hosts", "2"], write), ExitCode.OK);
  equal(parse(out)["rampa-segment"].parallel, 2);
});

Deno.test("fleetCommand: an unknown recipe is a one-line ConfigError, --help is not", async () => {
  await rejects(
    fleetCommand(["nomad", "s.ts"]),
    /Unknown fleet recipe "nomad": expected one of k8s, github, gitlab/,
  );
  const log = console.log;
  console.log = () => {};
  try {
    equal(await fleetCommand(["k8s", "--help"]), ExitCode.OK);
    equal(await fleetCommand([]), ExitCode.INVALID_CONFIG);
  } finally {
    console.log = log;
  }
});

/** Splits a shell line into words: bare words and '…' quoting, what shellQuote produces. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/(?:[^\s'\\]+|'[^']*'|\\.)+/g)) {
    words.push(m[0].replace(/'([^']*)'|\\(.)/g, (_, q, c) => q ?? c));
  }
  return words;
}

Deno.test("the merge jobs' rampa merge flags are ones rampa merge accepts", async () => {
  const gh = parse(
    githubWorkflow(parseGithubArgs(["s.ts", "--hosts", "2", "--threshold", "error_rate: <1%"])),
  );
  const gl = parse(gitlabPipeline(parseGitlabArgs(["s.ts", "--hosts", "2"])));
  const lines = [
    gh.jobs.merge.steps.find((s: { name?: string }) => s.name === "Merge and judge").run,
    gl["rampa-merge"].script.join("\n"),
  ].map((script: string) => script.split("\n").find((l) => l.startsWith("rampa merge "))!);
  // mergeCommand checks its flags and outputs before reading any file: reaching the file
  // read proves the recipe's --out and --threshold values are valid.
  const prev = Deno.env.get("GITHUB_STEP_SUMMARY");
  Deno.env.set("GITHUB_STEP_SUMMARY", "/dev/null");
  try {
    for (const line of lines) {
      const args = shellWords(line).slice(2).map((w) =>
        w.includes("*") ? "/nonexistent/s.json" : w
      );
      const e = await configError(() => mergeCommand(args));
      match(e.issues[0], /^Cannot read "\/nonexistent\/s\.json"/, line);
    }
  } finally {
    if (prev === undefined) Deno.env.delete("GITHUB_STEP_SUMMARY");
    else Deno.env.set("GITHUB_STEP_SUMMARY", prev);
  }
});

Deno.test("shell quoting leaves plain words bare and quotes the rest", () => {
  equal(shellQuote("load/checkout.ts"), "load/checkout.ts");
  equal(shellQuote("BASE_URL=http://shop:8080"), "BASE_URL=http://shop:8080");
  equal(shellQuote("p(99)<300ms"), "'p(99)<300ms'");
  equal(shellQuote("it's $HOME"), `'it'\\''s $HOME'`);
  equal(shellQuote(""), "''");
});
