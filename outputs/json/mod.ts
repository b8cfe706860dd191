/**
 * The JSON summary output.
 *
 * @module
 */
export { createJsonOutput, renderJson, writeJson } from "./json_output.ts";
export { checkWritable } from "../_file_output.ts";
