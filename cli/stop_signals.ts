/**
 * The signals that stop a run like Ctrl-C, results kept: a closed terminal (SIGHUP) and a CI
 * runner's or orchestrator's SIGTERM too. Windows can only listen to SIGINT.
 *
 * @module
 */

/** Signals every phase of a run answers. */
export const STOP_SIGNALS: readonly Deno.Signal[] = Deno.build.os === "windows"
  ? ["SIGINT"]
  : ["SIGINT", "SIGTERM", "SIGHUP"];
