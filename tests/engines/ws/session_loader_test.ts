/**
 * The `ws` package (and Node's http/tls/zlib layers it pulls in, ~50 ms of CPU per thread) is
 * loaded only when a run opens a WebSocket (tests/cli/start_up_imports_test.ts checks that
 * registering the protocols does not import it).
 */

import { equal, ok } from "node:assert/strict";
import { loadSession } from "../../../engines/ws/session_loader.ts";

Deno.test("loadSession imports the session module once", async () => {
  const a = loadSession();
  equal(loadSession(), a);
  ok(typeof (await a).openSession === "function");
});
