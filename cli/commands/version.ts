/**
 * `rampa version [--json]`: rampa's version, the commit it was built from, the target triple
 * and the Deno, V8 and TypeScript versions inside it: what a bug report needs, and what the
 * release workflow checks in every binary it ships.
 *
 * @module
 */
import { ExitCode } from "../../core/errors.ts";
import { VERSION } from "../../core/version.ts";
import { COMMIT } from "../_build_info.ts";
import { parseFlags } from "../flags.ts";

/** Help text for `rampa version --help`. */
export const VERSION_USAGE = `Usage: rampa version [options]

Prints rampa's version, the commit it was built from ("dev" from source), the target it was
built for and the versions of Deno, V8 and TypeScript inside it.

Options:
  --json       One JSON object instead of text
  -h, --help   Show this help
`;

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** What `rampa version` reports. */
export interface VersionInfo {
  /** rampa's version (core/version.ts). */
  readonly rampa: string;
  /** The git commit of the build, or "dev" from source. */
  readonly commit: string;
  /** The target triple, e.g. `x86_64-unknown-linux-gnu`. */
  readonly target: string;
  /** `Deno.version.deno` of the runtime (embedded in a compiled binary). */
  readonly deno: string;
  /** `Deno.version.v8`. */
  readonly v8: string;
  /** `Deno.version.typescript`: the TypeScript version of the runtime's type checker. */
  readonly typescript: string;
}

/** The facts `rampa version` prints, for this process. */
export function versionInfo(): VersionInfo {
  return {
    rampa: VERSION,
    commit: COMMIT,
    target: Deno.build.target,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
  };
}

/** The text form: `rampa <version>` first, then one aligned line per fact. */
export function formatVersion(info: VersionInfo): string {
  return [
    `rampa ${info.rampa}`,
    `commit:     ${info.commit}`,
    `target:     ${info.target}`,
    `deno:       ${info.deno}`,
    `v8:         ${info.v8}`,
    `typescript: ${info.typescript}`,
  ].join("\n");
}

/** Runs `rampa version`; returns the exit code. */
export function versionCommand(args: string[]): number {
  const { values: v } = parseFlags("version", args, OPTIONS);
  if (v.help) {
    console.log(VERSION_USAGE);
    return ExitCode.OK;
  }
  const info = versionInfo();
  console.log(v.json ? JSON.stringify(info) : formatVersion(info));
  return ExitCode.OK;
}
