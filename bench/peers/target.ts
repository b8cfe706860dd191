/**
 * The server every generator loads: the pinned nginx, or rampa's embedded target (`rampa serve`)
 * when nginx is not installed or `--target rampa` asks for it.
 *
 * @module
 */

import { freePort, hasNginx, NGINX_BIN } from "../../tools/testing/nginx.ts";
import { startPinnedNginx } from "./nginx.ts";
import { sleep, spawnWatched } from "./processes.ts";
import { rampaCli } from "./rampa.ts";
import { pin } from "./session.ts";
import type { Session, Target } from "./types.ts";

/** Waits until `port` accepts connections; false when the server died or 10 s passed. */
async function waitForPort(port: number, isDead: () => boolean): Promise<boolean> {
  for (let i = 0; i < 400 && !isDead(); i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return true;
    } catch {
      await sleep(25);
    }
  }
  return false;
}

/** Starts `rampa serve` on a free port, pinned to CPU 1 when the session pins. */
async function startRampaServe(
  session: Session,
): Promise<{ port: number; description: string; stop(): Promise<void> }> {
  const port = freePort();
  const argv = [
    ...pin(session, 1),
    ...rampaCli(["serve", "--host", "127.0.0.1", "--port", String(port)]),
  ];
  const server = spawnWatched(argv, "null");
  const stop = async () => {
    await server.stop();
  };
  if (!(await waitForPort(port, server.exited))) {
    const r = await server.stop();
    throw new Error(`rampa serve did not start on port ${port}: ${r.stderr}`);
  }
  const pinned = session.pinning ? ", pinned to CPU 1" : "";
  return { port, description: `rampa serve (embedded target${pinned})`, stop };
}

/**
 * Starts nginx pinned to CPU 1 (`kind` "nginx"), or rampa's embedded target when `kind` is
 * "rampa" or nginx is not installed; reads the body it answers with.
 */
export async function startTarget(session: Session, kind: "nginx" | "rampa"): Promise<Target> {
  if (kind === "nginx" && !hasNginx()) {
    console.log(
      `nginx not found at ${NGINX_BIN}: install it with ` +
        "`apt-get install -y --no-install-recommends nginx-light`; " +
        "falling back to rampa's embedded target (`rampa serve`), which is much slower than nginx.",
    );
  }
  const server = kind === "nginx" && hasNginx()
    ? await startPinnedNginx(session)
    : await startRampaServe(session);
  const url = `http://127.0.0.1:${server.port}/`;
  try {
    const response = await fetch(url, { headers: { connection: "close" } });
    const body = await response.text();
    return { url, description: server.description, body, stop: server.stop };
  } catch (e) {
    await server.stop();
    throw e;
  }
}
