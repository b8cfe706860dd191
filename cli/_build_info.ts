/**
 * Facts about the build, stamped by the release workflow (and the Dockerfile) just before
 * `deno compile`: they overwrite this file with the commit being built. From source it says
 * "dev".
 *
 * @module
 */

/** The git commit this binary was built from; "dev" when running from source. */
export const COMMIT: string = "dev";
