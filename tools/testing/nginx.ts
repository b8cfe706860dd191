/**
 * Starts a private nginx (Debian's nginx-light) on an ephemeral loopback port for the http1
 * engine's tests and benchmark: its own config, pid and logs in a temp dir, no daemon, no
 * master, so killing the one process we started cleans everything up. It lives in
 * tools/testing/ because tests/ and bench/ both use it and bench/ never imports tests/.
 *
 * @module
 */

/** Where Debian installs nginx. */
export const NGINX_BIN = "/usr/sbin/nginx";

/** A running nginx instance. */
export interface NginxInstance {
  /** Plain HTTP port on 127.0.0.1. */
  readonly port: number;
  /** HTTPS port on 127.0.0.1 (0 when started without TLS). */
  readonly tlsPort: number;
  /** The temp dir holding config, logs and served files. */
  readonly dir: string;
  /** Stops nginx and removes the temp dir. */
  stop(): Promise<void>;
}

/** Whether the nginx binary is installed; tests skip with a message when it is not. */
export function hasNginx(): boolean {
  try {
    return Deno.statSync(NGINX_BIN).isFile;
  } catch {
    return false;
  }
}

/** Picks a free loopback port (a small race with other processes, acceptable in tests). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** TLS material for the HTTPS server block. */
export interface NginxTls {
  cert: string;
  key: string;
}

/**
 * Starts nginx with a config whose locations the tests rely on: `/` (13-byte body), `/gzip`
 * (chunked by gzip), `/empty` (204), `/static/hello.txt` (a file, for 304), and at most
 * `keepaliveRequests` requests per connection.
 */
export async function startNginx(
  opts: { tls?: NginxTls; keepaliveRequests?: number } = {},
): Promise<NginxInstance> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-nginx-" });
  const port = freePort();
  const tlsPort = opts.tls ? freePort() : 0;
  await Deno.mkdir(`${dir}/static`);
  await Deno.writeTextFile(`${dir}/static/hello.txt`, "static hello\n");
  let tlsBlock = "";
  if (opts.tls) {
    await Deno.writeTextFile(`${dir}/cert.pem`, opts.tls.cert);
    await Deno.writeTextFile(`${dir}/key.pem`, opts.tls.key);
    tlsBlock = `server {
      listen 127.0.0.1:${tlsPort} ssl;
      ssl_certificate ${dir}/cert.pem;
      ssl_certificate_key ${dir}/key.pem;
      location / { return 200 "hello, world\\n"; }
    }`;
  }
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((t) => `${t}_temp_path ${dir}/${t};`).join("\n");
  const conf = `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  ${temp}
  keepalive_requests ${opts.keepaliveRequests ?? 1000000};
  keepalive_timeout 60s;
  default_type text/plain;
  server {
    listen 127.0.0.1:${port};
    location = / { return 200 "hello, world\\n"; }
    location = /empty { return 204; }
    location = /gzip {
      gzip on; gzip_min_length 0; gzip_types text/plain;
      return 200 "${"compress me please ".repeat(20)}";
    }
    location /static/ { root ${dir}; }
  }
  ${tlsBlock}
}
`;
  await Deno.writeTextFile(`${dir}/nginx.conf`, conf);
  const child = new Deno.Command(NGINX_BIN, {
    args: ["-p", dir, "-c", `${dir}/nginx.conf`],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stop = async (): Promise<void> => {
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
    await child.stderr.cancel().catch(() => {});
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  for (let i = 0; i < 200; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return { port, tlsPort, dir, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  await stop();
  throw new Error(`nginx did not start on port ${port}`);
}
