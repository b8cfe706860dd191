/**
 * What the three fleet recipes share: the flags every one of them takes, the split at `--`
 * (what follows goes to every host's `rampa run` unchanged), POSIX shell quoting for the CI
 * scripts, and the name checks Kubernetes and CI systems impose.
 *
 * @module
 */
import { stringify } from "yaml";
import { ConfigError } from "../../core/errors.ts";

/** The port the coordinator listens on in every recipe. */
export const COORDINATOR_PORT = 7878;

/** Where the recipes install rampa's release from (install.sh's home). */
export const RELEASES_URL = "https://github.com/rampa-dev/rampa/releases";

/** The flags of `rampa fleet <recipe>` before `--`, and what follows it. */
export interface SplitArgs {
  /** Arguments for the fleet command itself. */
  readonly own: string[];
  /** Arguments after `--`, passed to every host's `rampa run`. */
  readonly runArgs: string[];
}

/**
 * Splits at the first `--`. parseArgs would turn what follows into positionals, and the
 * recipes need them apart: they belong to `rampa run`, not to `rampa fleet`.
 */
export function splitRunArgs(args: readonly string[]): SplitArgs {
  const at = args.indexOf("--");
  if (at < 0) return { own: [...args], runArgs: [] };
  return { own: args.slice(0, at), runArgs: args.slice(at + 1) };
}

/** Parses `--hosts`: a whole number from 1 to `max` (the recipe's own ceiling). */
export function parseHosts(text: string | undefined, max: number, why: string): number {
  if (text === undefined) {
    throw new ConfigError(
      "Missing --hosts: expected the number of load generators, e.g. --hosts 4",
    );
  }
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1 || n > max || text.trim() === "") {
    throw new ConfigError(
      `Cannot use --hosts "${text}": expected a whole number from 1 to ${max} (${why})`,
    );
  }
  return n;
}

/** Whether the scenario argument is a URL (an ad-hoc run) rather than a file. */
export function isUrl(scenario: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(scenario);
}

/** Flags of `rampa run` that a fleet recipe sets itself: giving them after `--` would clash. */
const RESERVED_RUN_FLAGS = ["--segment", "--start-at", "--coordinator", "--summary"];

/** Refuses run arguments that would fight the recipe's own (two `--segment`s, say). */
export function checkRunArgs(runArgs: readonly string[], reserved = RESERVED_RUN_FLAGS): void {
  const clashes = runArgs.filter((a) => reserved.some((r) => a === r || a.startsWith(`${r}=`)));
  if (clashes.length) {
    throw new ConfigError(
      `Cannot pass ${clashes.map((c) => `"${c.split("=")[0]}"`).join(", ")} after --: ` +
        `the recipe sets it for every host`,
    );
  }
}

/**
 * Quotes one word for a POSIX shell. Words made only of safe characters stay bare so the
 * printed scripts read like hand-written ones; anything else is single-quoted, where nothing
 * is expanded.
 */
export function shellQuote(word: string): string {
  if (word !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Joins words into one shell command line, each quoted. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}

/**
 * A run name usable for every object the recipes create: an RFC 1035 label (what a Service
 * name must be), short enough that `<name>-coordinator` still fits in 63 characters.
 */
export function checkRunName(name: string): string {
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 51) {
    throw new ConfigError(
      `Cannot use run name "${name}": expected lower-case letters, digits and "-", starting ` +
        `with a letter, at most 51 characters (e.g. --name checkout-4x)`,
    );
  }
  return name;
}

/**
 * The default run name, from the scenario's file name (`load/check_out.ts` → `rampa-check-out`)
 * or `rampa-adhoc` for a URL: stable, so `--delete` finds what an earlier apply created.
 */
export function defaultRunName(scenario: string): string {
  if (isUrl(scenario)) return "rampa-adhoc";
  const base = scenario.split(/[\\/]/).pop()!.replace(/\.[^.]*$/, "");
  const slug = base.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return `rampa-${slug || "run"}`.slice(0, 51).replace(/-+$/, "");
}

/**
 * Checks a scenario path for a CI recipe: the jobs run in a fresh checkout of the repository,
 * so the path must be relative to its root and stay inside it.
 */
export function checkRepoPath(scenario: string): string {
  if (isUrl(scenario)) return scenario;
  const path = scenario.replaceAll("\\", "/").replace(/^\.\//, "");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path) || path.split("/").includes("..")) {
    throw new ConfigError(
      `Cannot use scenario "${scenario}" in a CI recipe: expected a path relative to the ` +
        `repository's root, as the jobs see it after checkout`,
    );
  }
  return path;
}

/** Builds a list `[0, 1, …, n-1]`. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * One YAML document as every recipe prints it. Quoted for YAML 1.1, because kubectl's decoder
 * (go-yaml) reads 1.1, where a bare `on`, `no` or `14:00` is not a string; the quotes are
 * harmless to 1.2 readers. No line folding (command lines stay whole and diff well) and no
 * anchors (a shared object printed twice stays two plain copies).
 */
export function toYamlDocument(value: unknown): string {
  return stringify(value, { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false });
}
