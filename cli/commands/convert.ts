/**
 * `rampa convert har|k6 <file>`: turns a browser recording or a k6 script into a rampa
 * scenario on stdout; what could not be converted goes to stderr, one `file:line: note` each,
 * so `rampa convert k6 script.js > scenario.ts` leaves a clean file.
 *
 * @module
 */
import { ConfigError, ExitCode } from "../../core/errors.ts";
import { parseFlags } from "../flags.ts";

/** Usage of `rampa convert`. */
export const CONVERT_USAGE: string = `Usage: rampa convert <har|k6> <file> [options] > out

  rampa convert har recording.har > flow.yaml
      A browser recording (HAR) as a declarative scenario: static assets and other hosts
      left out, recorded tokens replaced by values extracted from earlier responses.
        --host <name>     Keep requests to this host (repeatable; *.example.com for a domain)
        --keep-static     Keep scripts, styles, images, fonts and media
        --min-think <ms>  Pauses of at least this long become think times (default 500, 0 off)
        --no-expect       Do not expect each step's recorded status

  rampa convert k6 script.js > scenario.ts
      A k6 script as a rampa TypeScript scenario (imports, await, ctx, options, thresholds);
      each construct it could not convert is a // rampa-convert: comment in the output and a
      line on stderr.

Notes go to stderr; the converted file to stdout.
`;

const OPTIONS = {
  host: { type: "string", multiple: true },
  "keep-static": { type: "boolean" },
  "min-think": { type: "string" },
  "no-expect": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `rampa convert`; returns the exit code. */
export async function convertCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags("convert", args, OPTIONS, true);
  if (v.help || positionals.length === 0) {
    console.log(CONVERT_USAGE);
    return v.help ? ExitCode.OK : ExitCode.INVALID_CONFIG;
  }
  const [kind, file, ...rest] = positionals;
  if (kind !== "har" && kind !== "k6") {
    throw new ConfigError(
      `Unknown conversion "${kind}": expected har or k6 (see rampa convert --help)`,
    );
  }
  if (!file) throw new ConfigError(`Missing the file to convert: rampa convert ${kind} <file>`);
  if (rest.length) throw new ConfigError(`Unexpected argument "${rest[0]}" (one file at a time)`);
  let text: string;
  try {
    const st = await Deno.stat(file);
    if (!st.isFile) throw new Error("not a regular file");
    if (st.size > 256 * 1024 * 1024) throw new Error("larger than 256 MiB");
    text = await Deno.readTextFile(file);
  } catch (e) {
    throw new ConfigError(`Cannot read "${file}": ${e instanceof Error ? e.message : e}`);
  }
  if (kind === "har") {
    const minThink = v["min-think"] === undefined ? undefined : Number(v["min-think"]);
    if (minThink !== undefined && !(minThink >= 0)) {
      throw new ConfigError(`Cannot parse --min-think "${v["min-think"]}": expected ms ≥ 0`);
    }
    const { convertHar } = await import("../convert/har/mod.ts");
    const r = convertHar(text, {
      ...(v.host?.length ? { filterHosts: v.host } : {}),
      keepStatic: v["keep-static"] ?? false,
      ...(minThink !== undefined ? { minThinkMs: minThink } : {}),
      expectStatus: !(v["no-expect"] ?? false),
    });
    console.log(r.yaml.replace(/\n$/, ""));
    for (const n of r.notes) console.error(`${file}: ${n}`);
    return ExitCode.OK;
  }
  const { convertK6 } = await import("../convert/k6/mod.ts");
  const r = convertK6(text, file);
  console.log(r.code.replace(/\n$/, ""));
  for (const n of r.notes) console.error(`${file}:${n.line}: ${n.message}`);
  if (r.notes.length) {
    console.error(
      `${r.notes.length} note(s): review the // rampa-convert: comments before running`,
    );
  }
  return ExitCode.OK;
}
