/**
 * Speed must never change what is measured: the http2 engine (h2c with prior knowledge, which
 * the embedded target's Deno.serve accepts) and the lean http1 engine, sent at the same target
 * with a known 40 ms latency, report the same latency within noise.
 */
import { ok } from "node:assert/strict";
import { createOutcome, type Engine } from "../../../engines/http/types.ts";
import { createHttp1Engine } from "../../../engines/http1/mod.ts";
import { createHttp2Engine } from "../../../engines/http2/mod.ts";
import { startTarget } from "../../../target/mod.ts";

async function medianLatency(engine: Engine, url: string): Promise<number> {
  const req = engine.prepare({ method: "GET", url });
  const client = engine.createClient({ maxConnections: 4 });
  const values: number[] = [];
  try {
    for (let i = 0; i < 30; i++) {
      const out = createOutcome();
      out.scheduled = out.started = performance.now();
      await client.send(req, out);
      ok(out.status === 200, `status ${out.status} ${out.errorMessage}`);
      values.push(out.ended - out.scheduled);
    }
  } finally {
    client.close();
  }
  values.sort((a, b) => a - b);
  return values[15];
}

Deno.test("http2 and http1 report the same latency for the same target", async () => {
  const target = startTarget({ quiet: true, latencyMs: 40 });
  try {
    const url = `${target.url}/`;
    const a = await medianLatency(createHttp2Engine(), url);
    const b = await medianLatency(createHttp1Engine(), url);
    ok(a >= 40 && b >= 40, `http2 ${a} ms, http1 ${b} ms`);
    ok(Math.abs(a - b) < 10, `http2 ${a.toFixed(2)} ms vs http1 ${b.toFixed(2)} ms`);
  } finally {
    await target.close();
  }
});
