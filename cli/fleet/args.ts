/**
 * Flags of `rampa fleet k8s | github | gitlab` → the recipes' options. Everything the user can
 * get wrong is checked here, before anything is printed, and reported as one ConfigError with
 * every issue; the recipes themselves are pure functions of the result.
 *
 * @module
 */
import { dirname, relative, resolve } from "node:path";
import { ConfigError } from "../../core/errors.ts";
import { parseDuration } from "../../core/units.ts";
import { parseFlags } from "../flags.ts";
import type { CiOptions } from "./_ci.ts";
import {
  checkRepoPath,
  checkRunArgs,
  checkRunName,
  defaultRunName,
  isUrl,
  parseHosts,
  splitRunArgs,
} from "./_shared.ts";
import { GITHUB_MAX_HOSTS, type GithubOptions } from "./github.ts";
import { GITLAB_MAX_HOSTS, type GitlabOptions } from "./gitlab.ts";
import type { FleetFile, K8sOptions } from "./k8s.ts";

/** What `rampa fleet k8s …` asked for. */
export interface K8sRequest {
  /** The manifests' options. */
  readonly options: K8sOptions;
  /** `--delete`: print the objects to delete instead. */
  readonly delete: boolean;
}

const K8S_FLAGS = {
  hosts: { type: "string" },
  image: { type: "string" },
  namespace: { type: "string", short: "n" },
  cpu: { type: "string" },
  memory: { type: "string" },
  name: { type: "string" },
  file: { type: "string", multiple: true },
  delete: { type: "boolean" },
  "token-secret": { type: "string" },
  "join-timeout": { type: "string" },
  "results-pvc": { type: "string" },
  out: { type: "string", multiple: true },
  threshold: { type: "string", multiple: true },
} as const;

const CI_FLAGS = {
  hosts: { type: "string" },
  image: { type: "string" },
  "install-from-release": { type: "boolean" },
  version: { type: "string" },
  lead: { type: "string" },
  threshold: { type: "string", multiple: true },
} as const;

const GITHUB_FLAGS = {
  ...CI_FLAGS,
  "runs-on": { type: "string" },
  name: { type: "string" },
} as const;

/** A DNS-1123 label: what a namespace name must be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: what a Secret or claim name must be. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Parses `rampa fleet k8s <scenario> …` and reads the scenario and its files. */
export async function parseK8sArgs(args: readonly string[]): Promise<K8sRequest> {
  const { own, runArgs } = splitRunArgs(args);
  const { values: v, positionals } = parseFlags("fleet k8s", own, K8S_FLAGS, true);
  const scenario = onePositional(positionals, "k8s");
  checkRunArgs(runArgs);
  const issues: string[] = [];
  const hosts = collect(issues, () => parseHosts(v.hosts, 100_000, "an Indexed Job's limit"));
  if (!v.image) {
    issues.push(
      "Missing --image: expected an image with rampa, e.g. ghcr.io/rampa-dev/rampa:0.2.0",
    );
  } else if (/\s/.test(v.image)) {
    issues.push(`Cannot use --image "${v.image}": expected an image reference`);
  }
  if (v.namespace !== undefined && (!DNS_LABEL.test(v.namespace) || v.namespace.length > 63)) {
    issues.push(`Cannot use --namespace "${v.namespace}": expected a DNS label such as load-tests`);
  }
  for (
    const [flag, value] of [["--token-secret", v["token-secret"]], [
      "--results-pvc",
      v["results-pvc"],
    ]]
  ) {
    if (value !== undefined && (!DNS_SUBDOMAIN.test(value) || value.length > 253)) {
      issues.push(`Cannot use ${flag} "${value}": expected a Kubernetes object name`);
    }
  }
  const name = collect(issues, () => checkRunName(v.name ?? defaultRunName(scenario)));
  const joinTimeout = v["join-timeout"];
  if (joinTimeout !== undefined) {
    collect(issues, () => parseDuration(joinTimeout, "--join-timeout"));
  }
  if (isUrl(scenario) && v.file?.length) {
    // Nothing would read them: an ad-hoc run has no scenario to open a dataset.
    issues.push("Cannot ship --file with a URL: only a scenario file reads data files");
  }
  const files = isUrl(scenario)
    ? []
    : await collectAsync(issues, () => readFleetFiles(scenario, v.file ?? []));
  if (issues.length) throw new ConfigError(issues);
  const coordinatorArgs = [
    ...(v.out ?? []).flatMap((o) => ["--out", o]),
    ...(v.threshold ?? []).flatMap((t) => ["--threshold", t]),
  ];
  return {
    delete: v.delete ?? false,
    options: {
      name: name!,
      hosts: hosts!,
      image: v.image!,
      namespace: v.namespace,
      scenario: isUrl(scenario) ? scenario : scenarioKey(scenario),
      files: files ?? [],
      cpu: v.cpu,
      memory: v.memory,
      tokenSecret: v["token-secret"],
      joinTimeout,
      resultsClaim: v["results-pvc"],
      runArgs,
      coordinatorArgs,
    },
  };
}

/** Parses `rampa fleet github <scenario> …`. */
export function parseGithubArgs(args: readonly string[]): GithubOptions {
  const { own, runArgs } = splitRunArgs(args);
  const { values: v, positionals } = parseFlags("fleet github", own, GITHUB_FLAGS, true);
  const scenario = onePositional(positionals, "github");
  // Actions evaluates ${{ … }} anywhere in a workflow, quotes or not: a flag holding one
  // would run an expression the user never meant to write.
  const expression = [...runArgs, ...(v.threshold ?? [])].find((a) => a.includes("${{"));
  if (expression !== undefined) {
    throw new ConfigError(`Cannot pass "${expression}": GitHub would evaluate its \${{ … }}`);
  }
  return {
    ...ciOptions(scenario, runArgs, v, GITHUB_MAX_HOSTS, "GitHub's matrix limit"),
    runsOn: v["runs-on"],
    name: v.name,
  };
}

/** Parses `rampa fleet gitlab <scenario> …`. */
export function parseGitlabArgs(args: readonly string[]): GitlabOptions {
  const { own, runArgs } = splitRunArgs(args);
  const { values: v, positionals } = parseFlags("fleet gitlab", own, CI_FLAGS, true);
  const scenario = onePositional(positionals, "gitlab");
  return ciOptions(scenario, runArgs, v, GITLAB_MAX_HOSTS, "GitLab's parallel: limit");
}

interface CiValues {
  hosts?: string;
  image?: string;
  "install-from-release"?: boolean;
  version?: string;
  lead?: string;
  threshold?: string[];
}

function ciOptions(
  scenario: string,
  runArgs: string[],
  v: CiValues,
  maxHosts: number,
  why: string,
): CiOptions {
  checkRunArgs(runArgs);
  const issues: string[] = [];
  const path = collect(issues, () => checkRepoPath(scenario));
  const hosts = collect(issues, () => parseHosts(v.hosts, maxHosts, why));
  if (v.image !== undefined && v["install-from-release"]) {
    issues.push("Cannot use --image with --install-from-release: the jobs take rampa from one");
  }
  if (v.image !== undefined && (v.image === "" || /\s/.test(v.image))) {
    issues.push(`Cannot use --image "${v.image}": expected an image reference`);
  }
  if (v.version !== undefined && v.image !== undefined) {
    issues.push("Cannot use --version with --image: the image decides rampa's version");
  }
  const version = v.version ?? "latest";
  if (version !== "latest" && !/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version)) {
    issues.push(
      `Cannot use --version "${version}": expected a release tag such as v0.2.0, or latest`,
    );
  }
  const leadMs = collect(issues, () => parseDuration(v.lead ?? "3m", "--lead"));
  if (leadMs !== null && leadMs < 10_000) {
    issues.push(
      `Cannot use --lead "${v.lead}": expected at least 10s, time for every job to start`,
    );
  }
  if (issues.length) throw new ConfigError(issues);
  return {
    scenario: path!,
    hosts: hosts!,
    leadSeconds: Math.ceil(leadMs! / 1000),
    image: v.image,
    // Release tags carry the "v" (install.sh's URLs need it); users often type 0.2.0.
    version: v.image === undefined ? (/^\d/.test(version) ? `v${version}` : version) : undefined,
    runArgs,
    mergeArgs: (v.threshold ?? []).flatMap((t) => ["--threshold", t]),
  };
}

function onePositional(positionals: string[], recipe: string): string {
  if (positionals.length === 0) {
    throw new ConfigError(
      `Missing the scenario: rampa fleet ${recipe} <scenario.ts | url> --hosts N …`,
    );
  }
  if (positionals.length > 1) {
    throw new ConfigError(
      `Cannot use "${positionals[1]}": expected one scenario; arguments for rampa run go after --`,
    );
  }
  return positionals[0];
}

/** The scenario's path under /scenario: its file name (data files sit relative to it). */
function scenarioKey(scenario: string): string {
  return scenario.split(/[\\/]/).pop()!;
}

/**
 * Reads the scenario and each `--file`. A data file lands at its path relative to the
 * scenario's folder, because that is where the scenario's relative paths resolve.
 */
export async function readFleetFiles(
  scenario: string,
  extra: readonly string[],
): Promise<FleetFile[]> {
  const issues: string[] = [];
  const base = dirname(resolve(scenario));
  const out: FleetFile[] = [];
  for (const file of [scenario, ...extra]) {
    const rel = relative(base, resolve(file)).replaceAll("\\", "/");
    if (rel.startsWith("../") || rel === ".." || rel === "") {
      issues.push(
        `Cannot ship --file "${file}": expected a file in the scenario's folder or below it`,
      );
      continue;
    }
    try {
      out.push({ path: rel, data: await Deno.readFile(file) });
    } catch (e) {
      issues.push(`Cannot read "${file}": ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (issues.length) throw new ConfigError(issues);
  return out;
}

function collect<T>(issues: string[], fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    issues.push(...e.issues);
    return null;
  }
}

async function collectAsync<T>(issues: string[], fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    issues.push(...e.issues);
    return null;
  }
}
