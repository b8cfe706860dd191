import { deepEqual, throws } from "node:assert/strict";
import { ConfigError } from "../../../core/errors.ts";
import type { AdHocRequest } from "../../../core/protocol/types.ts";
import { parseWsFlags } from "../../../engines/ws/adhoc.ts";

function req(url: string, flags: Record<string, unknown>): AdHocRequest {
  return {
    url,
    method: "GET",
    headers: [],
    body: null,
    timeoutMs: 1000,
    name: null,
    expect: { statuses: [], headers: [], bodyJson: null },
    flags,
  };
}

Deno.test("ws flags default to one echoed hello without compression", () => {
  deepEqual(parseWsFlags(req("ws://h/p", {})), {
    send: "hello",
    messages: 1,
    expect: "echo",
    compression: false,
  });
  deepEqual(
    parseWsFlags(req("wss://h/p", {
      "ws-send": "x",
      "ws-messages": "10",
      "ws-expect": "any",
      "ws-compression": true,
    })),
    { send: "x", messages: 10, expect: "any", compression: true },
  );
});

Deno.test("bad ws flags are one ConfigError listing every problem", () => {
  throws(
    () => parseWsFlags(req("ws://h/p", { "ws-messages": "ten", "ws-expect": "some" })),
    (e: unknown) =>
      e instanceof ConfigError && e.issues.length === 2 &&
      e.issues[0].includes('"ten"') && e.issues[1].includes('"some"'),
  );
});
