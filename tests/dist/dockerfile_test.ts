/**
 * The Dockerfile, read as text (no Docker engine here): a build stage on Deno's image at the
 * project's Deno version that runs the repository's own compile task, a final distroless (or
 * slim Debian) stage with the binary at /usr/local/bin/rampa, `WORKDIR /scenarios` and
 * `ENTRYPOINT ["rampa"]`; and a .dockerignore that keeps out nothing the compile needs.
 *
 * @module
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { CONFIG, parseCompileTask, ROOT, walk } from "./_compile_graph.ts";

/** One Dockerfile instruction: its keyword (upper case) and the rest of the line. */
interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** One build stage: its base image, its name and its instructions after FROM. */
interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly body: Instruction[];
}

/** Splits a Dockerfile into stages (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): Stage[] {
  const joined = text.split("\n").filter((l) => !/^\s*#/.test(l)).join("\n")
    .replace(/\\\n/g, " ");
  const stages: { from: string; name: string | null; body: Instruction[] }[] = [];
  for (const line of joined.split("\n")) {
    const m = /^\s*([A-Za-z]+)\s+(.*?)\s*$/.exec(line);
    if (!m) continue;
    const op = m[1].toUpperCase();
    if (op === "FROM") {
      const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(m[2]);
      ok(f, `cannot read FROM ${m[2]}`);
      stages.push({ from: f[1], name: f[2] ?? null, body: [] });
    } else {
      ok(stages.length > 0 || op === "ARG", `${op} before the first FROM`);
      stages.at(-1)?.body.push({ op, args: m[2] });
    }
  }
  return stages;
}

const DOCKERFILE = await Deno.readTextFile(`${ROOT}Dockerfile`);
const STAGES = parseDockerfile(DOCKERFILE);
const TASK = parseCompileTask(CONFIG.tasks.compile);

/** The Deno version .ci/run installs: the project's one Deno version. */
async function projectDenoVersion(): Promise<string> {
  const m = /^DENO_VERSION=(\S+)$/m.exec(await Deno.readTextFile(`${ROOT}.ci/run`));
  ok(m, ".ci/run sets DENO_VERSION");
  return m[1];
}

Deno.test("the Dockerfile compiles on Deno's image at the project's Deno version", async () => {
  ok(STAGES.length >= 2, "multi-stage");
  const build = STAGES[0];
  equal(build.from, `denoland/deno:${await projectDenoVersion()}`);
  ok(build.name, "the build stage is named");
  const runs = build.body.filter((i) => i.op === "RUN").map((i) => i.args);
  const compile = runs.find((r) => /\bdeno (task compile|compile)\b/.test(r));
  ok(compile, "a RUN compiles rampa");
  if (!/\bdeno task compile\b/.test(compile)) {
    // Spelled out: it must embed exactly what the compile task embeds.
    const inline = parseCompileTask(compile.slice(compile.indexOf("deno compile")).split("&&")[0]);
    deepEqual(inline.includes.toSorted(), TASK.includes.toSorted());
    equal(inline.entry, TASK.entry);
  }
  ok(
    runs.some((r) => r.includes("cli/_build_info.ts") && r.includes("COMMIT")),
    "the commit is stamped before compiling",
  );
});

Deno.test("the final stage holds the binary at /usr/local/bin/rampa, works in /scenarios, runs rampa", () => {
  const build = STAGES[0];
  const last = STAGES.at(-1)!;
  ok(
    ["gcr.io/distroless/cc-debian12", "debian:stable-slim"].some((b) => last.from.startsWith(b)),
    `final base ${last.from}`,
  );
  const workdir = build.body.findLast((i) => i.op === "WORKDIR")?.args;
  const copy = last.body.find((i) => i.op === "COPY" && i.args.startsWith(`--from=${build.name}`));
  ok(copy, "the binary is copied from the build stage");
  equal(copy.args, `--from=${build.name} ${workdir}/${TASK.output} /usr/local/bin/rampa`);
  equal(last.body.findLast((i) => i.op === "WORKDIR")?.args, "/scenarios");
  const entry = last.body.findLast((i) => i.op === "ENTRYPOINT")?.args;
  ok(entry, "ENTRYPOINT");
  deepEqual(JSON.parse(entry), ["rampa"]);
});

Deno.test("the Dockerfile documents the image's run command with the placeholder owner", () => {
  match(DOCKERFILE, /docker run --rm -v "\$PWD:\/scenarios" ghcr\.io\/rampa-dev\/rampa run /);
});

/** Docker's .dockerignore matching: path patterns from the context root, last match wins. */
function ignoredBy(patterns: string[], path: string): boolean {
  const rules = patterns.map((p) => {
    const negate = p.startsWith("!");
    const glob = (negate ? p.slice(1) : p).replace(/^\/+|\/+$/g, "");
    const re = glob.split("**").map((part) =>
      part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")
    ).join(".*");
    return { negate, re: new RegExp(`^${re}$`) };
  });
  const parts = path.split("/");
  let ignored = false;
  for (const rule of rules) {
    // A pattern that matches a directory excludes what is inside it.
    for (let n = 1; n <= parts.length; n++) {
      if (rule.re.test(parts.slice(0, n).join("/"))) {
        ignored = !rule.negate;
        break;
      }
    }
  }
  return ignored;
}

Deno.test(".dockerignore keeps every module the compile embeds in the build context", async () => {
  const patterns = (await Deno.readTextFile(`${ROOT}.dockerignore`)).split("\n")
    .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  ok(ignoredBy(patterns, "node_modules/zod/index.js"), "node_modules stays out");
  ok(ignoredBy(patterns, ".git/config"), ".git stays out");
  const needed = new Set(["deno.json", "deno.lock", "cli/_build_info.ts", ...TASK.includes]);
  for (const root of [TASK.entry, ...TASK.includes]) {
    for (const m of (await walk(root)).modules) needed.add(m);
  }
  ok(needed.size > 50, `${needed.size} files`);
  const lost = [...needed].filter((p) => ignoredBy(patterns, p));
  deepEqual(lost, [], "files the compile needs but .dockerignore leaves out");
});
