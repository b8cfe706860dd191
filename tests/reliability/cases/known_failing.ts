/**
 * The cases rampa still fails, by name, each with the one-line behaviour observed (on HEAD
 * 9aab970, 2026-12-03). This is the work queue of issue 14: delete a line when its fix lands
 * (the suite prints "FIXED, remove knownFailing" for a listed case that passes). A case can
 * also carry `knownFailing` itself; a name here that matches no case fails the suite.
 *
 * @module
 */

/** Case name → what rampa does today. */
export const KNOWN_FAILING: Readonly<Record<string, string>> = {};
