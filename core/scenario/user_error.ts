/**
 * Errors thrown by user code, as one line: the message plus the position in the user's own
 * file (the first stack frame outside rampa's core), so a person can find the line at once.
 *
 * @module
 */

/** `message (file:///…/test.ts:12:7)`, at most 300 characters. */
export function errorLine(err: Error): string {
  const at = (err.stack ?? "").split("\n").find((l) => /file:\/\//.test(l) && !/\/core\//.test(l));
  const where = at ? ` (${at.trim().replace(/^at /, "").replace(/^.*\((.*)\)$/, "$1")})` : "";
  return `${err.message.split("\n")[0]}${where}`.slice(0, 300);
}
