/**
 * JSON Schema validation for `--expect-body-json`, with ajv (the standard validator). Loaded
 * only when a run asks for it.
 *
 * @module
 */
import { ConfigError } from "../../core/errors.ts";
import type { BodyValidator } from "./response_checks.ts";

/** Compiles `schema` (a parsed JSON Schema); throws a ConfigError naming `file` when invalid. */
export async function compileJsonSchema(schema: unknown, file: string): Promise<BodyValidator> {
  const { Ajv } = await import("ajv");
  const ajv = new Ajv({ allErrors: false, strict: false });
  if (typeof schema !== "object" && typeof schema !== "boolean") {
    throw new ConfigError(`Invalid JSON Schema in "${file}": expected an object`);
  }
  let validate;
  try {
    validate = ajv.compile(schema as object | boolean);
  } catch (e) {
    throw new ConfigError(`Invalid JSON Schema in "${file}": ${(e as Error).message}`);
  }
  return (data) => {
    if (validate(data)) return null;
    const err = validate.errors?.[0];
    return err ? `${err.instancePath || "(root)"}: ${err.message}` : "does not match the schema";
  };
}
