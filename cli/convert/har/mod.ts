/**
 * `rampa convert har`: turns a browser recording (HAR) into a declarative YAML scenario that
 * `rampa run` executes. The command itself lives in `cli/commands/`; this module is the pure
 * conversion, from HAR text to YAML text and notes.
 *
 * @example
 * ```ts
 * import { convertHar } from "./mod.ts";
 *
 * const { yaml, notes } = convertHar(await Deno.readTextFile("recording.har"));
 * console.log(yaml);
 * for (const n of notes) console.error(`note: ${n}`);
 * ```
 *
 * @module
 */
export { convertHar, type HarConversion, type HarConvertOptions } from "./convert.ts";
