/**
 * `rampa check <scenario.ts…>`: type-checks scenarios with Deno's type checker against rampa's
 * public types, outside a rampa checkout and from a compiled binary. The binary carries rampa's
 * API as one declaration file (`rampa types`); this command writes it and an import map
 * (`"rampa"` → that file, beside the user's own deno.json imports) to a temporary folder and runs
 * `deno check` with them. A compiled binary has no type checker of its own, so it needs a `deno`
 * executable on PATH (or `RAMPA_DENO`); without one it says how to check in an editor instead.
 *
 * Exit codes: 0 no type errors, 2 type errors (one `file:line:col: message` line each on
 * stdout) or no `deno` to run.
 *
 * @module
 */
import { delimiter, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, ExitCode } from "../../core/errors.ts";
import { parseFlags } from "../flags.ts";
import { userCwd, userPath } from "../user_path.ts";

/** Usage of `rampa check`. */
export const CHECK_USAGE: string = `Usage: rampa check <scenario.ts>... [options]

Type-checks scenario files with Deno's type checker and rampa's types: a misspelt executor, a
missing rate or a wrong http option is reported before any load is sent. Runs \`deno check\` with
"rampa" mapped to rampa's declaration file (\`rampa types\`) beside the imports of the scenario's
own deno.json. Needs a \`deno\` executable on PATH (or RAMPA_DENO=/path/to/deno) when run from the
compiled binary; without one it prints how to check in an editor.

Exit codes: 0 no type errors; 2 type errors, one "file:line:col: TSnnnn message" line each.

Options:
  -h, --help   Show this help
`;

const OPTIONS = { help: { type: "boolean", short: "h" } } as const;

/** Where to find a `deno` executable. */
export interface DenoLookup {
  /** `Deno.build.standalone`: true in a compiled binary, whose execPath is rampa itself. */
  readonly standalone: boolean;
  /** `Deno.execPath()`. */
  readonly execPath: string;
  /** `RAMPA_DENO`, an explicit path. */
  readonly rampaDeno?: string;
  /** `PATH`. */
  readonly path?: string;
  /** Whether a file is an executable (injected for tests). */
  readonly isExecutable?: (file: string) => boolean;
  /** `Deno.build.os`. */
  readonly os?: string;
}

function executable(file: string): boolean {
  try {
    const st = Deno.statSync(file);
    return st.isFile && (Deno.build.os === "windows" || ((st.mode ?? 0o111) & 0o111) !== 0);
  } catch {
    return false;
  }
}

/**
 * The `deno` to run: `RAMPA_DENO` when set, the running Deno under `deno run`, else the first
 * `deno` on PATH; `null` when there is none (a compiled binary on a machine without Deno).
 */
export function findDeno(l: DenoLookup): string | null {
  if (l.rampaDeno) return l.rampaDeno;
  if (!l.standalone) return l.execPath;
  const isExec = l.isExecutable ?? executable;
  const name = (l.os ?? Deno.build.os) === "windows" ? "deno.exe" : "deno";
  for (const dir of (l.path ?? "").split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    if (isExec(file)) return file;
  }
  return null;
}

/** What to do without a `deno` executable: the editor route, in a few lines. */
export const NO_DENO_HELP: string =
  `rampa check needs Deno's type checker, and no "deno" executable is on PATH (or in RAMPA_DENO).
Either install Deno (https://deno.com; \`npm install -g deno\` works) and run rampa check again,
or check in your editor:
  rampa types > rampa.d.ts
  echo '{ "imports": { "rampa": "./rampa.d.ts" } }' > deno.json
then open the scenario in an editor with the Deno extension (or run \`deno check scenario.ts\`).`;

/** One type error: where and what. */
export interface Diagnostic {
  /** A file URL or path; empty when deno gave none. */
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** `TS2322`, or empty for module-graph and syntax errors. */
  readonly code: string;
  /** The message's first line. */
  readonly message: string;
}

const LOCATION = /(file:\/\/\S+?):(\d+):(\d+)/;

/** Reads `deno check`'s (uncoloured) stderr into diagnostics, one per reported error. */
export function parseDenoCheckOutput(stderr: string): Diagnostic[] {
  const out: { file: string; line: number; col: number; code: string; message: string }[] = [];
  let cur: (typeof out)[number] | undefined;
  for (const raw of stderr.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const ts = /^(TS\d+) \[ERROR\]: (.*)$/.exec(line);
    const err = /^error: (.*)$/.exec(line);
    if (ts || (err && !/^Type checking failed/.test(err[1]))) {
      const message = ts ? ts[2] : err![1];
      cur = { file: "", line: 0, col: 0, code: ts ? ts[1] : "", message };
      const inline = LOCATION.exec(message);
      if (inline) {
        cur.file = inline[1];
        cur.line = Number(inline[2]);
        cur.col = Number(inline[3]);
      }
      out.push(cur);
      continue;
    }
    const at = /^\s+at (file:\/\/\S+):(\d+):(\d+)$/.exec(line);
    if (at && cur && cur.file === "") {
      cur.file = at[1];
      cur.line = Number(at[2]);
      cur.col = Number(at[3]);
    }
  }
  return out;
}

/** A diagnostic as one line: `file:line:col: TSnnnn message`, the path relative to `cwd`. */
export function formatDiagnostic(d: Diagnostic, cwd: string): string {
  let file = d.file;
  if (file.startsWith("file://")) {
    const path = decodeURIComponent(new URL(file).pathname);
    const rel = relative(cwd, path);
    file = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
  }
  const where = file ? (d.line ? `${file}:${d.line}:${d.col}` : file) : "";
  const what = d.code ? `${d.code} ${d.message}` : d.message;
  return where ? `${where}: ${what}` : what;
}

/** The imports of a deno.json beside the scenario (or where the user stands), made absolute. */
async function userImports(dirs: string[]): Promise<Record<string, string>> {
  for (const dir of dirs) {
    const file = join(dir, "deno.json");
    let cfg: { imports?: Record<string, unknown> };
    try {
      cfg = JSON.parse(await Deno.readTextFile(file));
    } catch {
      continue;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(cfg.imports ?? {})) {
      if (typeof v !== "string") continue;
      out[k] = v.startsWith("./") || v.startsWith("../")
        ? pathToFileURL(resolve(dir, v)).href + (v.endsWith("/") ? "/" : "")
        : v;
    }
    return out;
  }
  return {};
}

/** Runs `rampa check`; returns the exit code. */
export async function checkCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags("check", args, OPTIONS, true);
  if (v.help || positionals.length === 0) {
    console.log(CHECK_USAGE);
    return v.help ? ExitCode.OK : ExitCode.INVALID_CONFIG;
  }
  const files = positionals.map((p) => resolve(userPath(p)));
  for (const [i, f] of files.entries()) {
    let st: Deno.FileInfo;
    try {
      st = await Deno.stat(f);
    } catch (e) {
      throw new ConfigError(`Cannot read "${positionals[i]}": ${(e as Error).message}`);
    }
    if (!st.isFile) throw new ConfigError(`Cannot check "${positionals[i]}": not a file`);
    if (!/\.(m?ts|tsx|m?js|jsx)$/.test(f)) {
      throw new ConfigError(
        `Cannot check "${positionals[i]}": expected a TypeScript or JavaScript scenario ` +
          `(YAML scenarios are validated by rampa run --dry-run)`,
      );
    }
  }
  const env = (k: string) => {
    try {
      return Deno.env.get(k);
    } catch {
      return undefined;
    }
  };
  const deno = findDeno({
    standalone: Deno.build.standalone,
    execPath: Deno.execPath(),
    rampaDeno: env("RAMPA_DENO"),
    path: env("PATH"),
  });
  if (deno === null) {
    console.error(NO_DENO_HELP);
    return ExitCode.INVALID_CONFIG;
  }
  const { RAMPA_DTS } = await import("../types/_rampa_dts.ts");
  const tmp = await Deno.makeTempDir({ prefix: "rampa-check-" });
  try {
    const dts = join(tmp, "rampa.d.ts");
    await Deno.writeTextFile(dts, RAMPA_DTS);
    const cwd = userCwd();
    const imports = {
      ...await userImports([dirname(files[0]), cwd]),
      rampa: pathToFileURL(dts).href,
    };
    const config = join(tmp, "deno.json");
    await Deno.writeTextFile(config, JSON.stringify({ imports }, null, 2));
    const r = await new Deno.Command(deno, {
      args: ["check", "--quiet", "--no-lock", "--config", config, ...files],
      cwd,
      env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(r.stderr);
    if (r.success) {
      console.error(`${positionals.join(", ")}: no type errors`);
      return ExitCode.OK;
    }
    const diags = parseDenoCheckOutput(stderr);
    if (diags.length === 0) {
      // Something other than type errors (deno refused its arguments): show it as it came.
      console.error(stderr.trim());
      return ExitCode.INVALID_CONFIG;
    }
    for (const d of diags) console.log(formatDiagnostic(d, cwd));
    console.error(`${diags.length} type error${diags.length === 1 ? "" : "s"}`);
    return ExitCode.INVALID_CONFIG;
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}
