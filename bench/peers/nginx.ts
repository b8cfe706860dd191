/**
 * The benchmark's nginx: the tests' private nginx (`tools/testing/nginx.ts`: Debian's
 * nginx-light, one process with `master_process off`, no access log, `keepalive_requests
 * 1000000`, a 13-byte body at `/`), pinned to CPU 1 once it runs when the session pins.
 *
 * Pinning happens after the start (`taskset -a -p`) so that the tests' start-up serves unchanged.
 *
 * @module
 */

import $ from "dax";
import { NGINX_BIN, startNginx } from "../../tools/testing/nginx.ts";
import { readWhenThere } from "./processes.ts";
import type { Session } from "./types.ts";

/** A running nginx for the benchmark. */
export interface BenchNginx {
  /** Plain HTTP port on 127.0.0.1. */
  port: number;
  /** nginx's version and how it runs, for the output. */
  description: string;
  /** Stops nginx and removes its directory. */
  stop(): Promise<void>;
}

/** Starts nginx and, when the session pins, moves all its threads to CPU 1. */
export async function startPinnedNginx(session: Session): Promise<BenchNginx> {
  const nginx = await startNginx();
  if (session.pinning) {
    // With master_process off, the pid file names the one process that serves.
    const pid = (await readWhenThere(`${nginx.dir}/nginx.pid`, 5000)).trim();
    const r = pid === ""
      ? null
      : await $`taskset -a -p -c 1 ${pid}`.noThrow().stdout("null").stderr("piped");
    if (r?.code !== 0) {
      await nginx.stop();
      throw new Error(`Cannot pin nginx to CPU 1: ${r ? r.stderr.trim() : "no pid file"}`);
    }
  }
  const version = (await $`${NGINX_BIN} -v`.noThrow().stderr("piped").stdout("null")).stderr
    .trim().replace(/^nginx version: /, "");
  return {
    port: nginx.port,
    description: `${version} (1 process${session.pinning ? ", pinned to CPU 1" : ""})`,
    stop: nginx.stop,
  };
}
