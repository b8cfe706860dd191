/**
 * A Deno.serve target for the HTTP-semantics tests (redirects, encodings, forms, batches,
 * timeouts). It speaks HTTP/1.1 and h2c with prior knowledge on one port, so the http1, fetch
 * and http2 engines all run against it.
 *
 * @module
 */
import zlib from "node:zlib";

/** A running semantics server. */
export interface SemanticsServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests seen per path, e.g. `/chain/3`. */
  readonly hits: Map<string, number>;
  /** Client ports seen: one per connection. */
  readonly peers: Set<number>;
  /** Most requests to `/slow/*` in flight at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

/** The JSON body every encoded route sends, decoded. */
export const PAYLOAD = { hello: "world", filler: "x".repeat(2000) };

const encoded: Record<string, Uint8Array> = {
  gzip: zlib.gzipSync(JSON.stringify(PAYLOAD)),
  deflate: zlib.deflateSync(JSON.stringify(PAYLOAD)),
  br: zlib.brotliCompressSync(JSON.stringify(PAYLOAD)),
};

const json = (v: unknown, status = 200) =>
  new Response(JSON.stringify(v), { status, headers: { "content-type": "application/json" } });

/**
 * Starts the server. `other` is the origin cross-origin redirects point to. Routes:
 * `/chain/N` → 302 to `/chain/N-1`, `/chain/0` → 200; `/loop` → 302 to itself;
 * `/abs` → 301 with an absolute Location; `/to-other` → 302 to `other` + `/echo`;
 * `/see-other`, `/temp`, `/perm`, `/found` → 303/307/308/302 to `/echo`; `/echo` → the request's
 * method, body, content-type and cookie as JSON; `/enc/<coding>` → {@link PAYLOAD} encoded;
 * `/status/N`; `/slow/<ms>`; `/upload` (multipart, parsed); `/form` (urlencoded, parsed);
 * `/set-cookie` → sets `a=1` and redirects to `/echo`.
 */
export function startSemanticsServer(other = ""): SemanticsServer {
  const hits = new Map<string, number>();
  const peers = new Set<number>();
  let inFlight = 0;
  let max = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req, info) => {
      peers.add(info.remoteAddr.port);
      const u = new URL(req.url);
      const p = u.pathname;
      hits.set(p, (hits.get(p) ?? 0) + 1);
      const redirect = (status: number, to: string) =>
        new Response(null, { status, headers: { location: to } });
      if (p.startsWith("/chain/")) {
        const n = Number(p.slice(7));
        return n > 0 ? redirect(302, `/chain/${n - 1}`) : json({ done: true });
      }
      switch (p) {
        case "/loop":
          return redirect(302, "/loop");
        case "/abs":
          return redirect(301, `${u.origin}/echo`);
        case "/to-bad-port":
          return redirect(302, "http://127.0.0.1:6000/x");
        case "/to-other":
          return redirect(302, `${other}/echo`);
        case "/see-other":
          return redirect(303, "echo");
        case "/found":
          return redirect(302, "/echo");
        case "/temp":
          return redirect(307, "/echo");
        case "/perm":
          return redirect(308, "/echo");
        case "/set-cookie":
          return new Response(null, {
            status: 302,
            headers: { location: "/echo", "set-cookie": "a=1; Path=/" },
          });
        case "/echo":
          return json({
            method: req.method,
            body: await req.text(),
            contentType: req.headers.get("content-type"),
            cookie: req.headers.get("cookie"),
            authorization: req.headers.get("authorization"),
            origin: u.origin,
          });
        case "/upload": {
          const fd = await req.formData();
          const out: Record<string, unknown> = {};
          for (const [k, v] of fd) {
            out[k] = typeof v === "string"
              ? v
              : { file: v.name, size: v.size, text: await v.text() };
          }
          return json(out);
        }
        case "/form":
          return json(Object.fromEntries(new URLSearchParams(await req.text())));
      }
      if (p === "/bad-gzip") {
        return new Response("not gzip at all", { headers: { "content-encoding": "gzip" } });
      }
      if (p.startsWith("/enc/")) {
        const coding = p.slice(5);
        return new Response(encoded[coding] as Uint8Array<ArrayBuffer>, {
          headers: { "content-type": "application/json", "content-encoding": coding },
        });
      }
      if (p.startsWith("/status/")) return new Response(`${p.slice(8)}\n`, { status: +p.slice(8) });
      if (p.startsWith("/slow/")) {
        inFlight++;
        max = Math.max(max, inFlight);
        await new Promise((r) => setTimeout(r, Number(p.slice(6))));
        inFlight--;
        return json({ slow: Number(p.slice(6)) });
      }
      return new Response("not found\n", { status: 404 });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    hits,
    peers,
    maxInFlight: () => max,
    close: () => server.shutdown(),
  };
}
