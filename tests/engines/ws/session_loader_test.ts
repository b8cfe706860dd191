/**
 * The `ws` package (and Node's http/tls/zlib layers it pulls in, ~50 ms of CPU per thread) is
 * loaded only when a run opens a WebSocket: registering the protocols, which every thread
 * does, must not import it.
 */

import { equal, ok } from "node:assert/strict";
import { loadSession } from "../../../engines/ws/session_loader.ts";
import { staticGraph } from "../../_support/static_graph.ts";

Deno.test("registering the protocols imports no WebSocket package", async () => {
  const graph = await staticGraph(new URL("../../../engines/registry.ts", import.meta.url));
  const ws = [...graph].filter((s) =>
    /^npm:\/?ws@/.test(s) || s.endsWith("/engines/ws/session.ts")
  );
  equal(ws.length, 0, ws.join(", "));
});

Deno.test("loadSession imports the session module once", async () => {
  const a = loadSession();
  equal(loadSession(), a);
  ok(typeof (await a).openSession === "function");
});
