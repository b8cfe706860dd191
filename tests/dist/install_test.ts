/**
 * install.sh against a fake release served on 127.0.0.1 in GitHub's layout
 * (`/latest/download/<file>`, `/download/v<version>/<file>`): every archive holds a `rampa`
 * shell script that prints its version, beside a SHA256SUMS file. The script runs under `sh`
 * (and `dash` where present) with RAMPA_DOWNLOAD_BASE pointing at the server and a temporary
 * prefix.
 *
 * @module
 */
import { equal, match, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";

const INSTALL_SH = fileURLToPath(new URL("../../install.sh", import.meta.url));
const LATEST = "0.2.0";
const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];

async function has(bin: string): Promise<boolean> {
  try {
    const out = await new Deno.Command("sh", {
      args: ["-c", `command -v ${bin}`],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}
const HAS_ZIP = await has("zip") && await has("unzip");
const HAS_WGET = await has("wget");
const HAS_DASH = await has("dash");

async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Writes `<root>/v<version>/` with one archive per target and SHA256SUMS; `corrupt` makes the
 * listed checksums wrong (as after a tampered download).
 */
async function makeRelease(root: string, version: string, corrupt = false): Promise<void> {
  const dir = `${root}/v${version}`;
  const work = `${root}/work-${version}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.mkdir(work, { recursive: true });
  const script = `#!/bin/sh\necho "rampa ${version} (fake)"\n`;
  await Deno.writeTextFile(`${work}/rampa`, script, { mode: 0o755 });
  await Deno.writeTextFile(`${work}/rampa.exe`, script, { mode: 0o755 });
  const sums: string[] = [];
  for (const target of TARGETS) {
    const windows = target.endsWith("windows-msvc");
    if (windows && !HAS_ZIP) continue;
    const file = `rampa-${version}-${target}.${windows ? "zip" : "tar.gz"}`;
    if (windows) await run("zip", ["-q", `${dir}/${file}`, "rampa.exe"], work);
    else await run("tar", ["-czf", `${dir}/${file}`, "rampa"], work);
    const sum = await sha256(`${dir}/${file}`);
    sums.push(`${corrupt ? sum.replace(/^./, (c) => c === "0" ? "1" : "0") : sum}  ${file}`);
  }
  await Deno.writeTextFile(`${dir}/SHA256SUMS`, sums.join("\n") + "\n");
}

/** The fake release server; `requests` lists every path asked for. */
interface Release {
  readonly base: string;
  readonly requests: string[];
  close(): Promise<void>;
}

function serveReleases(root: string): Release {
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    requests.push(path);
    const m = /^\/(?:latest\/download|download\/(v[^/]+))\/([^/]+)$/.exec(path);
    if (!m) return new Response("not found", { status: 404 });
    try {
      const body = await Deno.readFile(`${root}/${m[1] ?? `v${LATEST}`}/${m[2]}`);
      return new Response(body);
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    requests,
    close: () => server.shutdown(),
  };
}

/** Fake releases 0.1.0 and 0.2.0 (latest) plus 0.3.0, whose SHA256SUMS does not match. */
async function withReleases(fn: (r: Release, tmp: string) => Promise<void>): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "rampa-install-" });
  await makeRelease(`${tmp}/releases`, "0.1.0");
  await makeRelease(`${tmp}/releases`, LATEST);
  await makeRelease(`${tmp}/releases`, "0.3.0", true);
  const release = serveReleases(`${tmp}/releases`);
  try {
    await fn(release, tmp);
  } finally {
    await release.close();
    await Deno.remove(tmp, { recursive: true });
  }
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs install.sh under `shell` with a clean environment plus `env`, bounded to 30 s. */
async function install(
  release: Release,
  tmp: string,
  args: string[],
  env: Record<string, string> = {},
  shell = "sh",
): Promise<Result> {
  const out = await new Deno.Command(shell, {
    args: [INSTALL_SH, ...args],
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: `${tmp}/home`,
      NO_PROXY: "127.0.0.1,localhost,::1",
      no_proxy: "127.0.0.1,localhost,::1",
      RAMPA_DOWNLOAD_BASE: release.base,
      RAMPA_UNAME_S: "Linux",
      RAMPA_UNAME_M: "x86_64",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs an installed (fake) rampa and returns what it printed. */
async function runInstalled(path: string): Promise<string> {
  const out = await new Deno.Command(path, { stdout: "piped", stderr: "piped" }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("install.sh installs the latest release into <prefix>/bin as an executable that runs", async () => {
  await withReleases(async (release, tmp) => {
    const r = await install(release, tmp, ["--prefix", `${tmp}/pfx`]);
    equal(r.code, 0, r.stderr);
    const bin = `${tmp}/pfx/bin/rampa`;
    ok(((await Deno.stat(bin)).mode ?? 0) & 0o111, "executable");
    equal(await runInstalled(bin), `rampa ${LATEST} (fake)`);
    match(r.stderr, new RegExp(`installed rampa ${LATEST} to ${bin.replaceAll("/", "\\/")}`));
    equal(release.requests[0], "/latest/download/SHA256SUMS");
    equal(release.requests[1], `/latest/download/rampa-${LATEST}-x86_64-unknown-linux-gnu.tar.gz`);
    const left = [...Deno.readDirSync(`${tmp}/pfx/bin`)].map((e) => e.name);
    equal(left.join(","), "rampa", "no temporary file left beside it");
  });
});

Deno.test("install.sh installs a given version (--version v0.1.0, --version=0.1.0, RAMPA_VERSION)", async () => {
  await withReleases(async (release, tmp) => {
    const cases: [string[], Record<string, string>][] = [
      [["--version", "v0.1.0"], {}],
      [["--version=0.1.0"], {}],
      [[], { RAMPA_VERSION: "v0.1.0" }],
    ];
    for (const [i, [args, env]] of cases.entries()) {
      release.requests.length = 0;
      const prefix = `${tmp}/pfx${i}`;
      const r = await install(release, tmp, ["--prefix", prefix, ...args], env);
      equal(r.code, 0, r.stderr);
      equal(await runInstalled(`${prefix}/bin/rampa`), "rampa 0.1.0 (fake)");
      ok(release.requests.every((p) => p.startsWith("/download/v0.1.0/")), release.requests.join());
    }
    // Installing the latest over it replaces the binary.
    const r = await install(release, tmp, ["--prefix", `${tmp}/pfx0`]);
    equal(r.code, 0, r.stderr);
    equal(await runInstalled(`${tmp}/pfx0/bin/rampa`), `rampa ${LATEST} (fake)`);
  });
});

Deno.test("install.sh defaults to ~/.local/bin, detects the host platform and runs under dash", async () => {
  await withReleases(async (release, tmp) => {
    const host = Deno.build.target;
    const r = await install(
      release,
      tmp,
      [],
      { RAMPA_UNAME_S: "", RAMPA_UNAME_M: "" },
      HAS_DASH ? "dash" : "sh",
    );
    if (!TARGETS.includes(host)) {
      ok(r.code !== 0);
      return;
    }
    equal(r.code, 0, r.stderr);
    equal(await runInstalled(`${tmp}/home/.local/bin/rampa`), `rampa ${LATEST} (fake)`);
    ok(release.requests.some((p) => p.endsWith(`-${host}.tar.gz`)), release.requests.join());
    match(r.stderr, /is not on your PATH/);
  });
});

Deno.test("install.sh maps uname names to targets (arm64 macOS, aarch64 Linux)", async () => {
  await withReleases(async (release, tmp) => {
    for (
      const [s, m, target] of [
        ["Darwin", "arm64", "aarch64-apple-darwin"],
        ["Darwin", "x86_64", "x86_64-apple-darwin"],
        ["Linux", "aarch64", "aarch64-unknown-linux-gnu"],
        ["Linux", "amd64", "x86_64-unknown-linux-gnu"],
      ]
    ) {
      release.requests.length = 0;
      const prefix = `${tmp}/pfx-${target}`;
      const r = await install(release, tmp, ["--prefix", prefix], {
        RAMPA_UNAME_S: s,
        RAMPA_UNAME_M: m,
      });
      equal(r.code, 0, r.stderr);
      equal(release.requests[1], `/latest/download/rampa-${LATEST}-${target}.tar.gz`);
      ok(await exists(`${prefix}/bin/rampa`));
    }
  });
});

Deno.test("install.sh refuses an archive whose checksum does not match and installs nothing", async () => {
  await withReleases(async (release, tmp) => {
    const r = await install(release, tmp, ["--version", "v0.3.0", "--prefix", `${tmp}/pfx`]);
    ok(r.code !== 0, "non-zero exit");
    match(r.stderr, /checksum mismatch for rampa-0\.3\.0-x86_64-unknown-linux-gnu\.tar\.gz/);
    match(r.stderr, /nothing was installed/);
    equal(await exists(`${tmp}/pfx`), false, "the prefix is not even created");
    // An existing installation is left as it was.
    ok((await install(release, tmp, ["--prefix", `${tmp}/pfx`])).code === 0);
    const again = await install(release, tmp, ["--version", "0.3.0", "--prefix", `${tmp}/pfx`]);
    ok(again.code !== 0);
    equal(await runInstalled(`${tmp}/pfx/bin/rampa`), `rampa ${LATEST} (fake)`);
  });
});

Deno.test("install.sh says in one line that a platform is unsupported, before any download", async () => {
  await withReleases(async (release, tmp) => {
    for (const [s, m] of [["FreeBSD", "amd64"], ["Linux", "riscv64"], ["Darwin", "ppc"]]) {
      const r = await install(release, tmp, ["--prefix", `${tmp}/pfx`], {
        RAMPA_UNAME_S: s,
        RAMPA_UNAME_M: m,
      });
      ok(r.code !== 0);
      equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      match(r.stderr, new RegExp(`^rampa install: error: unsupported platform: ${s} ${m} `));
    }
    equal(release.requests.length, 0);
    equal(await exists(`${tmp}/pfx`), false);
  });
});

Deno.test("install.sh reports a version that was never released and an unknown option", async () => {
  await withReleases(async (release, tmp) => {
    const r = await install(release, tmp, ["--version", "v9.9.9", "--prefix", `${tmp}/pfx`]);
    ok(r.code !== 0);
    match(r.stderr, /cannot download .*\/download\/v9\.9\.9\/SHA256SUMS/);
    const bad = await install(release, tmp, ["--frobnicate"]);
    ok(bad.code !== 0);
    match(bad.stderr, /unknown option "--frobnicate"/);
    equal(await exists(`${tmp}/pfx`), false);
  });
});

Deno.test({
  name: "install.sh downloads with wget when asked (RAMPA_DOWNLOADER=wget)",
  ignore: !HAS_WGET,
  fn: async () => {
    await withReleases(async (release, tmp) => {
      const r = await install(release, tmp, ["--prefix", `${tmp}/pfx`], {
        RAMPA_DOWNLOADER: "wget",
      });
      equal(r.code, 0, r.stderr);
      equal(await runInstalled(`${tmp}/pfx/bin/rampa`), `rampa ${LATEST} (fake)`);
    });
  },
});

Deno.test({
  name: "install.sh unpacks the .zip and installs rampa.exe on Windows shells (MINGW64)",
  ignore: !HAS_ZIP,
  fn: async () => {
    await withReleases(async (release, tmp) => {
      const r = await install(release, tmp, ["--prefix", `${tmp}/pfx`], {
        RAMPA_UNAME_S: "MINGW64_NT-10.0-20348",
        RAMPA_UNAME_M: "x86_64",
      });
      equal(r.code, 0, r.stderr);
      equal(release.requests[1], `/latest/download/rampa-${LATEST}-x86_64-pc-windows-msvc.zip`);
      equal(await runInstalled(`${tmp}/pfx/bin/rampa.exe`), `rampa ${LATEST} (fake)`);
    });
  },
});
