/**
 * What `rampa run <url>` loads before its first request is start-up CPU paid by every run
 * (ADR 11). npm packages are the heavy part: zod (~55 ms) validates scenario files, `ws`
 * (~50 ms per thread) serves WebSocket runs. Neither may be reachable through static imports
 * from the run command, the load worker or the protocol and output registries; they are
 * imported where they are used.
 */

import { equal } from "node:assert/strict";
import { staticGraph } from "../_support/static_graph.ts";

for (
  const root of [
    "cli/commands/run.ts",
    "cli/worker/worker_main.ts",
    "engines/registry.ts",
    "outputs/registry.ts",
  ]
) {
  Deno.test(`${root} imports no npm package statically`, async () => {
    const graph = await staticGraph(new URL(`../../${root}`, import.meta.url));
    const npm = [...graph].filter((s) => s.startsWith("npm:"));
    equal(npm.length, 0, npm.join(", "));
  });
}
