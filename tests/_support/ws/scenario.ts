/**
 * A scenario on `ctx.ws` (typed loosely until `"rampa"` types it): 10 iterations on 2 VUs,
 * each exchanging 2 echoes; every second session is left open for rampa to close.
 */
import { check, type VuContext } from "rampa";
import type { WsApi } from "../../../engines/ws/api.ts";

export const options = {
  scenarios: { chat: { executor: "shared-iterations", vus: 2, iterations: 10 } },
  thresholds: { ws_msg_rtt: ["p(99)<1000"], ws_connecting: ["p(99)<1000"] },
};

// One load thread runs both VUs: every second session is left open, 5 of 10 in all.
let sessions = 0;

export default async function (ctx: VuContext & { ws: WsApi }): Promise<void> {
  const ws = await ctx.ws.connect(ctx.env.WS_URL, { timeout: 2000 });
  const replies: unknown[] = [];
  for (const text of ["one", "two"]) {
    ws.send(text);
    replies.push(await ws.receive({ timeout: 2000 }));
  }
  check(replies, { "echoed both": (r) => r[0] === "one" && r[1] === "two" });
  if (sessions++ % 2 === 0) await ws.close();
}
