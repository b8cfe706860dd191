/**
 * Errors thrown by user code, as one line: the message plus the position in the user's own
 * file (the first stack frame outside rampa's core), so a person can find the line at once.
 *
 * @module
 */

/** `message (file:///…/test.ts:12:7)`, at most 300 characters. */
export function errorLine(err: Error): string {
  let stack = "";
  try {
    stack = String(err.stack ?? "");
  } catch { /* a hostile getter: no position then */ }
  const at = stack.split("\n").find((l) => /file:\/\//.test(l) && !/\/core\//.test(l));
  const where = at ? ` (${at.trim().replace(/^at /, "").replace(/^.*\((.*)\)$/, "$1")})` : "";
  return `${String(err.message).split("\n")[0]}${where}`.slice(0, 300);
}

/**
 * Turns anything user code threw into an Error without running more user code that could
 * throw again: `throw { toString() { throw … } }` must not crash the load thread.
 */
export function toError(e: unknown): Error {
  if (e instanceof Error) {
    try {
      void e.name, void e.message, void e.stack;
      return e;
    } catch {
      return new Error("an Error whose name or message could not be read");
    }
  }
  try {
    return new Error(String(e));
  } catch {
    return new Error(`a thrown ${e === null ? "null" : typeof e} that could not be printed`);
  }
}

/** The error kind (its `name`) of a thrown value, or "Error". */
export function errorKind(err: Error): string {
  try {
    return typeof err.name === "string" && err.name ? err.name.slice(0, 80) : "Error";
  } catch {
    return "Error";
  }
}
