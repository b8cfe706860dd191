/**
 * `rampa fleet github`: a GitHub Actions workflow that spreads a run over a matrix of jobs
 * without a coordinator. A first job fixes the start instant; each matrix job runs one
 * segment (`--segment i/N --start-at …`) and uploads its summary; a last job downloads them
 * all, merges them with `rampa merge` (exact: the summaries carry their histograms), writes
 * the job summary and fails the workflow when the merged verdict fails.
 *
 * @example
 * ```ts
 * import { githubWorkflow } from "./github.ts";
 * const yaml = githubWorkflow({ scenario: "load/checkout.ts", hosts: 4, leadSeconds: 180 });
 * ```
 *
 * @module
 */
import {
  type CiOptions,
  installScript,
  mergeScript,
  segmentScript,
  startAtScript,
  SUMMARY_DIR,
} from "./_ci.ts";
import { range, toYamlDocument } from "./_shared.ts";

/** GitHub runs at most 256 jobs from one matrix. */
export const GITHUB_MAX_HOSTS = 256;

/** Options of {@link githubWorkflow}. */
export interface GithubOptions extends CiOptions {
  /** The workflow's name. @default "rampa fleet" */
  readonly name?: string;
  /** The runner label of the segment and merge jobs. @default "ubuntu-latest" */
  readonly runsOn?: string;
}

/** The workflow as data (what {@link githubWorkflow} prints). */
export function githubWorkflowObject(opts: GithubOptions): Record<string, unknown> {
  const n = opts.hosts;
  const runsOn = opts.runsOn ?? "ubuntu-latest";
  // A container job runs its steps in the image; otherwise each job installs the release.
  const setup: Record<string, unknown>[] = opts.image ? [] : [{
    name: "Install rampa",
    run: installScript(opts.version ?? "latest", `"$RUNNER_TEMP/rampa"`) + "\n" +
      `echo "$RUNNER_TEMP/rampa/bin" >> "$GITHUB_PATH"\n`,
  }];
  const container = opts.image ? { container: { image: opts.image } } : {};
  return {
    name: opts.name ?? "rampa fleet",
    on: { workflow_dispatch: {} },
    permissions: { contents: "read" },
    jobs: {
      plan: {
        "runs-on": "ubuntu-latest",
        outputs: { "start-at": "${{ steps.plan.outputs.start-at }}" },
        steps: [{
          id: "plan",
          name: "Choose the start instant",
          // One instant for every segment, far enough ahead that each job is up and ready.
          run: `echo "start-at=$(${startAtScript(opts.leadSeconds)})" >> "$GITHUB_OUTPUT"\n`,
        }],
      },
      segment: {
        name: "segment ${{ matrix.index }}",
        needs: "plan",
        "runs-on": runsOn,
        ...container,
        strategy: {
          // Every segment must run at once: a late one would start after the instant.
          "fail-fast": false,
          "max-parallel": n,
          matrix: { index: range(n) },
        },
        steps: [
          { uses: "actions/checkout@v4" },
          ...setup,
          {
            name: `Run segment \${{ matrix.index }}/${n}`,
            env: {
              SEGMENT: `\${{ matrix.index }}/${n}`,
              INDEX: "${{ matrix.index }}",
              START_AT: "${{ needs.plan.outputs.start-at }}",
            },
            // A segment's job summary would judge a share of the load; the merge job writes
            // the one that counts.
            run: segmentScript(opts, "$SEGMENT", "$INDEX", "$START_AT", "GITHUB_STEP_SUMMARY= "),
          },
          {
            name: "Upload the segment's summary",
            if: "always()",
            uses: "actions/upload-artifact@v4",
            with: {
              name: "rampa-summary-${{ matrix.index }}",
              path: "summary-${{ matrix.index }}.json",
              "if-no-files-found": "error",
            },
          },
        ],
      },
      merge: {
        needs: "segment",
        // Also after a failed segment: the merge says which share is missing.
        if: "${{ !cancelled() }}",
        "runs-on": runsOn,
        ...container,
        steps: [
          ...setup,
          {
            name: "Download the segments' summaries",
            uses: "actions/download-artifact@v4",
            with: { pattern: "rampa-summary-*", "merge-multiple": true, path: SUMMARY_DIR },
          },
          {
            name: "Merge and judge",
            run: mergeScript(opts, [
              "json=rampa-summary.json",
              "html=rampa-report.html",
              "github",
            ]),
          },
          {
            name: "Upload the merged report",
            if: "always()",
            uses: "actions/upload-artifact@v4",
            with: {
              name: "rampa-report",
              path: "rampa-summary.json\nrampa-report.html\n",
              "if-no-files-found": "ignore",
            },
          },
        ],
      },
    },
  };
}

/** The workflow as YAML, for `.github/workflows/<name>.yml`. */
export function githubWorkflow(opts: GithubOptions): string {
  const head = [
    `# rampa fleet: ${opts.hosts} segment job(s) running ${opts.scenario}, then one merge.`,
    "# Save as .github/workflows/rampa-fleet.yml and start it from the Actions tab.",
  ].join("\n");
  return head + "\n" +
    toYamlDocument(githubWorkflowObject(opts));
}
