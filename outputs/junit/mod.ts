/**
 * The JUnit XML output: a run's thresholds and checks as test cases for CI test reports.
 *
 * @example
 * ```ts
 * import { createJunitOutput, renderJunit } from "./mod.ts";
 * const output = createJunitOutput("rampa-junit.xml");
 * // or, from a summary read back from disk:
 * // await Deno.writeTextFile("junit.xml", renderJunit(summary));
 * ```
 *
 * @module
 */
export { createJunitOutput, renderJunit, writeJunit, xmlAttr, xmlText } from "./junit_output.ts";
