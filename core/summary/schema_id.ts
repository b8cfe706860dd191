/**
 * The summary format's identity, apart from its zod schema so that writing a summary does not
 * load zod (start-up time); readers validate with the schema in schema.ts.
 *
 * @module
 */

/** Schema id written in every summary. */
export const SUMMARY_SCHEMA = "rampa.summary";
/** Bumped on any incompatible change; readers refuse other versions. */
export const SUMMARY_VERSION = 1;
