/**
 * The `ws` package (and Node's http/tls/zlib layers it pulls in, ~50 ms of CPU per thread) is
 * loaded only when a run opens a WebSocket: registering the protocols, which every thread
 * does, must not import it.
 */

import { equal, ok } from "node:assert/strict";
import { loadSession } from "../../../engines/ws/session_loader.ts";

/** npm packages reachable from `root` through static imports only (not `import()`). */
async function staticNpm(root: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root],
    stdout: "piped",
    stderr: "null",
  }).output();
  equal(out.code, 0);
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    redirects: Record<string, string>;
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const npm: string[] = [];
  const stack = [...info.roots];
  while (stack.length > 0) {
    const raw = stack.pop()!;
    const spec = info.redirects[raw] ?? raw;
    if (seen.has(spec)) continue;
    seen.add(spec);
    if (spec.startsWith("npm:")) {
      npm.push(spec);
      continue;
    }
    for (const d of bySpec.get(spec)?.dependencies ?? []) {
      if (d.code && !d.isDynamic) stack.push(d.code.specifier);
    }
  }
  return npm;
}

Deno.test("registering the protocols imports no WebSocket package", async () => {
  const root = new URL("../../../engines/registry.ts", import.meta.url).href;
  const npm = await staticNpm(root);
  equal(npm.filter((s) => /\bws@/.test(s)).length, 0, npm.join(", "));
});

Deno.test("loadSession imports the session module once", async () => {
  const a = loadSession();
  equal(loadSession(), a);
  ok(typeof (await a).openSession === "function");
});
