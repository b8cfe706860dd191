/**
 * The rampa command line: parse the subcommand, run it, and map any failure to one line on
 * stderr and a documented exit code. No stack trace reaches the user except for bugs.
 *
 * @module
 */
import { ConfigError, ExitCode, RampaError } from "../core/errors.ts";
import { VERSION } from "../core/version.ts";
import { demoCommand } from "./commands/demo.ts";
import { helpCommand, MAIN_USAGE } from "./commands/help.ts";
import { runCommand } from "./commands/run.ts";
import { serveCommand } from "./commands/serve.ts";
import { selfcheckCommand } from "./commands/selfcheck.ts";
import { mergeCommand } from "./commands/merge.ts";

const COMMANDS: Record<string, (args: string[]) => Promise<number> | number> = {
  run: runCommand,
  serve: serveCommand,
  demo: demoCommand,
  merge: mergeCommand,
  selfcheck: selfcheckCommand,
  help: helpCommand,
  version: () => {
    console.log(`rampa ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})`);
    return ExitCode.OK;
  },
};

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "-h" || name === "--help") {
    console.log(MAIN_USAGE);
    return name === undefined ? ExitCode.INVALID_CONFIG : ExitCode.OK;
  }
  if (name === "-v" || name === "--version") return COMMANDS.version([]);
  const command = COMMANDS[name];
  try {
    if (!command) {
      throw new ConfigError(
        `Unknown command "${name}": expected one of ${Object.keys(COMMANDS).join(", ")}`,
      );
    }
    return await command(rest);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const issue of e.issues) console.error(`error: ${issue}`);
      return e.exitCode;
    }
    if (e instanceof RampaError) {
      console.error(`error: ${e.message}`);
      return e.exitCode;
    }
    console.error(`internal error (please report): ${e instanceof Error ? e.stack : e}`);
    return ExitCode.INTERNAL;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
