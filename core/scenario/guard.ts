/**
 * Keeps scenario code from ending or crashing the thread it runs on. A scenario's
 * `Deno.exit()` / `process.exit()` would end a load thread silently (and decide rampa's exit
 * code), and an unhandled rejection would end it with Deno's trace; either way the results the
 * thread measured so far would be lost. Here they become what they are: the scenario's errors,
 * counted and reported like any exception an iteration throws.
 *
 * @module
 */
import process from "node:process";
import { toError } from "./user_error.ts";

/** Thrown in place of exiting when scenario code calls `Deno.exit()` or `process.exit()`. */
export class ScenarioExitError extends Error {
  /** @param code the exit code the scenario asked for */
  constructor(code: unknown) {
    super(
      `the scenario called exit(${typeof code === "number" ? code : ""}); ` +
        "a scenario cannot end the run (throw, or use a threshold with abortOnFail)",
    );
    this.name = "ScenarioExit";
  }
}

/**
 * Installs the guards on this thread (idempotent). `onError` receives unhandled rejections
 * and uncaught errors of scenario code, with their kind.
 */
export function guardScenarioThread(onError: (kind: string, err: Error) => void): void {
  const exit = (code?: unknown): never => {
    throw new ScenarioExitError(code);
  };
  // Deno's namespace allows redefining its members; a frozen one would leave exit unguarded.
  Object.defineProperty(Deno, "exit", { value: exit, configurable: true, writable: true });
  try {
    Object.defineProperty(process, "exit", { value: exit, configurable: true, writable: true });
  } catch { /* node:process not patchable: Deno.exit is the common case */ }
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    onError("UnhandledRejection", toError(e.reason));
  });
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    onError("UncaughtError", toError(e.error));
  });
}
