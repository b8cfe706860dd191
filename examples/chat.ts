/**
 * A chat room over WebSocket: each arrival opens a session, exchanges three messages (each
 * awaited, so `ws_msg_rtt` pairs every send with its reply), pings once, listens to the room's
 * push for a moment and leaves. Thresholds hold the handshake and the round trip.
 *
 * Run: deno task rampa run examples/chat.ts --env BASE_URL=http://127.0.0.1:8080
 * (against `rampa serve`, whose /ws/echo and /ws/broadcast routes play the room).
 */
import { check, type Options, type VuContext } from "rampa";
// Until "rampa" types `ctx.ws` itself (mod.ts), the WebSocket API's type comes from its folder.
import type { WsApi } from "../engines/ws/api.ts";

export const options: Options = {
  scenarios: {
    chat: {
      executor: "constant-arrival-rate",
      rate: 10,
      timeUnit: "1s",
      duration: "3s",
      preAllocatedVUs: 5,
      maxVUs: 20,
    },
  },
  thresholds: {
    ws_connecting: ["p(95)<500ms"],
    ws_msg_rtt: ["p(99)<200ms"],
    ws_session_failed: ["rate<0.01"],
  },
};

function wsBase(ctx: { env: Readonly<Record<string, string>> }): string {
  return (ctx.env.BASE_URL ?? "http://127.0.0.1:8080").replace(/^http/, "ws");
}

export default async function (ctx: VuContext & { ws: WsApi }): Promise<void> {
  const ws = await ctx.ws.connect(`${wsBase(ctx)}/ws/echo`, {
    headers: { "x-user": `user-${ctx.vu}` },
    timeout: 5000,
  });
  check(ws, { "connected": (s) => s.status === 101 });
  const replies: unknown[] = [];
  for (const text of ["hi", "how are you?", "bye"]) {
    ws.send(text);
    replies.push(await ws.receive({ timeout: 2000 }));
  }
  check(replies, { "every message echoed": (r) => r.join("|") === "hi|how are you?|bye" });
  check(await ws.ping(), { "pong within 100 ms": (ms) => ms < 100 });
  await ws.close();

  // The room pushes 20 updates a second: take three, then leave.
  const room = await ctx.ws.connect(`${wsBase(ctx)}/ws/broadcast?hz=20`, { name: "room" });
  let updates = 0;
  for (; updates < 3; updates++) if (await room.receive({ timeout: 1000 }) === null) break;
  check(updates, { "three room updates": (n) => n === 3 });
  await room.close();
}
