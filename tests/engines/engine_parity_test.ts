/**
 * Speed must never change what is measured: the lean http1 engine and the fetch engine, sent
 * at the same target with a known 40 ms latency, report the same latency within noise.
 */
import { ok } from "node:assert/strict";
import { createOutcome } from "../../engines/http/types.ts";
import { createFetchEngine } from "../../engines/http/mod.ts";
import { createHttp1Engine } from "../../engines/http1/mod.ts";
import { startTarget } from "../../target/mod.ts";

async function medianLatency(engine: ReturnType<typeof createHttp1Engine>, url: string) {
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

Deno.test("http1 and fetch report the same latency for the same target", async () => {
  const target = startTarget({ quiet: true, latencyMs: 40 });
  try {
    const url = `${target.url}/`;
    const a = await medianLatency(createHttp1Engine(), url);
    const b = await medianLatency(createFetchEngine(), url);
    // Both see the 40 ms the target adds; neither adds more than a few ms of its own.
    ok(a >= 40 && b >= 40, `http1 ${a} ms, fetch ${b} ms`);
    ok(Math.abs(a - b) < 10, `http1 ${a.toFixed(2)} ms vs fetch ${b.toFixed(2)} ms`);
  } finally {
    await target.close();
  }
});
