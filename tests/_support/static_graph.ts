/**
 * What a module pulls in when it is imported: every module reachable from it through static
 * imports only (`import()` is not followed), from `deno info --json`. Tests use it to keep heavy
 * modules (the `ws` package, the HTML renderer) out of every run's start-up.
 */

import { equal } from "node:assert/strict";

interface Info {
  roots: string[];
  redirects: Record<string, string>;
  modules: {
    specifier: string;
    dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
  }[];
}

/** Specifiers (file URLs, `npm:` and `node:` ones) statically reachable from `root`. */
export async function staticGraph(root: URL): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root.href],
    stdout: "piped",
    stderr: "null",
  }).output();
  equal(out.code, 0, `deno info ${root.href} failed`);
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as Info;
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    const raw = stack.pop()!;
    const spec = info.redirects[raw] ?? raw;
    if (seen.has(spec)) continue;
    seen.add(spec);
    for (const d of bySpec.get(spec)?.dependencies ?? []) {
      if (d.code && !d.isDynamic) stack.push(d.code.specifier);
    }
  }
  return seen;
}
