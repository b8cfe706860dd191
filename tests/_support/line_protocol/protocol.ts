/**
 * A small protocol written the way a third party would, against `"rampa"` only: a line-echo
 * client over TCP (send a line, read the echoed line). It registers its metric family, its VU
 * entry (`ctx.line`) and its summary section; core and rampa's CLI know nothing of it. Used by
 * the test that proves a protocol is a folder plus a registration.
 *
 * @module
 */
import {
  addCounter,
  addRate,
  addTrend,
  type MetricDef,
  type Protocol,
  registerProtocol,
  type VuState,
} from "rampa";

/** The family this protocol records. */
export const LINE_METRICS: readonly MetricDef[] = [
  { name: "line_reqs", kind: "counter", description: "Lines sent" },
  { name: "line_req_failed", kind: "rate", description: "Lines without an echo" },
  { name: "line_req_duration", kind: "trend", unit: "ms", description: "Send to echo" },
  { name: "line_connecting", kind: "trend", unit: "ms", description: "TCP connect" },
];

interface Conn {
  conn: Deno.TcpConn;
  buf: string;
}

/** What `ctx.line` offers. */
export interface LineApi {
  /** Sends `text` to `addr` (host:port) and resolves to the echoed line ("" on failure). */
  send(addr: string, text: string): Promise<string>;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

async function send(vu: VuState, addr: string, text: string): Promise<string> {
  const conns = (vu.slots.get("line") ?? new Map()) as Map<string, Conn>;
  vu.slots.set("line", conns);
  const reg = vu.runtime.registry;
  const tags = { ...vu.tags, name: addr, method: "LINE" };
  const t0 = performance.now();
  let status = "ok";
  let echoed = "";
  try {
    let c = conns.get(addr);
    if (!c) {
      const [hostname, port] = addr.split(":");
      const conn = await Deno.connect({ hostname, port: Number(port) });
      addTrend(reg.series("line_connecting", vu.tags), performance.now() - t0);
      conns.set(addr, c = { conn, buf: "" });
    }
    await c.conn.write(encoder.encode(text + "\n"));
    const chunk = new Uint8Array(4096);
    while (!c.buf.includes("\n")) {
      const n = await c.conn.read(chunk);
      if (n === null) throw new Error("closed");
      c.buf += decoder.decode(chunk.subarray(0, n));
    }
    const i = c.buf.indexOf("\n");
    echoed = c.buf.slice(0, i);
    c.buf = c.buf.slice(i + 1);
  } catch {
    status = "error";
  }
  const full = { ...tags, status };
  addCounter(reg.series("line_reqs", full), 1);
  addRate(reg.series("line_req_failed", full), status !== "ok");
  addTrend(reg.series("line_req_duration", full), performance.now() - t0);
  return echoed;
}

/** The line-echo protocol. */
export const lineProtocol: Protocol = {
  name: "line",
  schemes: ["line:"],
  metrics: LINE_METRICS,
  section: {
    title: "Line echo",
    metrics: LINE_METRICS.map((m) => m.name),
    requests: { count: "line_reqs", failed: "line_req_failed", duration: "line_req_duration" },
  },
  vu: {
    key: "line",
    api: (vu): LineApi => ({ send: (addr, text) => send(vu(), addr, text) }),
    close(vu) {
      const conns = vu.slots.get("line") as Map<string, Conn> | undefined;
      for (const c of conns?.values() ?? []) c.conn.close();
    },
  },
};

registerProtocol(lineProtocol);
