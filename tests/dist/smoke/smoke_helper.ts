/**
 * The relative helper of the release smoke scenario: the scenario imports it with a relative
 * path, as users split their scenarios into files.
 *
 * @module
 */
import { z } from "zod";

/** The shape of one item of the embedded target's `/api/items`. */
export const Item = z.object({ id: z.number(), name: z.string(), price: z.number() });

/** The URL of `path` on the target named by the `BASE_URL` env value. */
export function targetUrl(env: Readonly<Record<string, string>>, path: string): string {
  const base = env.BASE_URL;
  if (!base) throw new Error("BASE_URL is not set: pass --env BASE_URL=http://127.0.0.1:PORT");
  return base.replace(/\/$/, "") + path;
}
