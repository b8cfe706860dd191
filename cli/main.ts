/**
 * The rampa command line: parse the subcommand, run it, and map any failure to one line on
 * stderr and a documented exit code. No stack trace reaches the user except for bugs.
 *
 * @module
 */
import { ConfigError, ExitCode, RampaError } from "../core/errors.ts";
import { MAIN_USAGE } from "./usage.ts";
import { suggest } from "./flags.ts";
import { registerBuiltinProtocols } from "../engines/registry.ts";
import { registerDeclarativeFormats } from "../declarative/register.ts";

// Commands load on demand: `rampa run <url>` must not pay for the HTML report's chart library
// or the merge command's schema validation before its first request.
const COMMANDS: Record<string, (args: string[]) => Promise<number> | number> = {
  run: async (a) => (await import("./commands/run.ts")).runCommand(a),
  serve: async (a) => (await import("./commands/serve.ts")).serveCommand(a),
  demo: async (a) => (await import("./commands/demo.ts")).demoCommand(a),
  merge: async (a) => (await import("./commands/merge.ts")).mergeCommand(a),
  report: async (a) => (await import("./commands/report.ts")).reportCommand(a),
  selfcheck: async (a) => (await import("./commands/selfcheck.ts")).selfcheckCommand(a),
  help: async (a) => (await import("./commands/help.ts")).helpCommand(a),
  version: async (a) => (await import("./commands/version.ts")).versionCommand(a),
  convert: async (a) => (await import("./commands/convert.ts")).convertCommand(a),
  check: async (a) => (await import("./commands/check.ts")).checkCommand(a),
  types: async (a) => (await import("./commands/types.ts")).typesCommand(a),
  fleet: async (a) => (await import("./fleet/mod.ts")).fleetCommand(a),
  coordinator: async (a) => (await import("./coordinator/coordinator.ts")).coordinatorCommand(a),
};

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  registerBuiltinProtocols();
  registerDeclarativeFormats();
  const [name, ...rest] = args;
  try {
    if (name === undefined || name === "-h" || name === "--help") {
      console.log(MAIN_USAGE);
      return name === undefined ? ExitCode.INVALID_CONFIG : ExitCode.OK;
    }
    if (name === "-v" || name === "--version") return await COMMANDS.version([]);
    const command = COMMANDS[name];
    if (!command) {
      const near = suggest(name, COMMANDS);
      throw new ConfigError(
        `Unknown command "${name}"${
          near ? `: did you mean ${near.slice(2)}?` : ""
        }; expected one of ` +
          Object.keys(COMMANDS).join(", "),
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
    // stdout closed or full (`rampa help > /dev/full`, a pipe closed early): not a bug.
    if (e instanceof Deno.errors.BrokenPipe || /No space left|os error 28/.test(String(e))) {
      try {
        console.error(`error: cannot write to stdout: ${e instanceof Error ? e.message : e}`);
      } catch { /* stderr is gone too */ }
      return ExitCode.OUTPUT_FAILED;
    }
    console.error(`internal error (please report): ${e instanceof Error ? e.stack : e}`);
    return ExitCode.INTERNAL;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
