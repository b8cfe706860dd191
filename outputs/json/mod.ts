/**
 * The JSON summary output.
 *
 * @module
 */
export { checkWritable, createJsonOutput, writeJson } from "./json_output.ts";
