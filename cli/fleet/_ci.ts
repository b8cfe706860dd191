/**
 * The shell steps the GitHub and GitLab recipes share: compute the start instant once, run one
 * segment per job, and merge the segments' summaries into one verdict. Kept in one place so
 * the two recipes cannot drift apart in what they run.
 *
 * @module
 */
import { RELEASES_URL, shellJoin, shellQuote } from "./_shared.ts";

/** What a CI recipe needs; plain data. */
export interface CiOptions {
  /** Scenario path relative to the repository's root, or a URL. */
  readonly scenario: string;
  /** Number of segment jobs. */
  readonly hosts: number;
  /** Seconds between the plan job and the start: time for every segment job to be running. */
  readonly leadSeconds: number;
  /** An image with rampa and a shell to run the jobs in; when absent, install the release. */
  readonly image?: string;
  /** The release installed when no image is given: a tag (`v0.2.0`) or `latest`. @default "latest" */
  readonly version?: string;
  /** Extra `rampa run` arguments for every segment. @default [] */
  readonly runArgs?: readonly string[];
  /** Extra `rampa merge` arguments (`--threshold`, `--out`). @default [] */
  readonly mergeArgs?: readonly string[];
}

/** Where the merge job finds the segments' summaries. */
export const SUMMARY_DIR = "rampa-summaries";

/**
 * A shell line printing the start instant, `leadSeconds` from now, in RFC 3339 UTC. The `@epoch`
 * form works with GNU and BusyBox date alike, so any image with a shell can compute it.
 */
export function startAtScript(leadSeconds: number): string {
  return `date -u -d "@$(( $(date +%s) + ${leadSeconds} ))" +%Y-%m-%dT%H:%M:%SZ`;
}

/**
 * A shell line installing the release binary with install.sh (checksum-verified).
 *
 * @param prefixExpr shell expression for `--prefix` (already quoted), or none for ~/.local
 */
export function installScript(version: string, prefixExpr?: string): string {
  const url = version === "latest"
    ? `${RELEASES_URL}/latest/download/install.sh`
    : `${RELEASES_URL}/download/${version}/install.sh`;
  const args = [
    ...(version === "latest" ? [] : ["--version", shellQuote(version)]),
    ...(prefixExpr ? ["--prefix", prefixExpr] : []),
  ];
  return `curl -fsSL ${shellQuote(url)} | sh${args.length ? ` -s -- ${args.join(" ")}` : ""}`;
}

/**
 * The script of one segment job. A segment's own exit code is not the run's verdict (its
 * thresholds see a share of the load), so the job fails only when it wrote no summary: then
 * the merge is missing a share, and says so.
 *
 * @param segment shell expression for `i/N`, e.g. `"$SEGMENT"`
 * @param index shell expression for `i`, used in the summary's name
 * @param startAt shell expression for the start instant
 * @param envPrefix assignments placed before `rampa run` (`GITHUB_STEP_SUMMARY=`)
 */
export function segmentScript(
  opts: CiOptions,
  segment: string,
  index: string,
  startAt: string,
  envPrefix = "",
): string {
  const file = `summary-${index}.json`;
  const run = [
    shellJoin(["rampa", "run", opts.scenario]),
    `--segment "${segment}"`,
    `--start-at "${startAt}"`,
    `--summary "${file}"`,
    ...(opts.runArgs?.length ? [shellJoin(opts.runArgs)] : []),
  ].join(" ");
  return [
    "set +e",
    `${envPrefix}${run}`,
    "code=$?",
    `echo "rampa exited $code for segment ${segment}; the merge job judges the whole run"`,
    `if [ ! -f "${file}" ]; then echo "rampa fleet: no summary from segment ${segment}" >&2; exit 1; fi`,
  ].join("\n") + "\n";
}

/**
 * The merge job's script: refuse to judge a run with missing segments (a merge of 3 of 4
 * summaries is a smaller test that looks whole), then `rampa merge`, whose exit code is the
 * merged verdict.
 */
export function mergeScript(opts: CiOptions, outs: readonly string[]): string {
  const n = opts.hosts;
  const merge = [
    "rampa merge",
    `${SUMMARY_DIR}/summary-*.json`,
    ...outs.map((o) => `--out ${shellQuote(o)}`),
    ...(opts.mergeArgs?.length ? [shellJoin(opts.mergeArgs)] : []),
  ].join(" ");
  return [
    `count=$(ls ${SUMMARY_DIR}/summary-*.json 2>/dev/null | wc -l)`,
    `if [ "$count" -ne ${n} ]; then`,
    `  echo "rampa fleet: $count of ${n} segment summaries arrived; not judging a partial run" >&2`,
    "  exit 10",
    "fi",
    merge,
  ].join("\n") + "\n";
}
