import assert from "node:assert/strict";
import dgram from "node:dgram";
import { builtSummary, recordRun } from "../console/_fixture.ts";
import { createStatsdOutput, DEFAULT_MTU, packLines } from "../../../outputs/statsd/mod.ts";
import { createOutput } from "../../../outputs/registry.ts";

/** A UDP listener collecting datagrams. */
async function listen(): Promise<{ port: number; packets: string[]; close(): Promise<void> }> {
  const socket = dgram.createSocket("udp4");
  const packets: string[] = [];
  socket.on("message", (msg) => packets.push(new TextDecoder().decode(msg)));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  return {
    port: socket.address().port,
    packets,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

async function waitFor(pred: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

/** Counts per metric as a StatsD server would: counters add, timings count 1/rate. */
function aggregate(packets: string[]) {
  const counters = new Map<string, number>();
  const timings = new Map<string, number>();
  const tags = new Set<string>();
  for (const p of packets) {
    for (const line of p.split("\n")) {
      const m = /^([^:]+):([^|]+)\|(c|g|ms)(?:\|@([\d.e-]+))?(?:\|#(.*))?$/.exec(line);
      assert.ok(m, `malformed line ${line}`);
      const [, name, value, type, rate, t] = m;
      if (t) { for (const tag of t.split(",")) tags.add(tag.split(":")[0]); }
      if (type === "c") counters.set(name, (counters.get(name) ?? 0) + Number(value));
      if (type === "ms") timings.set(name, (timings.get(name) ?? 0) + 1 / Number(rate ?? 1));
    }
  }
  return { counters, timings, tags };
}

Deno.test({
  name: "statsd and datadog over UDP: counts equal the summary, datagrams fit the MTU",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const plain = await listen();
    const dd = await listen();
    try {
      const f = recordRun();
      const summary = builtSummary(f);
      const info = { startedAt: new Date(), plannedDurationMs: 30_000, scenarios: [] };
      const outs = [
        createStatsdOutput(`127.0.0.1:${plain.port}`, {
          flavor: "statsd",
          intervalMs: 10_000,
          required: true,
          prefix: "lt.",
        }),
        createOutput(`datadog=127.0.0.1:${dd.port}?interval=10s&testid=dd1`, {
          color: false,
          quiet: true,
          tty: false,
          targetRate: null,
          env: { get: () => undefined },
        }) as ReturnType<typeof createStatsdOutput>,
      ];
      for (const o of outs) await o.start(info);
      for (const tick of f.ticks) for (const o of outs) o.push(tick);
      for (const o of outs) await o.stop(summary);
      assert.deepEqual(outs[0].stats(), { sent: 3, failed: 0, dropped: 0, lastError: null });
      const sentPlain = outs[0].stats().sent;
      assert.equal(sentPlain, 3);
      const m = summary.metrics;
      const reqs = m.http_reqs.type === "counter" ? m.http_reqs.count : NaN;
      const dur = m.http_req_duration.type === "trend" ? m.http_req_duration.count : NaN;
      const failed = m.http_req_failed.type === "rate" ? m.http_req_failed.passes : NaN;
      await waitFor(() => plain.packets.length > 0 && dd.packets.length > 0);
      await new Promise((r) => setTimeout(r, 200));
      for (const [rx, prefix] of [[plain, "lt."], [dd, "rampa."]] as const) {
        assert.ok(rx.packets.every((p) => new TextEncoder().encode(p).length <= DEFAULT_MTU));
        const a = aggregate(rx.packets);
        assert.equal(a.counters.get(`${prefix}http_reqs`), reqs);
        assert.equal(a.counters.get(`${prefix}http_req_failed`), failed);
        assert.equal(Math.round(a.timings.get(`${prefix}http_req_duration`)!), dur);
        if (rx === dd) {
          assert.ok(a.tags.has("testid") && a.tags.has("name") && a.tags.has("status"));
        } else assert.equal(a.tags.size, 0);
      }
      console.log(
        `statsd: ${plain.packets.length} datagrams, datadog: ${dd.packets.length}; ` +
          `http_reqs ${reqs}, http_req_duration timings ${dur} counted back exactly`,
      );
    } finally {
      await plain.close();
      await dd.close();
    }
  },
});

Deno.test("statsd lines are packed into datagrams below the MTU", () => {
  const lines = Array.from({ length: 100 }, (_, i) => `rampa.m${i}:${i}|c`);
  const packets = packLines(lines, 100);
  assert.ok(packets.every((p) => p.length <= 100));
  assert.equal(packets.map((p) => new TextDecoder().decode(p)).join("\n"), lines.join("\n"));
});
