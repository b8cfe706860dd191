/**
 * Flag parsing shared by every subcommand: `node:util` parseArgs in strict mode, with its
 * errors turned into one-line ConfigErrors that point at the command's help.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../core/errors.ts";

/** Option declarations in parseArgs' format. */
export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parses `args` strictly; unknown flags and missing values become a ConfigError. */
export function parseFlags<T extends FlagSpec>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    // parseArgs wraps lines and suggests "--" for positionals; the CLI reports one line.
    const message = error.message.replace(/\s+To specify a positional argument.*$/s, "")
      .replace(/\s*\n\s*/g, " ");
    throw new ConfigError(`${message} (see rampa ${command} --help)`);
  }
}
