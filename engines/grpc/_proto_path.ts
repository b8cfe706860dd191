/**
 * Where a scenario's relative `.proto` path points: the folder of the scenario file that
 * called `connect`. Core keeps the scenario's folder to itself (the dataset loader's base), so
 * it is read from the caller's stack frame instead: the first file outside rampa's own
 * `core/`, `engines/` and `mod.ts`. That is also right for a library a scenario imports (its
 * protos sit next to it). Without such a frame, the working directory.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = new URL("../../", import.meta.url).href;
const OWN = [ROOT + "core/", ROOT + "engines/", ROOT + "mod.ts"];

/** The folder of the first caller outside rampa, or null. */
export function callerDir(stack = new Error().stack ?? ""): string | null {
  for (const m of stack.matchAll(/(file:\/\/[^\s)]+?):\d+:\d+/g)) {
    const url = m[1];
    if (OWN.some((o) => url.startsWith(o))) continue;
    try {
      return dirname(fileURLToPath(url));
    } catch {
      continue;
    }
  }
  return null;
}

/** An absolute path for a proto file or import folder named by a scenario. */
export function resolveProtoPath(p: string | URL, base?: string): string {
  if (p instanceof URL) return fileURLToPath(p);
  if (isAbsolute(p)) return p;
  return resolve(base ?? callerDir() ?? Deno.cwd(), p);
}
