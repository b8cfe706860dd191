/**
 * The JSON summary output.
 *
 * @module
 */
export {
  createJsonOutput,
  createJsonStdoutOutput,
  isStdoutTarget,
  renderJson,
  STDOUT_TARGETS,
  writeJson,
} from "./json_output.ts";
export { checkWritable } from "../_file_output.ts";
