/** A scenario using the line-echo plug-in protocol: 40 iterations on 2 VUs. */
import { check, type VuContext } from "rampa";
// Registers the protocol in every thread that imports this scenario.
import "./protocol.ts";
import type { LineApi } from "./protocol.ts";

export const options = {
  scenarios: { echo: { executor: "shared-iterations", vus: 2, iterations: 40 } },
};

export default async function (ctx: VuContext & { line: LineApi }): Promise<void> {
  const echoed = await ctx.line.send(ctx.env.LINE_ADDR, `hello ${ctx.vu}`);
  check(echoed, { "echoed the line": (e) => e === `hello ${ctx.vu}` });
}
