/**
 * The outputs a user can name with `--out name=target`. A static map: static imports keep
 * `deno compile` honest (every output is in the binary) and adding an exporter means adding a
 * folder and one line here, not touching the core.
 *
 * @module
 */
import type { Output } from "../core/run/output.ts";
import { ConfigError } from "../core/errors.ts";
import { csvOutputFromTarget } from "./csv/mod.ts";
import { createHtmlOutput } from "./html/mod.ts";
import { createJsonOutput } from "./json/mod.ts";
import { createJunitOutput } from "./junit/mod.ts";

/** Makes an output from the part after `name=`. */
export type OutputFactory = (target: string) => Output;

/** Every output that `--out` accepts. */
export const OUTPUTS: Readonly<Record<string, OutputFactory>> = {
  json: (target) => createJsonOutput(target),
  html: (target) => createHtmlOutput(target),
  csv: (target) => csvOutputFromTarget(target),
  junit: (target) => createJunitOutput(target),
};

/** Parses one `--out` value (`json=path`) into an output. */
export function createOutputFromFlag(spec: string): Output {
  const eq = spec.indexOf("=");
  const name = eq < 0 ? spec : spec.slice(0, eq);
  const target = eq < 0 ? "" : spec.slice(eq + 1);
  const factory = OUTPUTS[name];
  if (!factory) {
    throw new ConfigError(
      `Unknown output "${name}" in --out "${spec}": expected one of ${
        Object.keys(OUTPUTS).join(", ")
      } (as name=path)`,
    );
  }
  if (!target) {
    throw new ConfigError(`Missing target in --out "${spec}": expected ${name}=path`);
  }
  return factory(target);
}
