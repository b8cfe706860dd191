/**
 * `rampa fleet gitlab`: the GitHub recipe's pipeline for GitLab CI. A plan job writes the start
 * instant to a dotenv report; `parallel: N` copies of the segment job read it and run one
 * segment each; a merge job takes their summaries, runs `rampa merge`, reports thresholds as
 * JUnit test cases and fails the pipeline when the merged verdict fails.
 *
 * GitLab numbers parallel jobs from 1 (`CI_NODE_INDEX`), rampa's segments from 0: the segment
 * job subtracts one.
 *
 * @example
 * ```ts
 * import { gitlabPipeline } from "./gitlab.ts";
 * const yaml = gitlabPipeline({ scenario: "load/checkout.ts", hosts: 4, leadSeconds: 180 });
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
import { toYamlDocument } from "./_shared.ts";

/** GitLab accepts `parallel:` from 1 to 200. */
export const GITLAB_MAX_HOSTS = 200;

/** The image the jobs use when no `--image` is given: has a shell, GNU date and apt. */
export const GITLAB_DEFAULT_IMAGE = "debian:stable-slim";

/** Options of {@link gitlabPipeline}. */
export type GitlabOptions = CiOptions;

/** The pipeline as data (what {@link gitlabPipeline} prints). */
export function gitlabPipelineObject(opts: GitlabOptions): Record<string, unknown> {
  const n = opts.hosts;
  const install = opts.image ? {} : {
    before_script: [
      "apt-get update -qq && apt-get install -y -qq --no-install-recommends curl ca-certificates >/dev/null",
      installScript(opts.version ?? "latest"),
      'export PATH="$HOME/.local/bin:$PATH"',
    ],
  };
  // An image's entrypoint would swallow the job's script: clear it, as GitLab's docs advise.
  const image = opts.image ? { name: opts.image, entrypoint: [""] } : GITLAB_DEFAULT_IMAGE;
  return {
    stages: ["rampa-plan", "rampa-load", "rampa-merge"],
    "rampa-plan": {
      stage: "rampa-plan",
      image,
      // One instant for every segment, far enough ahead that each job is up and ready.
      script: [`echo "RAMPA_START_AT=$(${startAtScript(opts.leadSeconds)})" > rampa-plan.env`],
      artifacts: { reports: { dotenv: "rampa-plan.env" } },
    },
    "rampa-segment": {
      stage: "rampa-load",
      image,
      needs: ["rampa-plan"],
      parallel: n,
      ...install,
      script: [
        "RAMPA_INDEX=$((CI_NODE_INDEX - 1))",
        `RAMPA_SEGMENT="$RAMPA_INDEX/${n}"`,
        segmentScript(opts, "$RAMPA_SEGMENT", "$RAMPA_INDEX", "$RAMPA_START_AT"),
      ],
      artifacts: { when: "always", paths: ["summary-*.json"], expire_in: "1 week" },
    },
    "rampa-merge": {
      stage: "rampa-merge",
      image,
      needs: [{ job: "rampa-segment", artifacts: true }],
      // Also after a failed segment: the merge says which share is missing.
      when: "always",
      ...install,
      script: [
        `mkdir -p ${SUMMARY_DIR} && mv summary-*.json ${SUMMARY_DIR}/ 2>/dev/null || true`,
        mergeScript(opts, [
          "json=rampa-summary.json",
          "junit=rampa-junit.xml",
          "html=rampa-report.html",
        ]),
      ],
      artifacts: {
        when: "always",
        paths: ["rampa-summary.json", "rampa-report.html", "rampa-junit.xml"],
        reports: { junit: "rampa-junit.xml" },
      },
    },
  };
}

/** The pipeline as YAML, for `.gitlab-ci.yml` (or a file it includes). */
export function gitlabPipeline(opts: GitlabOptions): string {
  const head = [
    `# rampa fleet: ${opts.hosts} parallel segment job(s) running ${opts.scenario}, then one merge.`,
    "# Save as .gitlab-ci.yml, or as a file that .gitlab-ci.yml includes.",
  ].join("\n");
  return head + "\n" +
    toYamlDocument(gitlabPipelineObject(opts));
}
