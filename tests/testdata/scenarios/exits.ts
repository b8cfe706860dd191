// Scenario code trying to end rampa: Deno.exit in an iteration and an unhandled rejection.
import type { VuContext } from "rampa";
export const options = { vus: 1, iterations: 20 };
export default async function (ctx: VuContext) {
  await new Promise((r) => setTimeout(r, 5));
  if (ctx.iteration === 3) Promise.reject(new Error("nobody awaited me"));
  if (ctx.iteration === 7) Deno.exit(0);
}
