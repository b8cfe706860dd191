/**
 * Telling a scenario file from a URL on the command line, without loading the scenario loader
 * (and its Node built-ins) on the ad-hoc start-up path.
 *
 * @module
 */

/**
 * True when `arg` names a scenario file rather than a URL: a module, or a declarative YAML/JSON
 * file (loaded by the format registered for it, see `formats.ts`).
 */
export function isScenarioPath(arg: string): boolean {
  return /\.(ts|js|mts|mjs|tsx|jsx|yaml|yml|json)$/.test(arg) && !/^https?:\/\//.test(arg);
}
