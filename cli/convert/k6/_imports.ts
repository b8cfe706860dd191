/**
 * k6 imports → one `import { … } from "rampa"`: each local name is bound to what it stood for
 * in k6, so later rewrites know `http.get` from a user's own `get`. Modules rampa has no
 * counterpart for are commented out with a note; the k6-utils helpers common in scripts are
 * defined locally.
 *
 * @module
 */
import type { ImportDeclaration } from "acorn";
import { note, type State, text } from "./_state.ts";

const RAMPA_FROM_K6 = new Set(["check", "group", "sleep"]);
const METRICS = new Set(["Counter", "Trend", "Rate", "Gauge"]);

/** What to do instead of a k6 module rampa has no counterpart for. */
const HINTS: Record<string, string> = {
  "k6/ws": 'rampa\'s WebSocket client is ctx.ws / ws from "rampa" with another API ' +
    "(connect, send, receive, close; see docs/websocket.md): rewrite this part by hand",
  "k6/encoding": "use the web globals btoa()/atob() (or TextEncoder) for base64",
  "k6/crypto": "use the web crypto.subtle or node:crypto for hashes and HMACs",
  "k6/html": "rampa has no HTML parser: parse res.text() with a library of your choice",
  "k6/net/grpc": "rampa scenarios have no gRPC client yet",
  "k6/browser": "rampa does no browser testing",
  "k6/experimental/browser": "rampa does no browser testing",
  "k6/secrets": "read secrets from the environment (Deno.env.get)",
};

/** Local helpers for the k6-utils jslib functions scripts use most. */
const K6_UTILS: Record<string, (local: string) => string> = {
  uuidv4: (n) =>
    `/** k6-utils' uuidv4(). */\nfunction ${n}(): string {\n  return crypto.randomUUID();\n}`,
  randomIntBetween: (n) =>
    `/** k6-utils' randomIntBetween(): an integer from min to max, both included. */\n` +
    `function ${n}(min: number, max: number): number {\n` +
    `  return Math.floor(Math.random() * (max - min + 1)) + min;\n}`,
  randomItem: (n) =>
    `/** k6-utils' randomItem(). */\n` +
    `function ${n}<T>(items: readonly T[]): T {\n` +
    `  return items[Math.floor(Math.random() * items.length)];\n}`,
  randomString: (n) =>
    `/** k6-utils' randomString(). */\n` +
    `function ${n}(length: number, charset = "abcdefghijklmnopqrstuvwxyz"): string {\n` +
    `  let out = "";\n` +
    `  for (let i = 0; i < length; i++) out += charset[Math.floor(Math.random() * charset.length)];\n` +
    `  return out;\n}`,
};

/** The end of the line holding `pos`, past its line break. */
function lineEnd(s: State, pos: number): number {
  const nl = s.src.indexOf("\n", pos);
  return nl < 0 ? s.src.length : nl + 1;
}

function remove(s: State, d: ImportDeclaration): void {
  const end = /^[ \t]*(\/\/[^\n]*)?\r?$/.test(s.src.slice(d.end, lineEnd(s, d.end) - 1))
    ? lineEnd(s, d.end)
    : d.end;
  s.edits.replace(d.start, end, "");
}

function commentOut(s: State, d: ImportDeclaration, message: string): void {
  note(s, d, message);
  s.edits.replace(d.start, d.end, text(s, d).split("\n").map((l) => `// ${l}`).join("\n"));
}

/** Converts every import; returns the offset where the rampa import goes (or -1). */
export function convertImports(s: State): number {
  let at = -1;
  for (const d of s.ast.program.body) {
    if (d.type !== "ImportDeclaration") continue;
    const from = String(d.source.value);
    if (from === "k6" || from.startsWith("k6/")) {
      if (convertK6Import(s, d, from)) {
        if (at < 0) at = d.start;
        remove(s, d);
      }
    } else if (/^https?:\/\//.test(from)) convertRemote(s, d, from);
    else if (from.startsWith(".") || from.startsWith("/")) {
      note(
        s,
        d,
        `"${from}" is a local module: convert it too (rampa convert k6 ${from} > ` +
          `${from.replace(/\.m?js$/, "")}.ts) and import the .ts file`,
      );
    }
  }
  return at;
}

/** Binds a k6 import's names; false when the import was commented out instead. */
function convertK6Import(s: State, d: ImportDeclaration, from: string): boolean {
  const unsupported = () => {
    for (const sp of d.specifiers) {
      s.bindings.set(sp.local.name, { kind: "unsupported", module: from });
    }
  };
  for (const sp of d.specifiers) {
    const local = sp.local.name;
    const whole = sp.type !== "ImportSpecifier";
    const name = sp.type === "ImportSpecifier"
      ? (sp.imported.type === "Identifier" ? sp.imported.name : String(sp.imported.value))
      : "";
    if (from === "k6") {
      if (whole) s.bindings.set(local, { kind: "k6ns" });
      else if (RAMPA_FROM_K6.has(name)) {
        s.bindings.set(local, { kind: "k6fn", name });
        s.rampa.add(local === name ? name : `${name} as ${local}`);
      } else if (name === "fail") {
        s.bindings.set(local, { kind: "k6fn", name });
        s.helpers.set(
          local,
          `/** k6's fail(): ends the iteration with an error (counted as an iteration error). */\n` +
            `function ${local}(message?: string): never {\n  throw new Error(message);\n}`,
        );
      } else {
        note(s, sp, `"${name}" from "k6" has no rampa counterpart: remove its uses`);
        s.bindings.set(local, { kind: "unsupported", module: from });
      }
    } else if (from === "k6/http") {
      if (whole) {
        s.bindings.set(local, { kind: "http" });
        s.httpName = local;
      } else s.bindings.set(local, { kind: "httpFn", name });
    } else if (from === "k6/metrics") {
      if (!whole && METRICS.has(name)) s.rampa.add(local === name ? name : `${name} as ${local}`);
      else {
        commentOut(s, d, `only Counter, Trend, Rate and Gauge from "k6/metrics" are converted`);
        unsupported();
        return false;
      }
    } else if (from === "k6/data") {
      if (!whole && name === "SharedArray") s.bindings.set(local, { kind: "sharedArray" });
      else note(s, sp, `"${name || local}" from "k6/data" has no rampa counterpart`);
    } else if (from === "k6/execution") {
      if (whole) s.bindings.set(local, { kind: "exec" });
      else note(s, sp, `"${name}" from "k6/execution" is not converted: use ctx.vu, ctx.iteration`);
    } else if (from === "k6/timers") {
      // setTimeout and friends are globals in Deno.
    } else {
      const hint = HINTS[from] ??
        (from.startsWith("k6/experimental/")
          ? "rampa has no counterpart for this experimental k6 module"
          : "rampa has no counterpart for this k6 module");
      commentOut(s, d, `"${from}" is not converted: ${hint}`);
      unsupported();
      return false;
    }
  }
  return true;
}

function convertRemote(s: State, d: ImportDeclaration, from: string): void {
  if (/jslib\.k6\.io\/k6-utils\//.test(from)) {
    const missing: string[] = [];
    for (const sp of d.specifiers) {
      const name = sp.type === "ImportSpecifier" && sp.imported.type === "Identifier"
        ? sp.imported.name
        : "";
      const make = K6_UTILS[name];
      if (make) s.helpers.set(sp.local.name, make(sp.local.name));
      else missing.push(name || sp.local.name);
    }
    if (missing.length === 0) {
      remove(s, d);
      return;
    }
    commentOut(s, d, `k6-utils: define ${missing.join(", ")} yourself (rampa has no jslib)`);
    return;
  }
  if (/jslib\.k6\.io\/url\//.test(from)) {
    remove(s, d); // URL and URLSearchParams are globals in Deno.
    return;
  }
  const hint = /papaparse/.test(from)
    ? `for CSV data use rampa's \`await dataset.csv(path)\` (rows as objects, picked per use)`
    : "replace it (an npm package or your own code), since it may import k6 modules";
  commentOut(s, d, `remote module ${from} is a k6 jslib: ${hint}`);
}
