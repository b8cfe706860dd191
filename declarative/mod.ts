/**
 * Declarative scenarios: YAML or JSON files with `options`, `data` and `steps` (or weighted
 * `flows`) that rampa compiles once into a plan and runs through the same executors, metrics,
 * checks, groups, thresholds and outputs as TypeScript scenarios. See docs/declarative.md.
 *
 * @example
 * ```ts
 * import { compileDeclarative } from "./mod.ts";
 *
 * const mod = await compileDeclarative("flow.yaml", `
 * options: { vus: 1, iterations: 1 }
 * steps:
 *   - name: home
 *     request: { url: "http://127.0.0.1:8080/" }
 *     expect: { status: 200 }
 * `);
 * console.log(typeof mod.default); // "function"
 * ```
 *
 * @module
 */
export { compileDeclarative, loadDeclarativeScenario } from "./load.ts";
export { DECLARATIVE_EXTENSIONS, registerDeclarativeFormats } from "./register.ts";
export { evalJsonPath, type JsonPath, parseJsonPath } from "./jsonpath.ts";
export { type ParsedTemplate, parseTemplate, type TemplatePart, type VarRef } from "./template.ts";
export type { Plan } from "./plan.ts";
