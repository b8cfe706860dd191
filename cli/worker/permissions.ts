/**
 * What scenario code may do: the network, reading its own project, and what the user grants
 * with `--allow-read`/`--allow-write`/`--allow-run`/`--allow-sys`, or everything rampa may do with
 * `--allow-all`. rampa itself needs to write summaries and reports and read body files, but a
 * scenario (often copied from elsewhere) has no business reading `~/.ssh` or running
 * commands. Deno's worker permissions enforce it on the threads that run user code (the
 * lifecycle thread and the load threads); the main thread runs none.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ThreadPermissions } from "../../core/run/spec.ts";

/** What the user granted scenario code on the command line. */
export interface ScenarioGrants {
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly run: readonly string[];
  readonly sys: boolean;
  /** `--allow-all`: scenario code gets rampa's own permissions (the pre-0.2 behaviour). */
  readonly all: boolean;
}

/** No grants beyond the defaults. */
export const NO_GRANTS: ScenarioGrants = { read: [], write: [], run: [], sys: false, all: false };

/** Worker permissions as Deno takes them (`"inherit"` for `--allow-all`). */
export type WorkerPermissions = ThreadPermissions;

const MARKERS = ["deno.json", "deno.jsonc", "package.json", ".git"];

/**
 * The scenario's project: the nearest folder above it holding deno.json, package.json or
 * .git (a scenario importing `../lib/util.ts` must work), else the scenario's own folder.
 */
export function projectRoot(scenarioPath: string): string {
  const start = dirname(resolve(scenarioPath));
  for (let dir = start;;) {
    for (const m of MARKERS) {
      try {
        Deno.statSync(join(dir, m));
        return dir;
      } catch { /* not here */ }
    }
    const up = dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
}

/** rampa's own sources when run from source (its lazy imports need reading); none compiled. */
function rampaRoot(): string[] {
  const url = new URL("../../", import.meta.url);
  if (url.protocol !== "file:") return [];
  const path = fileURLToPath(url);
  // A compiled binary's modules are embedded: nothing on disk to grant.
  return path.includes("deno-compile-") ? [] : [path];
}

/** The permissions of threads that run the scenario at `scenarioPath`. */
export function scenarioPermissions(
  scenarioPath: string,
  grants: ScenarioGrants,
  cwd = Deno.cwd(),
): WorkerPermissions {
  if (grants.all) return "inherit";
  const abs = (p: string) => resolve(cwd, p);
  return {
    net: true,
    read: [projectRoot(scenarioPath), ...rampaRoot(), ...grants.read.map(abs)],
    write: grants.write.length ? grants.write.map(abs) : false,
    run: grants.run.length ? [...grants.run] : false,
    sys: grants.sys,
    // Scenarios read their configuration from the environment (k6's __ENV shows it all too),
    // and client libraries (gRPC, proxies) read theirs.
    env: true,
    ffi: false,
    // Remote modules a scenario imports: what rampa itself may import (Deno's default hosts).
    import: "inherit",
  };
}

/** Worker options for a thread that runs scenario code with `permissions`. */
export function workerOptions(permissions: WorkerPermissions | undefined): WorkerOptions {
  if (permissions === undefined || permissions === "inherit") return { type: "module" };
  return { type: "module", deno: { permissions: structuredClone(permissions) } } as WorkerOptions;
}
