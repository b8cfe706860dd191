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
      .replace(/\s*\n\s*/g, " ").replace(/\.$/, "");
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const hint = unknown ? suggest(unknown, options) : null;
    throw new ConfigError(
      `${message}${hint ? `: did you mean ${hint}?` : ""} (see rampa ${command} --help)`,
    );
  }
}

/** The known flag closest to a mistyped one (edit distance ≤ 2, or a prefix), or null. */
export function suggest(typed: string, options: FlagSpec | Record<string, unknown>): string | null {
  const name = typed.replace(/^-+/, "").split("=")[0];
  let best: string | null = null;
  let bestD = Infinity;
  for (const known of Object.keys(options)) {
    const d = known.startsWith(name) && name.length >= 3 ? 1 : distance(name, known);
    if (d < bestD) {
      bestD = d;
      best = known;
    }
  }
  return best !== null && bestD <= Math.min(2, Math.floor(name.length / 3) + 1)
    ? `--${best}`
    : null;
}

/** Levenshtein distance: small inputs only (flag names). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
