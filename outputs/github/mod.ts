/**
 * The GitHub Actions output: a Markdown job summary and `::error` annotations for failed
 * thresholds. `rampa run` adds it when `GITHUB_STEP_SUMMARY` is set; `--out github[=path]`
 * asks for it explicitly (registered in `outputs/registry.ts`).
 *
 * @example
 * ```ts
 * import { githubOutputFromEnv } from "./mod.ts";
 * const github = githubOutputFromEnv(Deno.env);
 * if (github) console.error(`also writing ${github.describe()}`);
 * ```
 *
 * @module
 */
export {
  createGithubSummaryOutput,
  type EnvSource,
  escapeCommandData,
  escapeCommandProperty,
  githubOutputFromEnv,
  type GithubOutputOptions,
  STEP_SUMMARY_VAR,
  thresholdAnnotations,
} from "./github_output.ts";
export { renderStepSummary, TOP_CHECKS, TOP_ENDPOINTS } from "./step_summary.ts";
