/**
 * Paths as the user typed them, resolved from where the user stands. `deno task rampa …`
 * runs rampa in the checkout (the folder of its deno.json), not where the user ran it; deno
 * task says where that was in `INIT_CWD`. Every relative path a user gives (scenario, data
 * through the scenario's folder, `--out` targets, `--summary`, `--body-file`,
 * `--expect-body-json`, `--allow-read/--allow-write`) goes through {@link userPath}.
 *
 * `INIT_CWD` is trusted only when rampa runs in its own checkout, the one place deno task
 * puts it: a variable inherited by a rampa started elsewhere (a test harness spawning it in a
 * temporary folder from inside a task) is stale and ignored.
 *
 * @example
 * ```ts
 * import { userPath } from "./user_path.ts";
 * // `cd ~/load && deno task --cwd ~/rampa rampa run s.ts` → ~/load/s.ts
 * const scenario = userPath("s.ts");
 * ```
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { isAbsolute, resolve } from "node:path";

/** rampa's checkout (the folder of its deno.json) when run from source; null when compiled. */
function checkoutRoot(): string | null {
  const url = new URL("../", import.meta.url);
  if (url.protocol !== "file:") return null;
  const path = resolve(fileURLToPath(url));
  return path.includes("deno-compile-") ? null : path;
}

/** Where the environment and the process stand; both injectable for tests. */
export interface UserPathContext {
  /** `INIT_CWD` as set by deno task (or npm). @default Deno.env.get("INIT_CWD") */
  readonly initCwd?: string;
  /** The process's working directory. @default Deno.cwd() */
  readonly cwd?: string;
  /** The checkout deno task runs rampa in. @default this module's checkout */
  readonly root?: string | null;
}

function envInitCwd(): string | undefined {
  try {
    return Deno.env.get("INIT_CWD") || undefined;
  } catch {
    return undefined; // no --allow-env: nothing to honour
  }
}

/**
 * The folder relative paths are resolved against: `INIT_CWD` when deno task ran rampa in its
 * checkout from somewhere else, otherwise the working directory.
 */
export function userCwd(ctx: UserPathContext = {}): string {
  const cwd = resolve(ctx.cwd ?? Deno.cwd());
  const init = ctx.initCwd ?? envInitCwd();
  const root = ctx.root === undefined ? checkoutRoot() : ctx.root;
  if (!init || root === null || resolve(root) !== cwd) return cwd;
  return resolve(cwd, init);
}

/**
 * `p` resolved from where the user stands ({@link userCwd}). Left as given when it is
 * absolute, `-` (stdout), a URL, or when the user stands in the working directory anyway, so
 * messages keep the name the user typed.
 */
export function userPath(p: string, ctx: UserPathContext = {}): string {
  if (p === "" || p === "-" || isAbsolute(p) || /^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return p;
  const base = userCwd(ctx);
  return base === resolve(ctx.cwd ?? Deno.cwd()) ? p : resolve(base, p);
}
