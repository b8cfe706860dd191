/**
 * `rampa types`: prints rampa's public API as one self-contained declaration file, for editors
 * and type checkers outside a rampa checkout (`rampa types > rampa.d.ts`, then map `"rampa"` to
 * `./rampa.d.ts` in the scenario folder's deno.json). The file is generated at build time from
 * mod.ts (tools/gen_types.ts) and embedded, so a compiled binary prints it too.
 *
 * @module
 */
import { ExitCode } from "../../core/errors.ts";
import { parseFlags } from "../flags.ts";
import { RAMPA_DTS } from "../types/_rampa_dts.ts";

/** Usage of `rampa types`. */
export const TYPES_USAGE: string = `Usage: rampa types > rampa.d.ts

Prints rampa's public API (what scenarios import as "rampa") as one declaration file. For an
editor with Deno's language server, put it beside your scenarios and map "rampa" to it in the
folder's deno.json:

  { "imports": { "rampa": "./rampa.d.ts" } }

then \`deno check scenario.ts\` (or \`rampa check scenario.ts\`) type-checks the scenario. The
file imports the types of a few npm packages (zod, @grpc/grpc-js) by npm: specifier.

Options:
  -h, --help   Show this help
`;

const OPTIONS = { help: { type: "boolean", short: "h" } } as const;

/** Runs `rampa types`; returns the exit code. */
export async function typesCommand(args: string[]): Promise<number> {
  const { values: v } = parseFlags("types", args, OPTIONS);
  if (v.help) {
    console.log(TYPES_USAGE);
    return ExitCode.OK;
  }
  const bytes = new TextEncoder().encode(RAMPA_DTS);
  let off = 0;
  while (off < bytes.length) off += await Deno.stdout.write(bytes.subarray(off));
  return ExitCode.OK;
}
