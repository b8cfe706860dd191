/**
 * The executor names, in a file of their own so that config.ts (which validates a scenario's
 * `executor`) and factory.ts (which maps each name to its executor) share them without
 * importing each other: the factory already depends on config.ts for the config types.
 *
 * @example
 * ```ts
 * import { EXECUTOR_KINDS } from "./kinds.ts";
 *
 * console.log(EXECUTOR_KINDS.includes("ramping-vus")); // true
 * ```
 *
 * @module
 */

/** Every executor name, in the order help texts list them. */
export const EXECUTOR_KINDS = [
  "constant-arrival-rate",
  "ramping-arrival-rate",
  "constant-vus",
  "ramping-vus",
  "per-vu-iterations",
  "shared-iterations",
] as const;

/** The executor names users can write, e.g. `ramping-vus`. */
export type ExecutorKind = typeof EXECUTOR_KINDS[number];
