/**
 * Reading a file the user named, bounded: it must be a regular file no larger than a limit.
 * `/dev/zero`, a FIFO or a huge file would otherwise be read until memory runs out (or never
 * end), and the user would see nothing. Every failure is one ConfigError line naming `what`.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

function mib(n: number): string {
  return `${Math.round(n / (1024 * 1024))} MiB`;
}

/** The bytes of `path` (`what` names it in errors, e.g. `--body-file "a.bin"`). */
export async function readFileBounded(
  path: string,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    throw new ConfigError(`Cannot read ${what}: ${e instanceof Error ? e.message : e}`);
  }
  if (!info.isFile) throw new ConfigError(`Cannot use ${what}: not a regular file`);
  if (info.size > maxBytes) {
    throw new ConfigError(
      `Cannot use ${what}: ${info.size} bytes, more than the ${mib(maxBytes)} allowed`,
    );
  }
  try {
    return await Deno.readFile(path);
  } catch (e) {
    throw new ConfigError(`Cannot read ${what}: ${e instanceof Error ? e.message : e}`);
  }
}

/** The text of `path`, bounded like {@link readFileBounded}. */
export async function readTextFileBounded(
  path: string,
  maxBytes: number,
  what: string,
): Promise<string> {
  return new TextDecoder().decode(await readFileBounded(path, maxBytes, what));
}

/** Largest summary file rampa reads (merge, report): summaries of long runs are a few MiB. */
export const MAX_SUMMARY_BYTES = 512 * 1024 * 1024;
