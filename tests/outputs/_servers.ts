/**
 * Real servers for the streaming outputs' tests: Prometheus and InfluxDB from Debian, each in
 * a temp dir on a free 127.0.0.1 port, plus small local sinks that fail on purpose (a closed
 * port, one answering 500, one taking 10 s). Tests skip with a reason when a binary is missing.
 *
 * @module
 */

/** A free TCP port on 127.0.0.1 (closed again, so a closed-port sink can use it too). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Whether `cmd` is on PATH; the reason to skip when not. */
export function missing(cmd: string, pkg: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${cmd}`).isFile) return null;
    } catch { /* not here */ }
  }
  return `${cmd} is not installed (apt-get install -y --no-install-recommends ${pkg})`;
}

/** A started server: its base URL and how to stop it. */
export interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: Deno.ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status < 500) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`server did not become ready at ${url} within ${ms} ms`);
}

function spawn(cmd: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(cmd, { args, stdout: "null", stderr: "null", stdin: "null" }).spawn();
}

async function stopper(child: Deno.ChildProcess, dir: string): Promise<void> {
  try {
    child.kill("SIGKILL");
  } catch { /* gone */ }
  await child.status;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}

/** Prometheus with the remote write receiver, data in a temp dir. */
export async function startPrometheus(extraArgs: string[] = []): Promise<Server> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-prom-" });
  await Deno.writeTextFile(`${dir}/prometheus.yml`, "global:\n  scrape_interval: 1m\n");
  const port = freePort();
  const child = spawn("prometheus", [
    `--config.file=${dir}/prometheus.yml`,
    `--storage.tsdb.path=${dir}/data`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--web.enable-remote-write-receiver",
    ...extraArgs,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/-/ready`, child, 10_000);
  return { url, stop: () => stopper(child, dir) };
}

/** InfluxDB 1.x with a config file and data in a temp dir. */
export async function startInfluxdb(): Promise<Server> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-influx-" });
  const port = freePort();
  const rpc = freePort();
  await Deno.writeTextFile(
    `${dir}/influxdb.conf`,
    [
      `reporting-disabled = true`,
      `bind-address = "127.0.0.1:${rpc}"`,
      `[meta]`,
      `  dir = "${dir}/meta"`,
      `[data]`,
      `  dir = "${dir}/data"`,
      `  wal-dir = "${dir}/wal"`,
      `  query-log-enabled = false`,
      `[http]`,
      `  bind-address = "127.0.0.1:${port}"`,
      `  log-enabled = false`,
      `[monitor]`,
      `  store-enabled = false`,
      ``,
    ].join("\n"),
  );
  const child = spawn("influxd", ["-config", `${dir}/influxdb.conf`]);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/ping`, child, 10_000);
  return { url, stop: () => stopper(child, dir) };
}

/** An HTTP server for failure tests: answers every request with `handler`. */
export function startHttp(handler: (req: Request) => Response | Promise<Response>): Server & {
  port: number;
} {
  const ac = new AbortController();
  const srv = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
    handler,
  );
  const port = srv.addr.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      ac.abort();
      await srv.finished;
    },
  };
}
