/**
 * Validates Kubernetes objects against the vendored `standalone-strict` JSON schemas
 * (tools/testing/k8s_schemas/) with ajv: what a cluster's API server would refuse as an
 * unknown or misplaced field, a wrong type or a missing required field fails here too.
 *
 * @module
 */
import { Ajv, type ValidateFunction } from "ajv";

const DIR = new URL("../../../tools/testing/k8s_schemas/", import.meta.url);

/** The schema file for each apiVersion and kind the fleet recipe prints. */
const FILES: Readonly<Record<string, string>> = {
  "batch/v1 Job": "job-batch-v1.json",
  "v1 Service": "service-v1.json",
  "v1 ConfigMap": "configmap-v1.json",
  "v1 Secret": "secret-v1.json",
};

let compiled: Map<string, ValidateFunction> | null = null;

function validators(): Map<string, ValidateFunction> {
  if (compiled) return compiled;
  // strict: false because the schemas carry x-kubernetes-* annotations ajv does not know.
  const ajv = new Ajv({ strict: false, allErrors: true });
  // The OpenAPI formats: check the integer ranges, accept the rest as the API server would
  // parse them itself.
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("byte", /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  compiled = new Map();
  for (const [key, file] of Object.entries(FILES)) {
    const schema = JSON.parse(Deno.readTextFileSync(new URL(file, DIR)));
    // "http://json-schema.org/schema#" names no draft ajv knows; the keywords are draft 4's.
    delete schema.$schema;
    compiled.set(key, ajv.compile(schema));
  }
  return compiled;
}

/** Validation errors of one object (empty when valid), each as `path: message`. */
export function k8sSchemaErrors(object: { apiVersion?: unknown; kind?: unknown }): string[] {
  const key = `${object.apiVersion} ${object.kind}`;
  const validate = validators().get(key);
  if (!validate) return [`no vendored schema for ${key}`];
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) =>
    `${key} ${e.instancePath || "/"}: ${e.message}${
      e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""
    }`
  );
}
