/**
 * Starts a private nginx (Debian's nginx-light) on an ephemeral loopback port for the HTTP
 * engines' tests and benchmarks (HTTP/1.1, and HTTP/2 with `http2: true`): its own config, pid
 * and logs in a temp dir, no daemon, no master, so killing the one process we started cleans
 * everything up. It lives in
 * tools/testing/ because tests/ and bench/ both use it and bench/ never imports tests/.
 *
 * @module
 */

/** Where Debian installs nginx. */
export const NGINX_BIN = "/usr/sbin/nginx";

/** A running nginx instance. */
export interface NginxInstance {
  /**
   * The access log's lines, when started with `accessLog` (else empty): each is
   * `<connection serial> <protocol> <status> <method> <uri>`, e.g. `3 HTTP/2.0 200 GET /`.
   */
  accessLog(): Promise<AccessLogEntry[]>;
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

/** One access log line of an nginx started with `accessLog`. */
export interface AccessLogEntry {
  /** nginx's connection serial number (`$connection`): equal for requests on one connection. */
  readonly connection: number;
  /** `$server_protocol`: `HTTP/1.1`, `HTTP/2.0`. */
  readonly protocol: string;
  readonly status: number;
  readonly method: string;
  readonly uri: string;
}

/** Options of {@link startNginx}; every one is off unless given. */
export interface NginxOptions {
  /** Serve HTTPS on {@link NginxInstance.tlsPort} with this certificate. */
  tls?: NginxTls;
  /** Requests per connection before nginx closes it (HTTP/2: sends GOAWAY). */
  keepaliveRequests?: number;
  /**
   * Speak HTTP/2: h2 by ALPN on the TLS port and h2c with prior knowledge on the plain port
   * (which then no longer answers HTTP/1.1). nginx 1.22 spells it `listen … http2`.
   */
  http2?: boolean;
  /** `http2_max_concurrent_streams` (nginx's default is 128). */
  http2MaxConcurrentStreams?: number;
  /** Log every request to `access.log`, read back with {@link NginxInstance.accessLog}. */
  accessLog?: boolean;
}

/**
 * Starts nginx with a config whose locations the tests rely on: `/` (13-byte body), `/gzip`
 * (chunked by gzip), `/empty` (204), `/static/hello.txt` (a file, for 304), and at most
 * `keepaliveRequests` requests per connection.
 */
export async function startNginx(opts: NginxOptions = {}): Promise<NginxInstance> {
  const dir = await Deno.makeTempDir({ prefix: "rampa-nginx-" });
  const port = freePort();
  const tlsPort = opts.tls ? freePort() : 0;
  await Deno.mkdir(`${dir}/static`);
  await Deno.writeTextFile(`${dir}/static/hello.txt`, "static hello\n");
  let tlsBlock = "";
  const h2 = opts.http2 ? " http2" : "";
  if (opts.tls) {
    await Deno.writeTextFile(`${dir}/cert.pem`, opts.tls.cert);
    await Deno.writeTextFile(`${dir}/key.pem`, opts.tls.key);
    tlsBlock = `server {
      listen 127.0.0.1:${tlsPort} ssl${h2};
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
  ${
    opts.accessLog
      ? `log_format rampa '$connection $server_protocol $status $request_method $request_uri';
  access_log ${dir}/access.log rampa;`
      : "access_log off;"
  }
  ${
    opts.http2MaxConcurrentStreams
      ? `http2_max_concurrent_streams ${opts.http2MaxConcurrentStreams};`
      : ""
  }
  ${temp}
  keepalive_requests ${opts.keepaliveRequests ?? 1000000};
  keepalive_timeout 60s;
  default_type text/plain;
  server {
    listen 127.0.0.1:${port}${h2};
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
      const accessLog = () => readAccessLog(`${dir}/access.log`);
      return { port, tlsPort, dir, stop, accessLog };
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  await stop();
  throw new Error(`nginx did not start on port ${port}`);
}

async function readAccessLog(path: string): Promise<AccessLogEntry[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return [];
  }
  return text.split("\n").filter((l) => l !== "").map((line) => {
    const [connection, protocol, status, method, uri] = line.split(" ");
    return { connection: Number(connection), protocol, status: Number(status), method, uri };
  });
}
